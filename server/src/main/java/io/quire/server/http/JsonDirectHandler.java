package io.quire.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Renders the errors Helidon answers by itself, before routing (a malformed request line, a body over
 * {@code max-payload-size}, a WebSocket upgrade from an origin that is not allowed, ...), in Quire's JSON error shape,
 * so every 4xx/5xx a client sees has one shape.
 */
public final class JsonDirectHandler implements DirectHandler {
    private JsonDirectHandler() {
    }

    /**
     * Direct handlers for every event type.
     *
     * @return the handlers, for {@code WebServer.builder().directHandlers(...)}
     */
    public static DirectHandlers all() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        JsonDirectHandler handler = new JsonDirectHandler();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
            ServerResponseHeaders headers, String message) {
        ObjectNode body = JsonBodies.MAPPER.createObjectNode();
        body.put("code", ErrorResponses.codeFor(status.code()));
        String text = message == null || message.isBlank() ? status.reasonPhrase() : message;
        if (eventType == EventType.FORBIDDEN) {
            // the one 403 Helidon answers before routing: its Origin check of WebSocket upgrades (which hands over
            // neither the request nor a message)
            text = "WebSocket refused: its Origin is not one this server allows (server setting "
                    + "cors-allowed-origins)";
        }
        body.put("message", text);
        body.put("reason", status.reasonPhrase());
        byte[] bytes;
        try {
            bytes = JsonBodies.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an error body", e);
        }
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .entity(bytes)
                .keepAlive(eventType.keepAlive())
                .build();
    }
}
