package io.quire.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses, all with one JSON shape:
 * {@code {"code": "not_found", "message": "...", "reason": "Not Found"}}. {@code message} and {@code reason} are
 * what Jupyter clients read from Jupyter Server's errors; {@code code} is a stable machine code. Unexpected
 * exceptions become a 500 whose message names the request id, and are logged once, here.
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    /**
     * Registers the error handlers on a routing.
     *
     * @param routing the routing builder
     * @param domain  maps domain exceptions of core modules to API errors, or returns null for unknown ones
     */
    public static void register(HttpRouting.Builder routing, Function<RuntimeException, ApiException> domain) {
        routing.error(ApiException.class, (request, response, e) -> send(response, e));
        routing.error(RuntimeException.class, (request, response, e) -> {
            ApiException mapped = domain.apply(e);
            if (mapped != null) {
                send(response, mapped);
                return;
            }
            String requestId = response.headers().first(RequestIds.HEADER).orElse("-");
            LOG.error("request {} {} failed (request id {})", request.prologue().method().text(),
                    request.path().rawPath(), requestId, e);
            send(response, new ApiException(500, "internal_error",
                    "the server failed to handle the request; see the server log for request id " + requestId));
        });
    }

    /**
     * The machine code for a status, for errors that carry no code of their own.
     *
     * @param status the HTTP status code
     * @return the code, such as {@code payload_too_large}
     */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 500 -> "internal_error";
            case 503 -> "unavailable";
            default -> "http_" + status;
        };
    }

    /**
     * Sends an error response.
     *
     * @param response the response
     * @param error    the error
     */
    public static void send(ServerResponse response, ApiException error) {
        if (response.isSent()) {
            return;
        }
        Status status = Status.create(error.status());
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        body.put("code", error.code());
        body.put("message", error.getMessage());
        body.put("reason", status.reasonPhrase());
        JsonBodies.send(response, status, body);
    }
}
