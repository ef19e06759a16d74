package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * An error response of the v1 API: {@code {"code": "...", "message": "...", "reason": "..."}} plus its status.
 *
 * @param status  the HTTP status
 * @param code    a stable machine code, such as {@code not_found}; {@code http_STATUS} when the body had none
 * @param message what was wrong, for people
 * @param reason  the HTTP reason phrase, or {@code ""}
 */
public record ApiError(int status, String code, String message, String reason) {

    /** Validates the fields. */
    public ApiError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Reads an error body; a body that is not the API's error shape still gives an error, with {@code http_STATUS}
     * as code and the body (cut to 500 characters) as message.
     *
     * @param status the HTTP status
     * @param body   the response body
     * @return the error
     */
    public static ApiError create(int status, String body) {
        try {
            JsonNode json = Wire.JSON.readTree(body);
            if (json != null && json.isObject() && json.path("code").isTextual()) {
                return new ApiError(status, json.get("code").textValue(), json.path("message").asText(""),
                        json.path("reason").asText(""));
            }
        } catch (java.io.IOException e) {
            // not JSON: described below
        }
        String text = body.length() > 500 ? body.substring(0, 500) + "..." : body;
        return new ApiError(status, "http_" + status, text.isBlank() ? "(no body)" : text, "");
    }
}
