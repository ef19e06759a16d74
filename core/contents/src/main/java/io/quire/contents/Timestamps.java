package io.quire.contents;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps as Jupyter Server writes them: Python's {@code datetime.isoformat()} of a UTC time with {@code +00:00}
 * replaced by {@code Z}, so microseconds are shown only when they are not zero.
 */
final class Timestamps {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    static String format(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        String seconds = SECONDS.format(micros);
        int fraction = micros.getNano() / 1000;
        return fraction == 0 ? seconds + "Z" : seconds + "." + String.format("%06d", fraction) + "Z";
    }

    static Instant parse(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new ContentsBadRequestException("", "'" + field + "' is not an ISO 8601 timestamp with an offset: '"
                    + text + "'", e);
        }
    }
}
