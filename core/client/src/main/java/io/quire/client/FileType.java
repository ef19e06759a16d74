package io.quire.client;

/** What a file resource is. */
public enum FileType {
    /** A Jupyter notebook. */
    NOTEBOOK,
    /** Any other file. */
    FILE,
    /** A folder. */
    DIRECTORY,
    /** A type this version of the SDK does not know (the API may add types). */
    OTHER;

    static FileType fromWire(String text) {
        return switch (text) {
            case "notebook" -> NOTEBOOK;
            case "file" -> FILE;
            case "directory" -> DIRECTORY;
            default -> OTHER;
        };
    }
}
