package io.quire.kernel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a local kernel launched to outlive its server is: its process (pid and start time, so a reused pid is not
 * mistaken for it) and the files it owns. Written as a small JSON document, the opaque locator of the SPI.
 *
 * @param pid            the kernel's process id
 * @param started        when that process started, when the platform reports it
 * @param connectionFile the connection file it was launched with
 * @param logFile        the file its stdout and stderr go to
 */
record LocalLocator(long pid, Optional<Instant> started, Path connectionFile, Path logFile) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KIND = "local-process";
    /** How far two readings of one process's start time may differ. */
    static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    LocalLocator {
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(connectionFile, "connectionFile");
        Objects.requireNonNull(logFile, "logFile");
    }

    /** The locator of a running process. */
    static LocalLocator of(ProcessHandle process, Path connectionFile, Path logFile) {
        return new LocalLocator(process.pid(), process.info().startInstant(), connectionFile, logFile);
    }

    String format() {
        ObjectNode json = JSON.createObjectNode();
        json.put("kind", KIND);
        json.put("pid", pid);
        started.ifPresent(instant -> json.put("started", instant.toString()));
        json.put("connection_file", connectionFile.toString());
        json.put("log_file", logFile.toString());
        return json.toString();
    }

    /**
     * Reads what {@link #format()} wrote.
     *
     * @throws IllegalArgumentException when the text is not a local-process locator
     */
    static LocalLocator parse(String text) {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a local-process kernel locator (not JSON): " + text, e);
        }
        if (json == null || !KIND.equals(json.path("kind").asText()) || !json.path("pid").canConvertToLong()
                || !json.path("connection_file").isTextual() || !json.path("log_file").isTextual()) {
            throw new IllegalArgumentException("not a local-process kernel locator: " + text);
        }
        Optional<Instant> started;
        try {
            started = json.path("started").isTextual() ? Optional.of(Instant.parse(json.path("started").asText()))
                    : Optional.empty();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("local-process kernel locator with a bad start time: " + text, e);
        }
        return new LocalLocator(json.path("pid").asLong(), started, Path.of(json.path("connection_file").asText()),
                Path.of(json.path("log_file").asText()));
    }

    /**
     * Whether a live process is the one this locator names: same pid and, where known, the same start time (within
     * {@link #START_TOLERANCE}: Linux derives it from a boot time that NTP may shift by a second).
     */
    boolean matches(ProcessHandle process) {
        if (process.pid() != pid || !process.isAlive()) {
            return false;
        }
        Optional<Instant> now = process.info().startInstant();
        return started.isEmpty() || now.isEmpty()
                || Duration.between(started.get(), now.get()).abs().compareTo(START_TOLERANCE) <= 0;
    }
}
