package io.quire.contents.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file replacement that never leaves a torn file: the bytes go to a hidden temporary file in the target's
 * directory, are forced to disk, get the target's permissions, and the temporary file is then renamed over the
 * target in one atomic step (POSIX {@code rename}). Readers see the old file or the new one. A symbolic link at the
 * target is written through (its target is replaced), as Jupyter does, so the link survives.
 */
final class AtomicFiles {
    /** Prefix of temporary files; such names are never listed or addressable through the API. */
    static final String TEMP_PREFIX = ".~quire-";

    private AtomicFiles() {
    }

    static void write(Path target, byte[] bytes, Optional<FileTime> lastModified) throws IOException {
        Path real = Files.isSymbolicLink(target) ? target.toRealPath() : target;
        Path temp = real.resolveSibling(TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            copyPermissions(real, temp);
            if (lastModified.isPresent()) {
                Files.setLastModifiedTime(temp, lastModified.get());
            }
            try {
                Files.move(temp, real, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, real, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(real.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView target = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (source != null && target != null) {
            target.setPermissions(source.readAttributes().permissions());
        }
    }

    /** Makes the rename itself durable; best effort, as not every platform can open a directory. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the file content is already durable; only the directory entry's durability is platform dependent
        }
    }
}
