package io.quire.collab;

import java.util.Objects;
import java.util.UUID;

/**
 * What every delta carries besides its change.
 *
 * @param deltaId the id the client chose for this delta; unique per file, so a retried delta is recognised and
 *                applied once
 * @param fileId  the notebook file whose log the delta belongs to
 * @param author  who made the change (a user id as text), 1 to 255 characters
 * @param baseSeq the sequence number of the last delta the client had applied when it made the change (0: none, the
 *                document the log started from)
 */
public record DeltaHeader(UUID deltaId, UUID fileId, String author, long baseSeq) {

    /** The longest author accepted (the column width of the store). */
    public static final int MAX_AUTHOR_LENGTH = 255;

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if the author is blank or too long, or the base is negative
     */
    public DeltaHeader {
        Objects.requireNonNull(deltaId, "deltaId");
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(author, "author");
        if (author.isBlank() || author.length() > MAX_AUTHOR_LENGTH) {
            throw new IllegalArgumentException("author must be 1 to " + MAX_AUTHOR_LENGTH
                    + " characters and not blank, got '" + author + "'");
        }
        if (baseSeq < 0) {
            throw new IllegalArgumentException("base sequence number must not be negative, got " + baseSeq);
        }
    }

    /**
     * This header with another base.
     *
     * @param base the new base sequence number
     * @return the changed header
     */
    public DeltaHeader withBaseSeq(long base) {
        return new DeltaHeader(deltaId, fileId, author, base);
    }
}
