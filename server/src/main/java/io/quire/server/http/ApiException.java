package io.quire.server.http;

import java.util.Objects;

/**
 * A request that cannot be served, with the HTTP status and the machine code of the JSON error body.
 *
 * <p>Core modules throw their own domain exceptions; {@link ErrorResponses} maps those. This one is for conditions
 * only the HTTP layer knows (bad query parameters, a missing body, an unknown route parameter).
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    /**
     * Creates the exception.
     *
     * @param status  the HTTP status, 400 to 599
     * @param code    a stable machine code, such as {@code bad_request}
     * @param message what was wrong, for people
     */
    public ApiException(int status, String code, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status must be 4xx or 5xx, got " + status);
        }
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * A 400 Bad Request.
     *
     * @param message what was wrong
     * @return the exception
     */
    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    /**
     * A 404 Not Found.
     *
     * @param message what was not found
     * @return the exception
     */
    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    /**
     * The HTTP status.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }

    /**
     * The machine code of the error.
     *
     * @return the code
     */
    public String code() {
        return code;
    }
}
