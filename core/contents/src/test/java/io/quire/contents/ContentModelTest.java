package io.quire.contents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentModelTest {
    private static final Instant WITH_MICROS = Instant.parse("2024-01-02T03:04:05.123456789Z");
    private static final Instant WHOLE_SECOND = Instant.parse("2024-01-02T03:04:05Z");

    private static ContentModel file(Instant modified) {
        return new ContentModel("a.txt", "d/a.txt", ContentType.FILE, true, WHOLE_SECOND, modified, Optional.of(3L),
                Optional.of("text/plain"), Optional.of(ContentFormat.TEXT),
                Optional.of(JsonNodeFactory.instance.textNode("abc")), Optional.empty(), Optional.empty());
    }

    @Test
    void toJson_writesTimestampsAsPythonIsoformatWithZ() {
        assertThat(file(WITH_MICROS).toJson().get("last_modified").asText()).isEqualTo("2024-01-02T03:04:05.123456Z");
        assertThat(file(WITH_MICROS).toJson().get("created").asText()).isEqualTo("2024-01-02T03:04:05Z");
    }

    @Test
    void create_readsWhatToJsonWrites() {
        ContentModel model = file(WITH_MICROS);

        assertThat(ContentModel.create(model.toJson())).isEqualTo(model);
    }

    @Test
    void constructor_refusesContentWithoutFormat() {
        assertThatThrownBy(() -> new ContentModel("a.txt", "a.txt", ContentType.FILE, true, WHOLE_SECOND,
                WHOLE_SECOND, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(JsonNodeFactory.instance.textNode("x")), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_refusesNameThatIsNotTheLastSegment() {
        assertThatThrownBy(() -> new ContentModel("b.txt", "a.txt", ContentType.FILE, true, WHOLE_SECOND,
                WHOLE_SECOND, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
