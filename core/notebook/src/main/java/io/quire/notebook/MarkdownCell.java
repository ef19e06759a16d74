package io.quire.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A markdown cell.
 *
 * @param id          the cell id (nbformat 4.5+)
 * @param source      the cell's text
 * @param metadata    the cell metadata
 * @param attachments the cell's attachments (name to MIME bundle), if the field is present
 * @param extra       fields nbformat does not define
 */
public record MarkdownCell(
        Optional<String> id,
        MultilineText source,
        ObjectNode metadata,
        Optional<ObjectNode> attachments,
        ObjectNode extra) implements Cell {

    /** Validates and copies the fields. */
    public MarkdownCell {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        metadata = Json.copy(metadata);
        attachments = attachments.map(Json::copy);
        extra = Json.copy(extra);
    }

    /**
     * A new markdown cell.
     *
     * @param id     the cell id, or empty
     * @param source the text
     * @return the cell
     */
    public static MarkdownCell of(Optional<String> id, String source) {
        return new MarkdownCell(id, MultilineText.of(source), Json.object(), Optional.empty(), Json.object());
    }

    @Override
    public String cellType() {
        return "markdown";
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
    public MarkdownCell withSource(MultilineText source) {
        return Json.owned(() -> new MarkdownCell(id, source, metadata, attachments, extra));
    }

    @Override
    public MarkdownCell withMetadata(ObjectNode metadata) {
        ObjectNode copy = Json.copy(metadata);
        return Json.owned(() -> new MarkdownCell(id, source, copy, attachments, extra));
    }

    @Override
    public MarkdownCell withId(Optional<String> id) {
        return Json.owned(() -> new MarkdownCell(id, source, metadata, attachments, extra));
    }
}
