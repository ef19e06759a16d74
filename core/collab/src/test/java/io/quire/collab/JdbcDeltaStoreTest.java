package io.quire.collab;

import static io.quire.collab.Fixtures.FILE;
import static io.quire.collab.Fixtures.header;
import static io.quire.collab.Fixtures.notebook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.collab.spi.DeltaStore;
import io.quire.store.Backend;
import io.quire.store.Store;
import io.quire.store.StoreConflictException;
import io.quire.store.TestDatabases;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class JdbcDeltaStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00.123456Z");

    @Parameter
    Backend backend;

    private Store database;
    private DeltaStore store;

    @BeforeEach
    void open() {
        database = Store.open(TestDatabases.config(backend).build());
        store = DeltaStores.jdbc(database);
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private static SequencedDelta delta(long seq, Instant at) {
        return new SequencedDelta(seq, at, new Delta.EditSource(header("ann", seq - 1), "a",
                Fixtures.insertAt("x", 1, "é😀" + seq)));
    }

    @Test
    void append_thenRead_givesTheDeltasInOrder_withTheirTimesAndBodies() {
        SequencedDelta first = delta(1, T0);
        SequencedDelta second = delta(2, T0.plusSeconds(1));
        store.append(first);
        store.append(second);

        assertThat(store.head(FILE)).isEqualTo(2);
        assertThat(store.head(UUID.randomUUID())).isZero();
        assertThat(store.read(FILE, 0, Long.MAX_VALUE)).extracting(d -> DeltaCodec.write(d.delta()))
                .containsExactly(DeltaCodec.write(first.delta()), DeltaCodec.write(second.delta()));
        assertThat(store.read(FILE, 1, 2)).extracting(SequencedDelta::seq, SequencedDelta::acceptedAt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, T0.plusSeconds(1)));
        assertThat(store.findByDeltaId(FILE, first.deltaId())).hasValueSatisfying(found ->
                assertThat(found.ack()).isEqualTo(first.ack()));
        assertThat(store.findByDeltaId(FILE, UUID.randomUUID())).isEmpty();
    }

    @Test
    void append_ofATakenSeq_failsWithASequenceConflict() {
        store.append(delta(1, T0));

        assertThatThrownBy(() -> store.append(delta(1, T0))).isInstanceOf(SequenceConflictException.class)
                .hasMessageContaining("seq 1");
        assertThatThrownBy(() -> store.append(delta(3, T0))).isInstanceOf(SequenceConflictException.class)
                .hasMessageContaining("next seq is 2");
        assertThat(store.head(FILE)).isEqualTo(1);
    }

    @Test
    void primaryKey_refusesADuplicateSeqWrittenDirectly() {
        // what stops two nodes that both read head = 0 and both insert seq 1
        store.append(delta(1, T0));

        assertThatThrownBy(() -> database.transactions().inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO deltas (file_id, seq, delta_id, author, "
                    + "created_at, body) VALUES (?, 1, ?, 'bob', ?, '{}')")) {
                insert.setObject(1, FILE);
                insert.setObject(2, UUID.randomUUID());
                insert.setObject(3, OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
                return insert.executeUpdate();
            }
        })).isInstanceOf(StoreConflictException.class);
    }

    @Test
    void append_ofAKnownDeltaId_failsWithASequenceConflict() {
        SequencedDelta first = delta(1, T0);
        store.append(first);

        assertThatThrownBy(() -> store.append(new SequencedDelta(2, T0, first.delta())))
                .isInstanceOf(SequenceConflictException.class);
        assertThat(store.head(FILE)).isEqualTo(1);
    }

    @Test
    void seqAt_givesTheLastDeltaAcceptedByThen() {
        store.append(delta(1, T0));
        store.append(delta(2, T0.plusSeconds(10)));

        assertThat(store.seqAt(FILE, T0.minusSeconds(1))).isZero();
        assertThat(store.seqAt(FILE, T0)).isEqualTo(1);
        assertThat(store.seqAt(FILE, T0.plusSeconds(9))).isEqualTo(1);
        assertThat(store.seqAt(FILE, T0.plusSeconds(10))).isEqualTo(2);
    }

    @Test
    void snapshots_latestAtOrBefore_andSavingTwiceKeepsTheFirst() {
        store.saveSnapshot(new Snapshot(FILE, 0, T0, notebook()));
        store.saveSnapshot(new Snapshot(FILE, 5, T0, notebook().withCells(java.util.List.of())));
        store.saveSnapshot(new Snapshot(FILE, 5, T0, notebook()));

        assertThat(store.latestSnapshot(FILE, 4)).hasValueSatisfying(s -> {
            assertThat(s.seq()).isZero();
            assertThat(s.notebook()).isEqualTo(notebook());
        });
        assertThat(store.latestSnapshot(FILE, 100)).hasValueSatisfying(s -> {
            assertThat(s.seq()).isEqualTo(5);
            assertThat(s.notebook().cells()).isEmpty();
        });
        assertThat(store.latestSnapshot(UUID.randomUUID(), 100)).isEmpty();
    }

    @Test
    void saveSnapshot_racingAnotherNodeForTheSameSeq_changesNothingAndDoesNotFail() throws Exception {
        // node A inserts the row in an open transaction; node B checks (sees nothing), inserts and waits on A's row
        // lock; when A commits B's insert violates the primary key, which must count as "already saved"
        Snapshot snapshot = new Snapshot(FILE, 7, T0, notebook());
        java.util.concurrent.CompletableFuture<Void> other = new java.util.concurrent.CompletableFuture<>();
        database.transactions().inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO snapshots (file_id, seq, created_at, "
                    + "body) VALUES (?, 7, ?, ?)")) {
                insert.setObject(1, FILE);
                insert.setObject(2, OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
                insert.setString(3, notebook().withCells(java.util.List.of()).toJsonString());
                insert.executeUpdate();
            }
            Thread.ofPlatform().start(() -> {
                try {
                    store.saveSnapshot(snapshot);
                    other.complete(null);
                } catch (RuntimeException e) {
                    other.completeExceptionally(e);
                }
            });
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });

        other.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(store.latestSnapshot(FILE, 7)).hasValueSatisfying(s -> assertThat(s.notebook().cells())
                .as("the first save stays").isEmpty());
    }
}
