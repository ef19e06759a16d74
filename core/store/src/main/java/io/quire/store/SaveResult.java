package io.quire.store;

import java.util.Objects;

/**
 * What a save did.
 *
 * @param entry        the file entry after the save
 * @param version      the version created
 * @param blobsWritten how many content blobs were new (the rest were already stored and are shared)
 * @param bytesWritten the size of the new blobs
 */
public record SaveResult(FileEntry entry, Version version, int blobsWritten, long bytesWritten) {
    /** Checks that no component is null. */
    public SaveResult {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(version, "version");
    }
}
