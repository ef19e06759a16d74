package io.quire.collab.spi;

import io.quire.collab.SequenceConflictException;
import io.quire.collab.SequencedDelta;
import io.quire.collab.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the per-file delta logs and their snapshots are kept. Implementations: in memory and on the store's database
 * ({@link io.quire.collab.DeltaStores}). They must be safe for concurrent use; several sequencers (server nodes) may
 * append to one file's log, and {@link #append} is what keeps the log linear between them.
 */
public interface DeltaStore {

    /**
     * Appends a delta to its file's log, durably: when this returns, the delta survives a crash.
     *
     * @param delta the delta; its {@code seq} must be exactly the file's {@link #head} plus one
     * @throws SequenceConflictException if that sequence number is taken (another writer appended first), the seq is
     *                                   not the next one, or the delta id is already in the file's log
     */
    void append(SequencedDelta delta);

    /**
     * Appends a delta only if the file's kernel lease (see {@link io.quire.collab.KernelLeases}) is still held by the
     * fence's node at the fence's epoch, checked atomically with the append: once another node has taken the lease
     * over, nothing the old holder appends gets in.
     *
     * @param delta the delta, as for {@link #append(SequencedDelta)}
     * @param fence the node and epoch that must still hold the lease
     * @throws io.quire.collab.FencedException  if the lease is not (or no longer) held by that node at that epoch
     * @throws SequenceConflictException       as for {@link #append(SequencedDelta)}
     */
    void append(SequencedDelta delta, io.quire.collab.Fence fence);

    /**
     * The sequence number of the last delta of a file's log.
     *
     * @param fileId the file
     * @return the head, 0 for an empty log
     */
    long head(UUID fileId);

    /**
     * Deltas of a file's log in order.
     *
     * @param fileId   the file
     * @param afterSeq read deltas with a greater seq
     * @param upToSeq  and a seq not greater than this
     * @return the deltas, ascending by seq
     */
    List<SequencedDelta> read(UUID fileId, long afterSeq, long upToSeq);

    /**
     * Finds a delta by its client-chosen id.
     *
     * @param fileId  the file
     * @param deltaId the delta id
     * @return the delta, or empty if the file's log has none with that id
     */
    Optional<SequencedDelta> findByDeltaId(UUID fileId, UUID deltaId);

    /**
     * The sequence number of the last delta accepted at or before a time.
     *
     * @param fileId the file
     * @param time   the time
     * @return the seq, 0 if no delta was accepted by then
     */
    long seqAt(UUID fileId, Instant time);

    /**
     * Saves a snapshot. Saving a snapshot of a (file, seq) that already has one changes nothing: snapshots of one
     * position of one log are equal.
     *
     * @param snapshot the snapshot
     */
    void saveSnapshot(Snapshot snapshot);

    /**
     * The latest snapshot of a file at or before a position.
     *
     * @param fileId the file
     * @param seq    the position
     * @return the snapshot with the greatest seq not greater than {@code seq}, or empty if there is none
     */
    Optional<Snapshot> latestSnapshot(UUID fileId, long seq);
}
