package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.Optional;

/**
 * The content of a {@code history_request}; build one with {@link #tail}, {@link #range} or {@link #search}.
 *
 * @param accessType {@code tail}, {@code range} or {@code search}
 * @param output     include outputs
 * @param raw        return the raw input rather than the transformed one
 * @param session    session number (range)
 * @param start      first line (range)
 * @param stop       line after the last (range)
 * @param n          how many entries (tail, search)
 * @param pattern    glob pattern (search)
 * @param unique     drop duplicates (search)
 */
public record HistoryRequest(String accessType, boolean output, boolean raw, int session, int start, int stop,
                             int n, Optional<String> pattern, boolean unique) {
    /** Validates the access type. */
    public HistoryRequest {
        Objects.requireNonNull(accessType, "accessType");
        Objects.requireNonNull(pattern, "pattern");
        if (!accessType.equals("tail") && !accessType.equals("range") && !accessType.equals("search")) {
            throw new IllegalArgumentException("accessType must be tail, range or search but was '" + accessType + "'");
        }
    }

    /**
     * @param n how many of the last entries
     * @return a tail request without outputs
     */
    public static HistoryRequest tail(int n) {
        return new HistoryRequest("tail", false, true, 0, 0, 0, n, Optional.empty(), false);
    }

    /**
     * @param session session number (0 is the current, negative counts back)
     * @param start   first line
     * @param stop    line after the last
     * @return a range request without outputs
     */
    public static HistoryRequest range(int session, int start, int stop) {
        return new HistoryRequest("range", false, true, session, start, stop, 0, Optional.empty(), false);
    }

    /**
     * @param pattern glob pattern
     * @param n       how many entries at most
     * @return a search request without outputs, unique entries only
     */
    public static HistoryRequest search(String pattern, int n) {
        return new HistoryRequest("search", false, true, 0, 0, 0, n, Optional.of(pattern), true);
    }

    ObjectNode toJson() {
        ObjectNode json = Json.object()
                .put("hist_access_type", accessType)
                .put("output", output)
                .put("raw", raw)
                .put("session", session)
                .put("start", start)
                .put("stop", stop)
                .put("n", n)
                .put("unique", unique);
        pattern.ifPresent(p -> json.put("pattern", p));
        return json;
    }
}
