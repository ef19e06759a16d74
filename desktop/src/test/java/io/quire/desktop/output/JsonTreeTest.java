package io.quire.desktop.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonTreeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void summaries_countKeysAndItems_scalarsAreLiterals() throws Exception {
        assertThat(JsonTree.summary(json("{\"a\": 1, \"b\": 2}"))).isEqualTo("{2 keys}");
        assertThat(JsonTree.summary(json("{\"a\": 1}"))).isEqualTo("{1 key}");
        assertThat(JsonTree.summary(json("[1]"))).isEqualTo("[1 item]");
        assertThat(JsonTree.summary(json("[]"))).isEqualTo("[]");
        assertThat(JsonTree.summary(json("\"x\\\"y\""))).isEqualTo("\"x\\\"y\"");
        assertThat(JsonTree.summary(json("null"))).isEqualTo("null");
    }

    @Test
    void onlyNonEmptyContainers_expand() throws Exception {
        assertThat(JsonTree.expandable(json("{\"a\": 1}"))).isTrue();
        assertThat(JsonTree.expandable(json("{}"))).isFalse();
        assertThat(JsonTree.expandable(json("3"))).isFalse();
    }

    @Test
    void styleClasses_followTheType() throws Exception {
        assertThat(JsonTree.styleClass(json("\"s\""))).isEqualTo("json-string");
        assertThat(JsonTree.styleClass(json("1.5"))).isEqualTo("json-number");
        assertThat(JsonTree.styleClass(json("true"))).isEqualTo("json-boolean");
        assertThat(JsonTree.styleClass(json("null"))).isEqualTo("json-null");
        assertThat(JsonTree.styleClass(json("[]"))).isEqualTo("json-summary");
    }

    @Test
    void children_comeInPagesInDocumentOrder() throws Exception {
        assertThat(JsonTree.children(json("{\"z\": 1, \"a\": 2, \"m\": 3}"), 1, 5))
                .containsExactly(new JsonTree.Entry("a", json("2")), new JsonTree.Entry("m", json("3")));
        assertThat(JsonTree.children(json("[10, 20, 30]"), 0, 2))
                .containsExactly(new JsonTree.Entry("0", json("10")), new JsonTree.Entry("1", json("20")));
        assertThat(JsonTree.children(json("[10]"), 5, 2)).isEmpty();
        assertThat(JsonTree.children(json("7"), 0, 2)).isEmpty();
    }
}
