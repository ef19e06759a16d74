package io.quire.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Optional;

/**
 * A cell whose {@code cell_type} nbformat v4 does not define, kept as it was read so that nothing is lost.
 *
 * @param json the whole cell object
 */
public record UnknownCell(ObjectNode json) implements Cell {

    /** Copies the JSON. */
    public UnknownCell {
        json = Json.copy(json);
    }

    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }

    @Override
    public Optional<String> id() {
        return json.path("id").isTextual() ? Optional.of(json.get("id").textValue()) : Optional.empty();
    }

    @Override
    public String cellType() {
        return json.path("cell_type").asText("");
    }

    @Override
    public MultilineText source() {
        return json.has("source") ? NotebookCodec.text(json.get("source"), "$.source") : MultilineText.empty();
    }

    @Override
    public ObjectNode metadata() {
        return json.path("metadata") instanceof ObjectNode metadata ? metadata.deepCopy() : Json.object();
    }

    @Override
    public ObjectNode extra() {
        return json.deepCopy();
    }

    @Override
    public UnknownCell withSource(MultilineText source) {
        ObjectNode copy = json.deepCopy();
        copy.set("source", NotebookCodec.textNode(source));
        return new UnknownCell(copy);
    }

    @Override
    public UnknownCell withMetadata(ObjectNode metadata) {
        ObjectNode copy = json.deepCopy();
        copy.set("metadata", metadata.deepCopy());
        return new UnknownCell(copy);
    }

    @Override
    public UnknownCell withId(Optional<String> id) {
        ObjectNode copy = json.deepCopy();
        id.ifPresentOrElse(value -> copy.set("id", TextNode.valueOf(value)), () -> copy.remove("id"));
        return new UnknownCell(copy);
    }
}
