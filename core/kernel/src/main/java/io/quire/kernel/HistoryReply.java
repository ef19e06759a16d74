package io.quire.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code history_reply}.
 *
 * @param entries the history entries, oldest first
 */
public record HistoryReply(List<Entry> entries) {

    /**
     * One history entry.
     *
     * @param session session number
     * @param line    line number
     * @param input   the input
     * @param output  the output, when requested and available
     */
    public record Entry(int session, int line, String input, Optional<String> output) {
        /** Rejects nulls. */
        public Entry {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(output, "output");
        }
    }

    /** Copies the entries. */
    public HistoryReply {
        entries = List.copyOf(entries);
    }

    static HistoryReply fromJson(ObjectNode c) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode item : c.path("history")) {
            JsonNode third = item.path(2);
            if (third.isArray()) {
                JsonNode out = third.path(1);
                entries.add(new Entry(item.path(0).asInt(), item.path(1).asInt(), third.path(0).asText(""),
                        out.isNull() || out.isMissingNode() ? Optional.empty() : Optional.of(out.asText())));
            } else {
                entries.add(new Entry(item.path(0).asInt(), item.path(1).asInt(), third.asText(""), Optional.empty()));
            }
        }
        return new HistoryReply(entries);
    }
}
