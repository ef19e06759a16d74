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
import io.quire.notebook.JsonTreeReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/** Reads JSON request bodies and writes JSON responses, the same way for every route. */
public final class JsonBodies {
    /** The mapper of the HTTP layer. */
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** Reads bodies into the trees {@link #MAPPER} builds, faster for notebooks of long strings. */
    private static final JsonTreeReader TREES = new JsonTreeReader(MAPPER.reader());

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
        byte[] body = bytes(request);
        if (body.length == 0) {
            return MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = TREES.readTree(body);
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
     * Reads the request body. A body with a {@code Content-Length} is read straight into one array of that size
     * (the general path collects chunks and copies them again, which for a notebook of megabytes is a measurable
     * part of a save); the body size limit was checked before the route ran.
     *
     * @param request the request
     * @return the body, empty when there is none
     * @throws ApiException 400 if the body ends before its announced length
     */
    public static byte[] bytes(ServerRequest request) {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        OptionalLong announced = request.headers().contentLength();
        if (announced.isEmpty() || announced.getAsLong() > Integer.MAX_VALUE - 16) {
            return request.content().as(byte[].class);
        }
        int length = (int) announced.getAsLong();
        byte[] body = new byte[length];
        int read;
        try (InputStream in = request.content().inputStream()) {
            read = in.readNBytes(body, 0, length);
        } catch (IOException e) {
            throw ApiException.badRequest("the request body could not be read: " + e.getMessage());
        }
        if (read < length) {
            throw ApiException.badRequest("the request body ended after " + read + " of its " + length + " bytes");
        }
        return body;
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

    /**
     * Sends a 200 JSON response made of parts, in order, without joining them into one array first: for bodies that
     * splice large stored bytes into a small envelope. The length is declared, so the parts go out as they are (the
     * headers and the first part in one write) instead of being copied into one response buffer.
     *
     * @param response the response
     * @param parts    the body's parts; not changed, and not kept after the call
     */
    public static void okParts(ServerResponse response, byte[]... parts) {
        long length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.headers().contentLength(length);
        try (java.io.OutputStream out = response.outputStream()) {
            for (byte[] part : parts) {
                out.write(part);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the response", e);
        }
    }
}
