package io.quire.client;

import java.util.Objects;

/**
 * The server answered with an error status (4xx or 5xx). {@link #error()} holds the server's JSON error:
 * a stable machine {@code code} (such as {@code not_found}) and a {@code message} for people.
 */
public final class QuireApiException extends QuireException {
    private static final long serialVersionUID = 1L;

    private final ApiError error;

    /**
     * Creates the exception.
     *
     * @param request the method and path of the failed request, for the message
     * @param error   the server's error
     */
    public QuireApiException(String request, ApiError error) {
        super(request + " failed with " + error.status() + " " + error.code() + ": " + error.message());
        this.error = Objects.requireNonNull(error, "error");
    }

    /**
     * The HTTP status.
     *
     * @return the status code, 400 to 599
     */
    public int status() {
        return error.status();
    }

    /**
     * The machine code of the error, such as {@code not_found} or {@code bad_request}.
     *
     * @return the code
     */
    public String code() {
        return error.code();
    }

    /**
     * The whole error.
     *
     * @return the error
     */
    public ApiError error() {
        return error;
    }
}
