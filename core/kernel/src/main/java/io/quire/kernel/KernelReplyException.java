package io.quire.kernel;

import java.io.Serial;

/**
 * A kernel answered a request with {@code status: error}; carries the error name and value it sent.
 */
public class KernelReplyException extends KernelException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String ename;
    private final String evalue;

    /**
     * Creates the exception.
     *
     * @param msgType the reply's message type
     * @param ename   the error name from the reply (may be empty)
     * @param evalue  the error value from the reply (may be empty)
     */
    public KernelReplyException(String msgType, String ename, String evalue) {
        super(msgType + " failed: " + ename + ": " + evalue);
        this.ename = ename;
        this.evalue = evalue;
    }

    /** @return the error name the kernel sent */
    public String ename() {
        return ename;
    }

    /** @return the error value the kernel sent */
    public String evalue() {
        return evalue;
    }
}
