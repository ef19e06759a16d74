package io.quire.contents;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ContentsManager#get(String, GetOptions)} should return, as the query parameters of
 * {@code GET /api/contents/{path}}.
 *
 * @param type    the type the caller expects; a directory asked for as a file or notebook (or the reverse) is a bad
 *                request, and {@link ContentType#NOTEBOOK} reads any file as a notebook. Empty: decided by the entry
 *                (directories, {@code .ipynb} files as notebooks, anything else as a file)
 * @param format  for files, {@link ContentFormat#TEXT} (a bad request if the file is not UTF-8) or
 *                {@link ContentFormat#BASE64}; empty tries text and falls back to base64. Ignored for notebooks and
 *                directories, as Jupyter does; {@link ContentFormat#JSON} for a file is a bad request
 * @param content whether to include the content (for a directory: the listing)
 * @param hash    whether to include the SHA-256 of the file's bytes (files and notebooks only)
 */
public record GetOptions(Optional<ContentType> type, Optional<ContentFormat> format, boolean content, boolean hash) {

    private static final GetOptions DEFAULTS = new GetOptions(Optional.empty(), Optional.empty(), true, false);
    private static final GetOptions METADATA = new GetOptions(Optional.empty(), Optional.empty(), false, false);

    /** Checks that no component is null. */
    public GetOptions {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(format, "format");
    }

    /**
     * Jupyter's defaults: type and format decided by the entry, content included, no hash.
     *
     * @return the default options
     */
    public static GetOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The model without content and without hash, as directory listings and write operations return it.
     *
     * @return options with {@code content} false
     */
    public static GetOptions metadataOnly() {
        return METADATA;
    }

    /**
     * These options with an expected type.
     *
     * @param expected the type the caller expects
     * @return new options
     */
    public GetOptions withType(ContentType expected) {
        return new GetOptions(Optional.of(expected), format, content, hash);
    }

    /**
     * These options with a requested format.
     *
     * @param requested the format for file content
     * @return new options
     */
    public GetOptions withFormat(ContentFormat requested) {
        return new GetOptions(type, Optional.of(requested), content, hash);
    }

    /**
     * These options with content included or not.
     *
     * @param include whether to include the content
     * @return new options
     */
    public GetOptions withContent(boolean include) {
        return new GetOptions(type, format, include, hash);
    }

    /**
     * These options with the hash included or not.
     *
     * @param include whether to include the SHA-256 hash
     * @return new options
     */
    public GetOptions withHash(boolean include) {
        return new GetOptions(type, format, content, include);
    }
}
