package io.quire.contents;

/** How a model's content is encoded, as Jupyter names it. */
public enum ContentFormat {
    /** The content is a string of decoded UTF-8 text (files). */
    TEXT("text"),
    /** The content is a string of base64 (files that are not UTF-8, or on request). */
    BASE64("base64"),
    /** The content is JSON: a notebook object, or a directory's array of child models. */
    JSON("json");

    private final String wireName;

    ContentFormat(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name used in Jupyter's REST JSON.
     *
     * @return {@code "text"}, {@code "base64"} or {@code "json"}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Reads a format from its REST name.
     *
     * @param wireName {@code "text"}, {@code "base64"} or {@code "json"}
     * @return the format
     * @throws ContentsBadRequestException if the name is none of these
     */
    public static ContentFormat fromWireName(String wireName) {
        for (ContentFormat format : values()) {
            if (format.wireName.equals(wireName)) {
                return format;
            }
        }
        throw new ContentsBadRequestException("", "unknown content format '" + wireName
                + "'; expected one of text, base64, json");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
