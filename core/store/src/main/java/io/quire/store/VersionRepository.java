package io.quire.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The version history of files: list, read, read as of a time, diff, restore, name.
 *
 * <p>History is append-only: a restore adds a version equal to the old one, and only a version's name can change.
 * Versions share content blobs, so reading or restoring an old version costs no more than reading the current one.
 *
 * <p><b>Historical reads.</b> "As of" reads ask for versions created at or before a time. Once that time lies further
 * in the past than twice {@link StoreConfig#historicalReadLag()}, the answer can no longer change, and on CockroachDB
 * the read runs {@code AS OF SYSTEM TIME} (now minus the lag): it then takes no locks, cannot conflict with writers,
 * and may be served by any replica. On H2 and PostgreSQL it is an ordinary read. One visible difference: on
 * CockroachDB a file deleted less than the lag ago can still be read as of a past time.
 */
public final class VersionRepository {
    /**
     * Reads of versions, which never change once written, run on a snapshot (REPEATABLE READ): consistent, and without
     * the predicate locks SERIALIZABLE takes on PostgreSQL for every row and page read (16 concurrent reads of a
     * 40-cell notebook exhausted the default {@code max_pred_locks_per_transaction}: "out of shared memory").
     */
    private static final Transactions.Isolation READ_ONLY = Transactions.Isolation.REPEATABLE_READ;

    private final StoreContext context;

    VersionRepository(StoreContext context) {
        this.context = context;
    }

    /**
     * The versions of a file, oldest first.
     *
     * @param org  the organisation
     * @param file the file
     * @return the versions
     * @throws StoreNotFoundException if the organisation has no such file
     */
    public List<Version> list(OrgId org, FileId file) {
        requireIds(org, file);
        return context.tx().inTransaction(READ_ONLY, c -> listUpTo(c, org, file, Optional.empty()));
    }

    /**
     * The versions a file had at a time: those created at or before it, oldest first.
     *
     * @param org  the organisation
     * @param file the file
     * @param time the time
     * @return the versions; empty if the file had none yet
     * @throws StoreNotFoundException if the organisation has no such file
     */
    public List<Version> listAsOf(OrgId org, FileId file, Instant time) {
        requireIds(org, file);
        Objects.requireNonNull(time, "time");
        return historical(time, c -> listUpTo(c, org, file, Optional.of(time)));
    }

    /**
     * Reads a version's metadata.
     *
     * @param org     the organisation
     * @param version the version
     * @return it
     * @throws StoreNotFoundException if the organisation has no such version
     */
    public Version get(OrgId org, VersionId version) {
        requireIds(org, version);
        return context.tx().inTransaction(READ_ONLY, c -> VersionRows.requireVersion(c, org, version).version());
    }

    /**
     * Reads a version's content.
     *
     * @param org     the organisation
     * @param version the version
     * @return the notebook or bytes it holds
     * @throws StoreNotFoundException if the organisation has no such version
     */
    public VersionContent read(OrgId org, VersionId version) {
        requireIds(org, version);
        return context.tx().inTransaction(READ_ONLY,
                c -> VersionRows.content(c, VersionRows.requireVersion(c, org, version)));
    }

    /**
     * The version a file had at a time: the latest created at or before it.
     *
     * @param org  the organisation
     * @param file the file
     * @param time the time
     * @return the version, or empty if the file had none yet
     * @throws StoreNotFoundException if the organisation has no such file
     */
    public Optional<Version> asOf(OrgId org, FileId file, Instant time) {
        requireIds(org, file);
        Objects.requireNonNull(time, "time");
        return historical(time, c -> latestUpTo(c, org, file, time).map(VersionRows.StoredVersion::version));
    }

    /**
     * The content a file had at a time.
     *
     * @param org  the organisation
     * @param file the file
     * @param time the time
     * @return the content of the latest version created at or before the time, or empty if there was none
     * @throws StoreNotFoundException if the organisation has no such file
     */
    public Optional<VersionContent> readAsOf(OrgId org, FileId file, Instant time) {
        requireIds(org, file);
        Objects.requireNonNull(time, "time");
        return historical(time, c -> {
            Optional<VersionRows.StoredVersion> version = latestUpTo(c, org, file, time);
            return version.isEmpty() ? Optional.<VersionContent>empty()
                    : Optional.of(VersionRows.content(c, version.get()));
        });
    }

    /**
     * Compares two versions of the same file, cell by cell, without reading their content (versions list the
     * hashes of their pieces).
     *
     * @param org  the organisation
     * @param from the older side
     * @param to   the newer side
     * @return the differences
     * @throws StoreNotFoundException   if the organisation has no such versions
     * @throws StoreBadRequestException if the versions belong to different files
     */
    public VersionDiff diff(OrgId org, VersionId from, VersionId to) {
        requireIds(org, from);
        Objects.requireNonNull(to, "to");
        return context.tx().inTransaction(READ_ONLY, c -> {
            VersionRows.StoredVersion a = VersionRows.requireVersion(c, org, from);
            VersionRows.StoredVersion b = VersionRows.requireVersion(c, org, to);
            if (!a.version().fileId().equals(b.version().fileId())) {
                throw new StoreBadRequestException("versions " + from + " and " + to + " belong to different files");
            }
            boolean contentChanged = !a.version().sha256().equals(b.version().sha256());
            if (a.version().kind() != EntryType.NOTEBOOK || b.version().kind() != EntryType.NOTEBOOK) {
                return new VersionDiff(from, to, false, contentChanged, List.of(), List.of(), List.of(), List.of());
            }
            boolean metadataChanged = !a.headHash().equals(b.headHash());
            return cellDiff(from, to, metadataChanged, contentChanged, VersionRows.cells(c, from),
                    VersionRows.cells(c, to));
        });
    }

    /**
     * Restores a version: adds a new version to its file with the same content (no content is rewritten), and makes
     * it the file's current one.
     *
     * @param org     the organisation
     * @param version the version to restore
     * @param author  who restores it
     * @return the new version
     * @throws StoreNotFoundException if the organisation has no such version
     */
    public Version restore(OrgId org, VersionId version, UserId author) {
        requireIds(org, version);
        Objects.requireNonNull(author, "author");
        return context.tx().inTransaction(c -> {
            VersionRows.StoredVersion old = VersionRows.requireVersion(c, org, version);
            FileEntry entry = VersionRows.requireFile(c, org, old.version().fileId());
            long seq = VersionRows.claimNextSeq(c, entry);
            Version restored = VersionRows.repeat(c, old, entry, seq, author, context.now(), Optional.empty(),
                    new VersionId(context.newId()), Optional.of(version));
            VersionRows.advanceHead(c, entry, restored);
            return restored;
        });
    }

    /**
     * Names a version, or removes its name.
     *
     * @param org     the organisation
     * @param version the version
     * @param name    the name, or empty to remove it
     * @return the version as named
     * @throws StoreNotFoundException   if the organisation has no such version
     * @throws StoreBadRequestException if the name is malformed
     */
    public Version name(OrgId org, VersionId version, Optional<String> name) {
        requireIds(org, version);
        Optional<String> checked = Objects.requireNonNull(name, "name").map(n -> Names.name("version name", n, 200));
        return context.tx().inTransaction(c -> {
            Version current = VersionRows.requireVersion(c, org, version).version();
            Sql.update(c, "UPDATE versions SET name = ? WHERE id = ?", checked, version);
            return new Version(current.id(), current.orgId(), current.fileId(), current.seq(), current.author(),
                    current.createdAt(), checked, current.kind(), current.size(), current.sha256(),
                    current.restoredFrom(), current.logSeq());
        });
    }

    /**
     * How far a file's versions have caught up with its delta log: the largest log seq of its versions written from
     * the log (decision 0029).
     *
     * @param org  the organisation
     * @param file the file
     * @return the seq, or empty if no version of the file was written from a log
     */
    public Optional<Long> lastLogSeq(OrgId org, FileId file) {
        requireIds(org, file);
        return context.tx().inTransaction(READ_ONLY, c -> {
            VersionRows.requireFile(c, org, file);
            return VersionRows.lastLogSeq(c, file);
        });
    }

    /**
     * The log seq of the version of a file created at a time, if that version was written from the file's delta log:
     * a writer that names the {@code last_modified} of what it read is based on that seq (decision 0029).
     *
     * @param org       the organisation
     * @param file      the file
     * @param createdAt the version's creation time (a contents model's {@code last_modified})
     * @return the seq, or empty if no version was created then or it was not written from the log
     */
    public Optional<Long> logSeqAt(OrgId org, FileId file, Instant createdAt) {
        requireIds(org, file);
        Objects.requireNonNull(createdAt, "createdAt");
        return context.tx().inTransaction(READ_ONLY, c -> Sql.query(c, "SELECT log_seq FROM versions WHERE org_id = ?"
                        + " AND file_id = ? AND created_at = ? AND log_seq IS NOT NULL ORDER BY seq DESC",
                rows -> rows.getLong(1), org, file, createdAt).stream().findFirst());
    }

    // ------------------------------------------------------------------------------------------------- internals

    private <T> T historical(Instant time, Transactions.Work<T> work) {
        Instant now = context.now();
        var lag = context.config().historicalReadLag();
        boolean settled = !time.isAfter(now.minus(lag.multipliedBy(2)));
        if (settled && context.dialect().hasHistoricalReads()) {
            return context.tx().historicalRead(now.minus(lag), work);
        }
        return context.tx().inTransaction(work);
    }

    private static List<Version> listUpTo(Connection c, OrgId org, FileId file, Optional<Instant> time)
            throws SQLException {
        VersionRows.requireFile(c, org, file);
        if (time.isEmpty()) {
            return Sql.query(c, "SELECT " + VersionRows.VERSION_COLUMNS + " FROM versions WHERE org_id = ?"
                    + " AND file_id = ? ORDER BY seq", VersionRows::version, org, file);
        }
        return Sql.query(c, "SELECT " + VersionRows.VERSION_COLUMNS + " FROM versions WHERE org_id = ?"
                + " AND file_id = ? AND created_at <= ? ORDER BY seq", VersionRows::version, org, file, time.get());
    }

    private static Optional<VersionRows.StoredVersion> latestUpTo(Connection c, OrgId org, FileId file, Instant time)
            throws SQLException {
        VersionRows.requireFile(c, org, file);
        return Sql.queryOne(c, "SELECT " + VersionRows.VERSION_COLUMNS + " FROM versions WHERE org_id = ?"
                        + " AND file_id = ? AND created_at <= ? ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY",
                VersionRows::storedVersion, org, file, time);
    }

    static VersionDiff cellDiff(VersionId from, VersionId to, boolean metadataChanged, boolean contentChanged,
            List<VersionRows.CellRow> a, List<VersionRows.CellRow> b) {
        Map<String, VersionRows.CellRow> before = new HashMap<>();
        a.forEach(cell -> before.put(cell.key(), cell));
        Map<String, VersionRows.CellRow> after = new HashMap<>();
        b.forEach(cell -> after.put(cell.key(), cell));
        List<VersionDiff.CellRef> added = new ArrayList<>();
        List<VersionDiff.CellRef> removed = new ArrayList<>();
        List<VersionDiff.ChangedCell> changed = new ArrayList<>();
        List<VersionRows.CellRow> common = new ArrayList<>();
        for (VersionRows.CellRow cell : a) {
            if (!after.containsKey(cell.key())) {
                removed.add(new VersionDiff.CellRef(cell.key(), cell.position()));
            }
        }
        for (VersionRows.CellRow cell : b) {
            VersionRows.CellRow old = before.get(cell.key());
            if (old == null) {
                added.add(new VersionDiff.CellRef(cell.key(), cell.position()));
                continue;
            }
            common.add(cell);
            boolean cellChanged = !old.cellHash().equals(cell.cellHash());
            boolean outputsChanged = !old.outputsHash().equals(cell.outputsHash());
            if (cellChanged || outputsChanged) {
                changed.add(new VersionDiff.ChangedCell(cell.key(), old.position(), cell.position(), cellChanged,
                        outputsChanged));
            }
        }
        // the common cells in their new order, by their old positions: those outside a longest increasing run moved
        int[] oldPositions = common.stream().mapToInt(cell -> before.get(cell.key()).position()).toArray();
        Set<Integer> stayed = longestIncreasing(oldPositions);
        List<VersionDiff.MovedCell> moved = new ArrayList<>();
        for (int i = 0; i < common.size(); i++) {
            if (!stayed.contains(i)) {
                VersionRows.CellRow cell = common.get(i);
                moved.add(new VersionDiff.MovedCell(cell.key(), oldPositions[i], cell.position()));
            }
        }
        return new VersionDiff(from, to, metadataChanged, contentChanged, added, removed, changed, moved);
    }

    /** The indexes of one longest strictly increasing subsequence (patience sorting, O(n log n)). */
    static Set<Integer> longestIncreasing(int[] values) {
        int[] tailIndex = new int[values.length];
        int[] previous = new int[values.length];
        int length = 0;
        for (int i = 0; i < values.length; i++) {
            int low = 0;
            int high = length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (values[tailIndex[mid]] < values[i]) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            previous[i] = low > 0 ? tailIndex[low - 1] : -1;
            tailIndex[low] = i;
            if (low == length) {
                length++;
            }
        }
        Set<Integer> result = new HashSet<>();
        for (int i = length == 0 ? -1 : tailIndex[length - 1]; i >= 0; i = previous[i]) {
            result.add(i);
        }
        return result;
    }

    private static void requireIds(OrgId org, Object id) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(id, "id");
    }
}
