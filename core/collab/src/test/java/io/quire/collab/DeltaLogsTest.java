package io.quire.collab;

import static io.quire.collab.Fixtures.notebook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.collab.spi.DeltaStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeltaLogsTest {

    @Test
    void log_isOneInstancePerFile_andAsksForTheInitialDocumentOnlyForANewLog() {
        DeltaStore store = DeltaStores.inMemory();
        DeltaLogs logs = new DeltaLogs(store, DeltaLog.Config.defaults());
        UUID file = UUID.randomUUID();
        int[] asked = {0};

        DeltaLog first = logs.log(file, () -> {
            asked[0]++;
            return notebook();
        });

        assertThat(logs.log(file, () -> {
            throw new AssertionError("not asked again");
        })).isSameAs(first);
        logs.close(file);
        DeltaLog reopened = logs.log(file, () -> {
            throw new AssertionError("the store has the log");
        });
        assertThat(reopened).isNotSameAs(first);
        assertThat(reopened.document()).isEqualTo(notebook());
        assertThat(asked[0]).isEqualTo(1);
    }

    @Test
    void aFileWhoseAppendIsStuck_doesNotBlockAnotherFile() throws Exception {
        UUID slowFile = UUID.randomUUID();
        CountDownLatch appending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DeltaStore store = new BlockingStore(DeltaStores.inMemory(), slowFile, appending, release);
        DeltaLogs logs = new DeltaLogs(store, DeltaLog.Config.defaults());
        UUID fastFile = UUID.randomUUID();
        DeltaLog slow = logs.log(slowFile, Fixtures::notebook);
        DeltaLog fast = logs.log(fastFile, Fixtures::notebook);

        CompletableFuture<Ack> stuck = CompletableFuture.supplyAsync(() -> slow.submit(
                new Delta.DeleteCell(new DeltaHeader(UUID.randomUUID(), slowFile, "ann", 0), "a")));
        assertThat(appending.await(10, TimeUnit.SECONDS)).isTrue();

        Ack ack = fast.submit(new Delta.DeleteCell(new DeltaHeader(UUID.randomUUID(), fastFile, "bob", 0), "a"));

        assertThat(ack.seq()).isEqualTo(1);
        assertThat(stuck).isNotDone();
        assertThat(slow.head()).as("not acknowledged before the store returned").isZero();
        release.countDown();
        assertThat(stuck.get(10, TimeUnit.SECONDS).seq()).isEqualTo(1);
        assertThat(slow.head()).isEqualTo(1);
    }

    @Test
    void aFailedAppend_isNotAcknowledgedNorApplied_andTheRetrySucceeds() {
        BlockingStore store = new BlockingStore(DeltaStores.inMemory(), UUID.randomUUID(), new CountDownLatch(0),
                new CountDownLatch(0));
        UUID file = UUID.randomUUID();
        DeltaLog log = new DeltaLogs(store, DeltaLog.Config.defaults()).log(file, Fixtures::notebook);
        Delta delta = new Delta.DeleteCell(new DeltaHeader(UUID.randomUUID(), file, "ann", 0), "a");
        store.failures().set(1);

        assertThatThrownBy(() -> log.submit(delta)).hasMessageContaining("disk full");
        assertThat(log.head()).isZero();
        assertThat(log.document()).isEqualTo(notebook());

        assertThat(log.submit(delta).seq()).isEqualTo(1);
        assertThat(Fixtures.ids(log.document())).containsExactly("b", "c");
    }

    /** Holds appends of one file until released. */
    private record BlockingStore(DeltaStore delegate, UUID file, CountDownLatch appending, CountDownLatch release,
                                 AtomicInteger failures) implements DeltaStore {
        BlockingStore(DeltaStore delegate, UUID file, CountDownLatch appending, CountDownLatch release) {
            this(delegate, file, appending, release, new AtomicInteger());
        }

        @Override
        public void append(SequencedDelta delta) {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("disk full (scripted)");
            }
            if (delta.fileId().equals(file)) {
                appending.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            delegate.append(delta);
        }

        @Override
        public void append(SequencedDelta delta, Fence fence) {
            delegate.append(delta, fence);
        }

        @Override
        public long head(UUID fileId) {
            return delegate.head(fileId);
        }

        @Override
        public List<SequencedDelta> read(UUID fileId, long afterSeq, long upToSeq) {
            return delegate.read(fileId, afterSeq, upToSeq);
        }

        @Override
        public Optional<SequencedDelta> findByDeltaId(UUID fileId, UUID deltaId) {
            return delegate.findByDeltaId(fileId, deltaId);
        }

        @Override
        public long seqAt(UUID fileId, Instant time) {
            return delegate.seqAt(fileId, time);
        }

        @Override
        public void saveSnapshot(Snapshot snapshot) {
            delegate.saveSnapshot(snapshot);
        }

        @Override
        public Optional<Snapshot> latestSnapshot(UUID fileId, long seq) {
            return delegate.latestSnapshot(fileId, seq);
        }
    }
}
