package io.quire.execution;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The two timestamp formats papermill output carries. */
final class Timestamps {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** papermill's {@code datetime.isoformat()} in UTC: microseconds, left out when zero, and {@code +00:00}. */
    static String papermill(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        return (micros.getNano() == 0 ? SECONDS : MICROS).format(micros) + "+00:00";
    }

    /** nbclient's {@code metadata.execution} format: always six fractional digits and {@code Z}. */
    static String nbclient(Instant instant) {
        return MICROS.format(instant.truncatedTo(ChronoUnit.MICROS)) + "Z";
    }

    /** Seconds between two instants with microsecond precision, as Python's {@code total_seconds()}. */
    static double seconds(Instant start, Instant end) {
        return ChronoUnit.MICROS.between(start, end) / 1_000_000.0;
    }
}
