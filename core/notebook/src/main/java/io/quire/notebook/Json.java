package io.quire.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Helpers for the open JSON parts of a notebook (metadata, MIME bundles, unknown fields). */
final class Json {
    static final JsonNodeFactory FACTORY = JsonNodeFactory.instance;

    private Json() {
    }

    /** A private copy of an object node; value nodes are immutable in Jackson, so only containers are copied. */
    static ObjectNode copy(ObjectNode node) {
        return node == null ? FACTORY.objectNode() : node.deepCopy();
    }

    static ObjectNode object() {
        return FACTORY.objectNode();
    }

    static boolean isObject(JsonNode node) {
        return node != null && node.isObject();
    }
}
