package io.quire.contents;

/** The three kinds of entries the contents service knows, as Jupyter names them. */
public enum ContentType {
    /** A directory; its content is a listing of child models. */
    DIRECTORY("directory"),
    /** A plain file; its content is text or base64. */
    FILE("file"),
    /** A Jupyter notebook ({@code .ipynb}); its content is the notebook JSON. */
    NOTEBOOK("notebook");

    private final String wireName;

    ContentType(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name used in Jupyter's REST JSON.
     *
     * @return {@code "directory"}, {@code "file"} or {@code "notebook"}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Reads a type from its REST name.
     *
     * @param wireName {@code "directory"}, {@code "file"} or {@code "notebook"}
     * @return the type
     * @throws ContentsBadRequestException if the name is none of these
     */
    public static ContentType fromWireName(String wireName) {
        for (ContentType type : values()) {
            if (type.wireName.equals(wireName)) {
                return type;
            }
        }
        throw new ContentsBadRequestException("", "unknown content type '" + wireName
                + "'; expected one of directory, file, notebook");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
