package io.quire.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;

/** Reads JSON request bodies and writes JSON responses, the same way for every route. */
public final class JsonBodies {
    /** The mapper of the HTTP layer. */
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonBodies() {
    }

    /**
     * Reads the request body as a JSON object.
     *
     * @param request the request
     * @return the object; an empty object when the body is empty
     * @throws ApiException 400 if the body is not a JSON object
     */
    public static ObjectNode readObject(ServerRequest request) {
        byte[] body = request.content().hasEntity() ? request.content().as(byte[].class) : new byte[0];
        if (body.length == 0) {
            return MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw ApiException.badRequest("the request body is not valid JSON"
                    + (location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * Sends a JSON response.
     *
     * @param response the response
     * @param status   the status
     * @param body     the body
     */
    public static void send(ServerResponse response, Status status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.send(bytes);
    }

    /**
     * Sends a 200 JSON response.
     *
     * @param response the response
     * @param body     the body
     */
    public static void ok(ServerResponse response, JsonNode body) {
        send(response, Status.OK_200, body);
    }
}
