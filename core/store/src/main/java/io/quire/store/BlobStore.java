package io.quire.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Content-addressed bytes, stored once per organisation under their SHA-256.
 *
 * <p>Design: blobs are written in transactions of their own, before the transaction that records a version. Writing
 * a blob is idempotent (insert if absent), so those transactions can be retried freely, and the version transaction,
 * which is the one that meets conflicts when several people save the same file, stays small and cheap to retry: it
 * never rewrites megabytes of outputs. A blob whose version transaction finally fails stays behind unreferenced;
 * removing unreferenced blobs is a garbage collection left for later.
 */
final class BlobStore {
    /** Hashes per {@code IN} list. */
    private static final int IN_LIST = 100;
    /** Bytes written per transaction, at most (one larger blob goes alone). */
    private static final long BYTES_PER_TRANSACTION = 8L * 1024 * 1024;

    /** The outcome of writing blobs. */
    record Written(int count, long bytes) {
    }

    private final StoreContext context;

    BlobStore(StoreContext context) {
        this.context = context;
    }

    /** Stores the blobs that are not stored yet, in as many transactions as their size needs. */
    Written putAll(OrgId org, Collection<Blob> blobs) {
        int count = 0;
        long bytes = 0;
        List<Blob> batch = new ArrayList<>();
        long batchBytes = 0;
        for (Blob blob : blobs) {
            if (!batch.isEmpty() && (batchBytes + blob.bytes().length > BYTES_PER_TRANSACTION
                    || batch.size() >= IN_LIST)) {
                Written written = putBatch(org, batch);
                count += written.count();
                bytes += written.bytes();
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(blob);
            batchBytes += blob.bytes().length;
        }
        if (!batch.isEmpty()) {
            Written written = putBatch(org, batch);
            count += written.count();
            bytes += written.bytes();
        }
        return new Written(count, bytes);
    }

    private Written putBatch(OrgId org, List<Blob> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tryPutBatch(org, batch);
            } catch (StoreConflictException e) {
                // H2 has no insert-if-absent that is safe against a concurrent insert of the same blob: the loser
                // sees a duplicate key, and the next attempt finds the blob stored
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    private Written tryPutBatch(OrgId org, List<Blob> batch) {
        return context.tx().inTransaction(Transactions.Isolation.READ_COMMITTED, c -> {
            Set<String> present = existing(c, org, batch.stream().map(Blob::hash).toList());
            Instant now = context.now();
            int count = 0;
            long bytes = 0;
            boolean repeatKey = context.dialect().insertBlobRepeatsKey();
            try (PreparedStatement insert = c.prepareStatement(context.dialect().insertBlobIfAbsent())) {
                for (Blob blob : batch) {
                    if (present.contains(blob.hash())) {
                        continue;
                    }
                    if (repeatKey) {
                        Sql.bind(insert, org, blob.hash(), (long) blob.bytes().length, blob.bytes(), now, org,
                                blob.hash());
                    } else {
                        Sql.bind(insert, org, blob.hash(), (long) blob.bytes().length, blob.bytes(), now);
                    }
                    if (insert.executeUpdate() == 1) {
                        count++;
                        bytes += blob.bytes().length;
                    }
                }
            }
            return new Written(count, bytes);
        });
    }

    private static Set<String> existing(Connection c, OrgId org, List<String> hashes) throws SQLException {
        Set<String> present = new HashSet<>();
        for (List<String> chunk : Sql.chunks(hashes, IN_LIST)) {
            Object[] parameters = new Object[chunk.size() + 1];
            parameters[0] = org;
            for (int i = 0; i < chunk.size(); i++) {
                parameters[i + 1] = chunk.get(i);
            }
            present.addAll(Sql.query(c, "SELECT hash FROM blobs WHERE org_id = ? AND hash IN ("
                    + Sql.placeholders(chunk.size()) + ")", rows -> rows.getString("hash"), parameters));
        }
        return present;
    }

    /** Reads blobs of an organisation; a missing one is a damaged store. */
    static Map<String, byte[]> read(Connection c, OrgId org, Collection<String> hashes) throws SQLException {
        Set<String> unique = new HashSet<>(hashes);
        Map<String, byte[]> found = new HashMap<>();
        for (List<String> chunk : Sql.chunks(unique, IN_LIST)) {
            Object[] parameters = new Object[chunk.size() + 1];
            parameters[0] = org;
            for (int i = 0; i < chunk.size(); i++) {
                parameters[i + 1] = chunk.get(i);
            }
            Sql.query(c, "SELECT hash, data FROM blobs WHERE org_id = ? AND hash IN (" + Sql.placeholders(chunk.size())
                    + ")", rows -> found.put(rows.getString("hash"), rows.getBytes("data")), parameters);
        }
        if (found.size() != unique.size()) {
            unique.removeAll(found.keySet());
            throw new StoreFailureException("the store is damaged: content blobs " + unique + " of organisation " + org
                    + " are missing");
        }
        return found;
    }
}
