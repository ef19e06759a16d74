package io.quire.collab;

/**
 * A fenced append was refused: the file's kernel lease is no longer held by the node and epoch of the
 * {@link Fence} (another node took it over, or it was never acquired). Nothing was persisted or applied.
 */
public final class FencedException extends CollabException {

    /**
     * Creates the exception.
     *
     * @param message which file, node and epochs were involved
     */
    public FencedException(String message) {
        super(message, null);
    }

    @Override
    public String code() {
        return "collab.fenced";
    }
}
