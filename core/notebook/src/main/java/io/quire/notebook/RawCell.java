package io.quire.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A raw cell.
 *
 * @param id          the cell id (nbformat 4.5+)
 * @param source      the cell's text
 * @param metadata    the cell metadata
 * @param attachments the cell's attachments (name to MIME bundle), if the field is present
 * @param extra       fields nbformat does not define
 */
public record RawCell(
        Optional<String> id,
        MultilineText source,
        ObjectNode metadata,
        Optional<ObjectNode> attachments,
        ObjectNode extra) implements Cell {

    /** Validates and copies the fields. */
    public RawCell {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        metadata = Json.copy(metadata);
        attachments = attachments.map(Json::copy);
        extra = Json.copy(extra);
    }

    /**
     * A new raw cell.
     *
     * @param id     the cell id, or empty
     * @param source the text
     * @return the cell
     */
    public static RawCell of(Optional<String> id, String source) {
        return new RawCell(id, MultilineText.of(source), Json.object(), Optional.empty(), Json.object());
    }

    @Override
    public String cellType() {
        return "raw";
    }

    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }

    @Override
    public Optional<ObjectNode> attachments() {
        return attachments.map(ObjectNode::deepCopy);
    }

    @Override
    public ObjectNode extra() {
        return extra.deepCopy();
    }

    @Override
    public RawCell withSource(MultilineText source) {
        return Json.owned(() -> new RawCell(id, source, metadata, attachments, extra));
    }

    @Override
    public RawCell withMetadata(ObjectNode metadata) {
        ObjectNode copy = Json.copy(metadata);
        return Json.owned(() -> new RawCell(id, source, copy, attachments, extra));
    }

    @Override
    public RawCell withId(Optional<String> id) {
        return Json.owned(() -> new RawCell(id, source, metadata, attachments, extra));
    }
}
