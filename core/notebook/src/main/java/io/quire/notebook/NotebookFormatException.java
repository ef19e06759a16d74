package io.quire.notebook;

import java.util.Objects;

/**
 * A file or JSON document is not a notebook Quire can read: malformed JSON, JSON that is not a notebook, an
 * unsupported format version, or a structurally broken notebook.
 *
 * <p>The message is meant for people: it says what was wrong and where ({@link #jsonPath()}), never a stack trace.
 */
public final class NotebookFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String jsonPath;

    /**
     * Creates an exception for a problem at a JSON path.
     *
     * @param jsonPath where the problem is, in JSONPath-like form such as {@code $.cells[3].source}; {@code $} for the
     *                 whole document
     * @param message  what is wrong
     */
    public NotebookFormatException(String jsonPath, String message) {
        super(message);
        this.jsonPath = Objects.requireNonNull(jsonPath, "jsonPath");
    }

    /**
     * Creates an exception for a problem at a JSON path, caused by another exception.
     *
     * @param jsonPath where the problem is
     * @param message  what is wrong
     * @param cause    the underlying failure
     */
    public NotebookFormatException(String jsonPath, String message, Throwable cause) {
        super(message, cause);
        this.jsonPath = Objects.requireNonNull(jsonPath, "jsonPath");
    }

    /**
     * Where in the document the problem was found.
     *
     * @return a path such as {@code $.cells[3].outputs[0].text}
     */
    public String jsonPath() {
        return jsonPath;
    }

    @Override
    public String getMessage() {
        return "$".equals(jsonPath) ? super.getMessage() : jsonPath + ": " + super.getMessage();
    }
}
