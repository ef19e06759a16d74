package io.quire.collab;

/**
 * A text operation does not fit the text or the other operation it is applied to, transformed against or composed
 * with (lengths differ, or a boundary would split a UTF-16 surrogate pair).
 */
public final class TextOperationException extends CollabException {

    /**
     * Creates the exception.
     *
     * @param message what did not fit, with the lengths involved
     */
    public TextOperationException(String message) {
        super(message, null);
    }

    @Override
    public String code() {
        return "collab.bad_text_operation";
    }
}
