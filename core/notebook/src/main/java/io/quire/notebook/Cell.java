package io.quire.notebook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One cell of a notebook, by nbformat {@code cell_type}.
 *
 * <p>Every variant keeps the JSON fields nbformat does not define in {@link #extra()}, so they survive a read and
 * write. Cell ids exist from nbformat 4.5 on; on older notebooks {@link #id()} is empty and stays empty when written.
 */
public sealed interface Cell permits CodeCell, MarkdownCell, RawCell, UnknownCell {

    /**
     * The cell's id (nbformat 4.5+).
     *
     * @return the id, or empty if the cell has none
     */
    Optional<String> id();

    /**
     * The nbformat {@code cell_type}.
     *
     * @return {@code code}, {@code markdown}, {@code raw}, or an unknown type
     */
    String cellType();

    /**
     * The cell's source as stored.
     *
     * @return the source
     */
    MultilineText source();

    /**
     * The cell's metadata (a copy; open JSON: tags, collapsed, jupyter, papermill, ...).
     *
     * @return the metadata
     */
    ObjectNode metadata();

    /**
     * Fields of the cell that nbformat does not define (a copy).
     *
     * @return the unknown fields, possibly empty
     */
    ObjectNode extra();

    /**
     * This cell with another source.
     *
     * @param source the new source
     * @return the changed cell
     */
    Cell withSource(MultilineText source);

    /**
     * This cell with other metadata.
     *
     * @param metadata the new metadata
     * @return the changed cell
     */
    Cell withMetadata(ObjectNode metadata);

    /**
     * This cell with another id.
     *
     * @param id the new id, or empty to remove it
     * @return the changed cell
     */
    Cell withId(Optional<String> id);

    /**
     * The cell's tags ({@code metadata.tags}).
     *
     * @return whether the tag is present
     * @param tag the tag to look for
     */
    default boolean hasTag(String tag) {
        for (var node : metadata().path("tags")) {
            if (node.isTextual() && node.textValue().equals(tag)) {
                return true;
            }
        }
        return false;
    }
}
