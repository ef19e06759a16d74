package io.quire.contents.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
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
 *
 * <p>Two forces make a save durable: the temporary file's (before the rename) and the directory's (after it), the
 * minimum for a durable atomic replacement. {@link #stage} and {@link Staged} split the work so that a caller that
 * serialises writes with a lock holds it only for the rename, not for the forces.
 */
final class AtomicFiles {
    /** Prefix of temporary files; such names are never listed or addressable through the API. */
    static final String TEMP_PREFIX = ".~quire-";

    private AtomicFiles() {
    }

    static void write(Path target, byte[] bytes, Optional<FileTime> lastModified) throws IOException {
        try (Staged staged = stage(target, out -> out.write(bytes))) {
            staged.commit(lastModified);
            staged.syncDirectory();
        }
    }

    /** Writes a file's whole content to a stream (which it must not close). */
    @FunctionalInterface
    interface Content {
        /**
         * Writes the content.
         *
         * @param out the temporary file's stream
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * The first, slow half of {@link #write}: the content in a temporary file next to the (link-resolved) target,
     * forced to disk. It needs no lock: the file has a fresh random name. The caller then {@linkplain Staged#commit
     * commits} it (under its lock, if it serialises writes), {@linkplain Staged#syncDirectory syncs the directory}
     * (again without a lock) and closes it, which removes the temporary file if it was not committed.
     */
    static Staged stage(Path target, Content content) throws IOException {
        Path real = Files.isSymbolicLink(target) ? target.toRealPath() : target;
        Path temp = real.resolveSibling(TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                content.writeTo(Channels.newOutputStream(channel));
                channel.force(true);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new Staged(real, temp);
    }

    /** A temporary file holding the new content of {@code target}, durable but not yet in place. */
    static final class Staged implements AutoCloseable {
        private final Path target;
        private final Path temp;

        private Staged(Path target, Path temp) {
            this.target = target;
            this.temp = temp;
        }

        /** Gives the temporary file the target's permissions and renames it over the target in one step. */
        void commit(Optional<FileTime> lastModified) throws IOException {
            copyPermissions(target, temp);
            if (lastModified.isPresent()) {
                Files.setLastModifiedTime(temp, lastModified.get());
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        /** Makes the rename durable (forces the directory); best effort, as not every platform can. */
        void syncDirectory() {
            AtomicFiles.syncDirectory(target.getParent());
        }

        /** Removes the temporary file if it was not committed. */
        @Override
        public void close() throws IOException {
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
