package io.quire.collab;

import static io.quire.collab.Fixtures.FILE;
import static io.quire.collab.Fixtures.header;
import static io.quire.collab.Fixtures.notebook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.collab.spi.DeltaStore;
import io.quire.store.Backend;
import io.quire.store.Store;
import io.quire.store.TestDatabases;
import io.quire.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(KernelLeasesTest.Kind.class)
class KernelLeasesTest {
    private static final Duration TTL = Duration.ofSeconds(30);

    /** Where the leases live. */
    enum Kind { MEMORY, H2, POSTGRESQL }

    @Parameter
    Kind kind;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private Store database;
    private DeltaStore store;
    private KernelLeases leases;

    @BeforeEach
    void open() {
        switch (kind) {
            case MEMORY -> {
                store = DeltaStores.inMemory();
                leases = KernelLeases.inMemory(store, clock);
            }
            case H2, POSTGRESQL -> {
                database = Store.open(TestDatabases.config(kind == Kind.H2 ? Backend.H2 : Backend.POSTGRESQL)
                        .build());
                store = DeltaStores.jdbc(database);
                leases = KernelLeases.jdbc(database, clock);
            }
        }
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void acquire_ofAFreeLease_givesEpochOne_andAnotherNodeIsRefusedWhileItLasts() {
        LeaseState first = leases.acquire(FILE, "node-a", TTL).orElseThrow();

        assertThat(first.lease()).isEqualTo(new KernelLease(FILE, "node-a", 1, clock.instant().plus(TTL)));
        assertThat(first.progress()).isEqualTo(LeaseProgress.NONE);
        clock.advance(TTL.minusSeconds(1));
        assertThat(leases.acquire(FILE, "node-b", TTL)).isEmpty();
        assertThat(leases.read(FILE)).hasValueSatisfying(state -> assertThat(state.lease().nodeId())
                .isEqualTo("node-a"));
    }

    @Test
    void acquire_byTheHolder_renewsAtTheSameEpoch() {
        leases.acquire(FILE, "node-a", TTL).orElseThrow();
        clock.advance(Duration.ofSeconds(10));

        KernelLease again = leases.acquire(FILE, "node-a", TTL).orElseThrow().lease();

        assertThat(again.epoch()).isEqualTo(1);
        assertThat(again.expiresAt()).isEqualTo(clock.instant().plus(TTL));
    }

    @Test
    void acquire_ofAnExpiredLease_raisesTheEpoch_andKeepsTheProgress() {
        KernelLease a = leases.acquire(FILE, "node-a", TTL).orElseThrow().lease();
        LeaseProgress progress = new LeaseProgress(4, Optional.of(new LeaseProgress.RunningCell(7, "c")));
        assertThat(leases.recordProgress(a, progress)).isTrue();

        clock.advance(TTL);
        LeaseState b = leases.acquire(FILE, "node-b", TTL).orElseThrow();

        assertThat(b.lease().epoch()).isEqualTo(2);
        assertThat(b.lease().nodeId()).isEqualTo("node-b");
        assertThat(b.progress()).isEqualTo(progress);
        assertThat(leases.renew(a, TTL)).isEmpty();
        assertThat(leases.recordProgress(a, LeaseProgress.NONE)).isFalse();
        assertThat(leases.read(FILE).orElseThrow().progress()).isEqualTo(progress);
    }

    @Test
    void renew_extendsTheLease_evenAfterItExpiredWhileNobodyTookItOver() {
        KernelLease a = leases.acquire(FILE, "node-a", TTL).orElseThrow().lease();
        clock.advance(TTL.plusSeconds(5));

        KernelLease renewed = leases.renew(a, TTL).orElseThrow();

        assertThat(renewed.epoch()).isEqualTo(1);
        assertThat(renewed.expiresAt()).isEqualTo(clock.instant().plus(TTL));
        assertThat(leases.acquire(FILE, "node-b", TTL)).isEmpty();
    }

    @Test
    void release_letsAnotherNodeTakeOverAtOnce() {
        KernelLease a = leases.acquire(FILE, "node-a", TTL).orElseThrow().lease();

        leases.release(a);

        assertThat(leases.acquire(FILE, "node-b", TTL)).hasValueSatisfying(state ->
                assertThat(state.lease().epoch()).isEqualTo(2));
    }

    @Test
    void twoNodesRacingForFreeAndForExpiredLeases_exactlyOneWinsEachTime() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                UUID file = UUID.randomUUID();
                assertThat(race(threads, file)).hasSize(1).first().satisfies(state ->
                        assertThat(state.lease().epoch()).isEqualTo(1));
                clock.advance(TTL);
                assertThat(race(threads, file)).hasSize(1).first().satisfies(state ->
                        assertThat(state.lease().epoch()).isEqualTo(2));
                clock.advance(TTL);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private List<LeaseState> race(ExecutorService threads, UUID file) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<LeaseState>>> attempts = new ArrayList<>();
        for (String node : List.of("node-x", "node-y", "node-z", "node-w")) {
            attempts.add(threads.submit(() -> {
                start.await();
                return leases.acquire(file, node, TTL);
            }));
        }
        start.countDown();
        List<LeaseState> won = new ArrayList<>();
        for (Future<Optional<LeaseState>> attempt : attempts) {
            attempt.get().ifPresent(won::add);
        }
        assertThat(leases.read(file)).hasValueSatisfying(state -> assertThat(state.lease())
                .isEqualTo(won.getFirst().lease()));
        return won;
    }

    @Test
    void fencedSubmit_byTheHolder_isPersisted_andByANodeThatLostTheLease_isRefused() {
        DeltaLog log = DeltaLog.open(FILE, store, notebook(), DeltaLog.Config.defaults().withClock(clock));
        KernelLease a = leases.acquire(FILE, "node-a", TTL).orElseThrow().lease();

        assertThat(log.submit(new Delta.ClearOutputs(header("quire:kernel", 0), "a"), a.fence()).seq())
                .isEqualTo(1);
        clock.advance(TTL);
        KernelLease b = leases.acquire(FILE, "node-b", TTL).orElseThrow().lease();

        assertThatThrownBy(() -> log.submit(new Delta.ClearOutputs(header("quire:kernel", 1), "a"), a.fence()))
                .isInstanceOf(FencedException.class).hasMessageContaining("node-a")
                .hasMessageContaining("held by node-b at epoch 2");
        assertThat(log.head()).isEqualTo(1);
        assertThat(store.head(FILE)).isEqualTo(1);
        assertThat(log.submit(new Delta.ClearOutputs(header("quire:kernel", 1), "a"), b.fence()).seq())
                .isEqualTo(2);
    }

    @Test
    void fencedSubmit_withoutAnyLease_isRefused() {
        DeltaLog log = DeltaLog.open(FILE, store, notebook(), DeltaLog.Config.defaults().withClock(clock));

        assertThatThrownBy(() -> log.submit(new Delta.ClearOutputs(header("quire:kernel", 0), "a"),
                new Fence("node-a", 1))).isInstanceOf(FencedException.class).hasMessageContaining("has no lease");
        assertThat(store.head(FILE)).isZero();
    }

    @Test
    void acquire_withABadTtl_isRefused() {
        assertThatThrownBy(() -> leases.acquire(FILE, "node-a", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TTL must be positive");
    }
}
