package io.quire.collab;

import io.quire.collab.spi.DeltaStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps logs in memory, one monitor per file (no lock across files), and the files' kernel leases ({@link LeaseTable}:
 * a fenced append holds the lease table's monitor, then the file's). For tests and for the desktop before it
 * has a database; nothing survives the process.
 */
final class InMemoryDeltaStore implements DeltaStore {
    private final Map<UUID, FileLog> files = new ConcurrentHashMap<>();
    private final LeaseTable leases = new LeaseTable();

    /** @return the kernel leases kept with this store (see {@link KernelLeases#inMemory}) */
    LeaseTable leaseTable() {
        return leases;
    }

    private FileLog log(UUID fileId) {
        return files.computeIfAbsent(fileId, id -> new FileLog());
    }

    @Override
    public void append(SequencedDelta delta) {
        FileLog log = log(delta.fileId());
        synchronized (log) {
            long next = log.deltas.size() + 1L;
            if (delta.seq() != next) {
                throw new SequenceConflictException("cannot append seq " + delta.seq() + " to the log of file "
                        + delta.fileId() + ": the next seq is " + next, null);
            }
            if (log.byId.containsKey(delta.deltaId())) {
                throw new SequenceConflictException("delta " + delta.deltaId() + " is already in the log of file "
                        + delta.fileId() + " at seq " + log.byId.get(delta.deltaId()).seq(), null);
            }
            log.deltas.add(delta);
            log.byId.put(delta.deltaId(), delta);
        }
    }

    @Override
    public void append(SequencedDelta delta, Fence fence) {
        java.util.Objects.requireNonNull(fence, "fence");
        leases.fenced(delta.fileId(), fence, () -> append(delta));
    }

    @Override
    public long head(UUID fileId) {
        FileLog log = log(fileId);
        synchronized (log) {
            return log.deltas.size();
        }
    }

    @Override
    public List<SequencedDelta> read(UUID fileId, long afterSeq, long upToSeq) {
        FileLog log = log(fileId);
        synchronized (log) {
            int from = (int) Math.max(0, Math.min(afterSeq, log.deltas.size()));
            int to = (int) Math.max(from, Math.min(upToSeq, log.deltas.size()));
            return List.copyOf(new ArrayList<>(log.deltas.subList(from, to)));
        }
    }

    @Override
    public Optional<SequencedDelta> findByDeltaId(UUID fileId, UUID deltaId) {
        FileLog log = log(fileId);
        synchronized (log) {
            return Optional.ofNullable(log.byId.get(deltaId));
        }
    }

    @Override
    public long seqAt(UUID fileId, Instant time) {
        FileLog log = log(fileId);
        synchronized (log) {
            long seq = 0;
            for (SequencedDelta delta : log.deltas) {
                if (delta.acceptedAt().isAfter(time)) {
                    break;
                }
                seq = delta.seq();
            }
            return seq;
        }
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        FileLog log = log(snapshot.fileId());
        synchronized (log) {
            log.snapshots.putIfAbsent(snapshot.seq(), snapshot);
        }
    }

    @Override
    public Optional<Snapshot> latestSnapshot(UUID fileId, long seq) {
        FileLog log = log(fileId);
        synchronized (log) {
            return Optional.ofNullable(log.snapshots.floorEntry(seq)).map(Map.Entry::getValue);
        }
    }

    private static final class FileLog {
        final List<SequencedDelta> deltas = new ArrayList<>();
        final Map<UUID, SequencedDelta> byId = new HashMap<>();
        final TreeMap<Long, Snapshot> snapshots = new TreeMap<>();
    }
}
