package io.quire.desktop.notebook;

import java.time.Instant;
import java.util.Objects;

/**
 * The notebook's file changed on the server (or on disk under it) since this editor read or saved it.
 *
 * @param known   the modification time this editor last saw
 * @param current the server's modification time now
 */
public record Conflict(Instant known, Instant current) {
    /** Validates the fields. */
    public Conflict {
        Objects.requireNonNull(known, "known");
        Objects.requireNonNull(current, "current");
    }
}
