package io.quire.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Supplier;

/**
 * Helpers for the open JSON parts of a notebook (metadata, MIME bundles, unknown fields).
 *
 * <p>The records of this package copy every JSON container they are given, so that no caller keeps a handle on a
 * record's state. When a record derives a changed copy of itself ({@code withCells}, {@code withSource}, ...) it
 * passes its own private containers, which need no copy: it builds the new record {@linkplain #owned within} a scope in
 * which {@link #copy} keeps the nodes it is given. Inside such a scope only containers that no caller can reach may be
 * passed to a constructor: the record's own fields, or a copy made before the scope was entered.
 */
final class Json {
    static final JsonNodeFactory FACTORY = JsonNodeFactory.instance;

    /**
     * How deep this thread is in {@link #owned} calls: above zero while a record is built from containers that are
     * already private to records. A per-thread counter rather than a {@code ScopedValue}: binding a scoped value per
     * derived record invalidated the thread's scoped-value cache each time, the largest item in a profile of 100 SDK
     * sessions applying deltas (docs/benchmarks.md).
     */
    private static final ThreadLocal<int[]> OWNED = ThreadLocal.withInitial(() -> new int[1]);

    private Json() {
    }

    /**
     * A private copy of an object node; value nodes are immutable in Jackson, so only containers are copied. Inside
     * {@link #owned} the node itself (no container handed in there is reachable from outside).
     */
    static ObjectNode copy(ObjectNode node) {
        if (node == null) {
            return FACTORY.objectNode();
        }
        return OWNED.get()[0] > 0 ? node : node.deepCopy();
    }

    /**
     * Builds a record from JSON containers that are private to records already, without copying them again.
     *
     * @param build the constructor call; every container it passes must be unreachable from outside this package
     * @return what {@code build} returned
     */
    static <T> T owned(Supplier<T> build) {
        int[] depth = OWNED.get();
        depth[0]++;
        try {
            return build.get();
        } finally {
            depth[0]--;
        }
    }

    static ObjectNode object() {
        return FACTORY.objectNode();
    }

    static boolean isObject(JsonNode node) {
        return node != null && node.isObject();
    }
}
