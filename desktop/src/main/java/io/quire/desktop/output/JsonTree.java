package io.quire.desktop.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the JSON tree shows for a value, as JupyterLab's JSON viewer does: containers collapse to a summary
 * ({@code {3 keys}}, {@code [10 items]}), scalars show as JSON literals with a style by type. Pure and thread-safe.
 */
public final class JsonTree {
    /** Children of one container shown before "show more". */
    public static final int PAGE = 100;

    private JsonTree() {
    }

    /**
     * One child of a container.
     *
     * @param key   the object key, or the array index as text
     * @param value the value
     */
    public record Entry(String key, JsonNode value) {
    }

    /**
     * Whether a value has children to expand.
     *
     * @param value the value
     * @return true for a non-empty object or array
     */
    public static boolean expandable(JsonNode value) {
        return value.isContainerNode() && !value.isEmpty();
    }

    /**
     * A container's one-line summary; a scalar's literal.
     *
     * @param value the value
     * @return {@code {1 key}}, {@code {} }, {@code [2 items]}, {@code []}, or the scalar as JSON
     */
    public static String summary(JsonNode value) {
        if (value.isObject()) {
            return value.isEmpty() ? "{}" : "{" + value.size() + (value.size() == 1 ? " key}" : " keys}");
        }
        if (value.isArray()) {
            return value.isEmpty() ? "[]" : "[" + value.size() + (value.size() == 1 ? " item]" : " items]");
        }
        return value.toString();
    }

    /**
     * The style class of a scalar (a container's summary uses {@code json-summary}).
     *
     * @param value the value
     * @return {@code json-string}, {@code json-number}, {@code json-boolean}, {@code json-null} or
     *         {@code json-summary}
     */
    public static String styleClass(JsonNode value) {
        if (value.isTextual()) {
            return "json-string";
        }
        if (value.isNumber()) {
            return "json-number";
        }
        if (value.isBoolean()) {
            return "json-boolean";
        }
        if (value.isNull() || value.isMissingNode()) {
            return "json-null";
        }
        return "json-summary";
    }

    /**
     * A page of a container's children.
     *
     * @param value the container
     * @param from  the first child, from 0
     * @param count how many at most
     * @return the children in document order; empty for a scalar or past the end
     */
    public static List<Entry> children(JsonNode value, int from, int count) {
        List<Entry> entries = new ArrayList<>();
        if (value.isArray()) {
            for (int i = from; i < Math.min(value.size(), from + count); i++) {
                entries.add(new Entry(Integer.toString(i), value.get(i)));
            }
        } else if (value.isObject()) {
            int index = 0;
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                if (index >= from + count) {
                    break;
                }
                if (index++ >= from) {
                    entries.add(new Entry(field.getKey(), field.getValue()));
                }
            }
        }
        return List.copyOf(entries);
    }
}
