package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * A {@code complete_reply}.
 *
 * @param matches     candidate completions
 * @param cursorStart start of the text the matches replace
 * @param cursorEnd   end of the text the matches replace
 * @param metadata    extra information (e.g. {@code _jupyter_types_experimental})
 */
public record CompleteReply(List<String> matches, int cursorStart, int cursorEnd, ObjectNode metadata) {
    /** Copies the matches and rejects nulls. */
    public CompleteReply {
        matches = List.copyOf(matches);
        Objects.requireNonNull(metadata, "metadata");
    }

    static CompleteReply fromJson(ObjectNode c) {
        return new CompleteReply(Json.strings(c, "matches"), c.path("cursor_start").asInt(0),
                c.path("cursor_end").asInt(0), Json.objectOrEmpty(c, "metadata"));
    }
}
