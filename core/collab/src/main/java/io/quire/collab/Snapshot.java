package io.quire.collab;

import io.quire.notebook.Notebook;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The whole document as it was after a delta of its log (seq 0: the document the log started from).
 *
 * @param fileId   the file
 * @param seq      the last delta applied
 * @param takenAt  when the snapshot was written
 * @param notebook the document
 */
public record Snapshot(UUID fileId, long seq, Instant takenAt, Notebook notebook) {

    /** Validates the fields. */
    public Snapshot {
        Objects.requireNonNull(fileId, "fileId");
        if (seq < 0) {
            throw new IllegalArgumentException("snapshot sequence number must not be negative, got " + seq);
        }
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(notebook, "notebook");
    }
}
