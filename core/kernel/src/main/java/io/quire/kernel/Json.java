package io.quire.kernel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The module's one Jackson mapper and small helpers for reading protocol JSON leniently. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Parses bytes that must hold a JSON object. */
    static ObjectNode parseObject(byte[] bytes) throws IOException {
        JsonNode node = MAPPER.readTree(bytes);
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new IOException("expected a JSON object but got " + (node == null ? "nothing" : node.getNodeType()));
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new KernelProtocolException("cannot serialise JSON: " + e.getMessage(), e);
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() ? value.asText() : "";
    }

    static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    static ObjectNode objectOrEmpty(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value instanceof ObjectNode object ? object : object();
    }

    static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        node.path(field).forEach(item -> out.add(item.asText()));
        return List.copyOf(out);
    }
}
