package io.quire.contents.fs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Parsed notebooks by file, so that reading an unchanged notebook again costs no parsing: an entry is valid only
 * while the file's size, modification time and file key (inode) are those it was read with, so any write, by Quire
 * or by another program, makes it miss. Bounded by the total size of the cached files; least recently used entries
 * go first. The cached trees are shared: callers copy before changing them ({@code ContentModel} does). A notebook too
 * large to keep (over a quarter of the bound) is remembered without its tree, for {@link #verified} alone: so that
 * reading a large unchanged notebook again can send its stored bytes instead of parsing it again. The stored bytes
 * of a verified notebook up to a sixteenth of the bound are kept too, once read ({@link #keepStored}), so that
 * sending an unchanged notebook again reads nothing from disk; they count against the bound.
 */
final class NotebookCache {
    private record Stamp(long size, FileTime modified, Object fileKey) {
        static Stamp of(BasicFileAttributes attributes) {
            return new Stamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
        }
    }

    /**
     * A cached notebook; {@code notebook} is null for one remembered only as verified (too large to keep),
     * {@code stored} null until its stored bytes are kept; {@code bytes} is what the entry counts against the bound.
     */
    private record Entry(Stamp stamp, JsonNode notebook, byte[] stored, long bytes, boolean storedAsRead) {
    }

    /** What a tree-less entry counts against the bound. */
    private static final long TREELESS_BYTES = 1024;

    private final long maxBytes;
    private final Map<Path, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long totalBytes;

    NotebookCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized Optional<JsonNode> get(Path file, BasicFileAttributes attributes) {
        Entry entry = entries.get(file);
        if (entry == null) {
            return Optional.empty();
        }
        if (!Objects.equals(entry.stamp(), Stamp.of(attributes)) || entry.stamp().fileKey() == null) {
            remove(file);
            return Optional.empty();
        }
        return Optional.ofNullable(entry.notebook());
    }

    /**
     * Whether the file, as it is now, was verified to be a notebook whose stored JSON is what reading returns (an
     * nbformat 4 file; a v3 file is upgraded on reading, so its bytes differ).
     */
    synchronized boolean verified(Path file, BasicFileAttributes attributes) {
        Entry entry = entries.get(file);
        return entry != null && entry.storedAsRead() && attributes.fileKey() != null
                && Objects.equals(entry.stamp(), Stamp.of(attributes));
    }

    /**
     * The stored bytes of a verified notebook ({@link #verified}), if they are kept. The array is shared: callers
     * must not change it.
     */
    synchronized Optional<byte[]> stored(Path file, BasicFileAttributes attributes) {
        Entry entry = entries.get(file);
        return entry != null && entry.stored() != null && entry.storedAsRead() && attributes.fileKey() != null
                && Objects.equals(entry.stamp(), Stamp.of(attributes)) ? Optional.of(entry.stored())
                : Optional.empty();
    }

    /**
     * Keeps the stored bytes of a verified notebook just read, when they are small enough (up to a sixteenth of the
     * bound) and the file is still as it was verified; otherwise does nothing. The array must not change afterwards.
     *
     * @param attributes the file's attributes after the bytes were read
     */
    synchronized void keepStored(Path file, BasicFileAttributes attributes, byte[] bytes) {
        Entry entry = entries.get(file);
        if (entry == null || entry.stored() != null || !entry.storedAsRead() || bytes.length > maxBytes / 16
                || attributes.fileKey() == null || !Objects.equals(entry.stamp(), Stamp.of(attributes))
                || attributes.size() != bytes.length) {
            return;
        }
        remove(file);
        add(file, new Entry(entry.stamp(), entry.notebook(), bytes, entry.bytes() + bytes.length, true));
    }

    /** Whether a notebook of this many bytes is kept with its tree ({@link #put} drops the tree of larger ones). */
    boolean keepsTree(long bytes) {
        return bytes <= maxBytes / 4;
    }

    /** Whether a notebook read from a file is stored as it is read: nbformat 4, not upgraded from v3. */
    static boolean storedAsRead(JsonNode notebook) {
        return notebook.path("nbformat").asInt() == 4 && notebook.path("nbformat_minor").asInt(-1) >= 0
                && !notebook.path("metadata").has("orig_nbformat");
    }

    /** {@link #storedAsRead(JsonNode)} for a model. */
    static boolean storedAsRead(io.quire.notebook.Notebook notebook) {
        return notebook.nbformat() == 4 && notebook.nbformatMinor() >= 0 && !notebook.metadata().has("orig_nbformat");
    }

    /** Remembers a file as read and checked, with its tree. */
    void put(Path file, BasicFileAttributes attributes, JsonNode notebook, long bytes) {
        put(file, attributes, notebook, storedAsRead(notebook), bytes);
    }

    /**
     * Remembers a file as read and checked.
     *
     * @param notebook     its tree, or null when the caller has none (it must then be too large to keep one)
     * @param storedAsRead whether its bytes are what reading returns ({@link #storedAsRead(JsonNode)})
     */
    synchronized void put(Path file, BasicFileAttributes attributes, JsonNode notebook, boolean storedAsRead,
            long bytes) {
        if (attributes.fileKey() == null) {
            return;
        }
        remove(file);
        boolean keepTree = keepsTree(bytes) && notebook != null;
        long counted = keepTree ? bytes : TREELESS_BYTES;
        add(file, new Entry(Stamp.of(attributes), keepTree ? notebook : null, null, counted, storedAsRead));
    }

    private void add(Path file, Entry entry) {
        entries.put(file, entry);
        totalBytes += entry.bytes();
        for (Iterator<Map.Entry<Path, Entry>> it = entries.entrySet().iterator(); totalBytes > maxBytes && it.hasNext(); ) {
            totalBytes -= it.next().getValue().bytes();
            it.remove();
        }
    }

    private void remove(Path file) {
        Entry removed = entries.remove(file);
        if (removed != null) {
            totalBytes -= removed.bytes();
        }
    }
}
