package io.quire.kernels;

import io.quire.kernel.ExecuteReply;
import io.quire.kernel.ExecuteRequest;
import io.quire.kernel.ExecutionListener;
import io.quire.kernel.InputRequest;
import io.quire.kernel.IopubEvent;
import io.quire.kernel.KernelLaunchException;
import io.quire.kernel.KernelSpecException;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.testing.Await;
import io.quire.testing.FakeKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.quire.kernels.ManagerFixture.ADA;
import static io.quire.kernels.ManagerFixture.BOB;
import static io.quire.kernels.ManagerFixture.EVE;
import static io.quire.kernels.ManagerFixture.SPEC;
import static io.quire.kernels.ManagerFixture.TIMEOUT;
import static io.quire.kernels.ManagerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30) // a start that should have been refused or handed over would otherwise hang on a paused provisioner
class KernelPoolTest {
    @TempDir
    Path dataDir;

    private ManagerFixture fixture;
    private KernelManager manager;

    @BeforeEach
    void setUp() {
        fixture = new ManagerFixture(dataDir);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private KernelManager withPool(PoolConfig pool) {
        manager = fixture.manager(builder -> builder.pools(List.of(pool)));
        return manager;
    }

    private PoolStatus status() {
        return manager.poolStatus().getFirst();
    }

    private void awaitIdle(int count) {
        Await.until(TIMEOUT, count + " idle pooled kernels", () -> status().idle() == count && status().starting() == 0);
    }

    private static final ExecutionListener QUIET = new ExecutionListener() {
        @Override
        public void onEvent(IopubEvent event) {
        }

        @Override
        public String onInputRequest(InputRequest request) {
            return "";
        }
    };

    @Test
    void pool_fillsToMaxIdleInTheBackground_forNobody_andIsNotListed() {
        withPool(PoolConfig.of(SPEC, Optional.empty(), 1, 2));

        awaitIdle(2);

        assertThat(manager.list()).isEmpty();
        assertThat(fixture.provisioner.launched()).hasSize(2).allMatch(FakeKernel::isAlive);
        assertThat(fixture.provisioner.requests()).allSatisfy(request -> {
            assertThat(request.owner()).isEmpty();
            assertThat(request.cwd()).isEmpty();
            assertThat(request.env()).isEmpty();
        });
        assertThat(status()).isEqualTo(new PoolStatus(SPEC, Optional.empty(), 1, 2, 2, 0, 0, 0, Optional.empty()));
    }

    @Test
    void start_fromThePool_handsOverAReadyKernelWithoutLaunching_thenRefills() {
        withPool(PoolConfig.of(SPEC, Optional.empty(), 2, 2));
        awaitIdle(2);
        List<Integer> pooledPorts = fixture.shellPorts();
        fixture.provisioner.pause(); // from here on no launch can finish

        long before = System.nanoTime();
        ManagedKernelInfo info = manager.start(request(ADA));
        Duration handOff = Duration.ofNanos(System.nanoTime() - before);

        assertThat(handOff).isLessThan(Duration.ofSeconds(1));
        assertThat(info.phase()).isEqualTo(KernelPhase.READY);
        assertThat(info.executionState()).isEqualTo(ExecutionState.IDLE);
        assertThat(info.owner()).contains(ADA);
        assertThat(pooledPorts).contains(fixture.fakeOf(info.id()).shellPort());
        assertThat(manager.running(info.id()).execute(ExecuteRequest.of("print:hi"), QUIET).await(TIMEOUT).status())
                .isEqualTo(ExecuteReply.Status.OK);
        Await.until(TIMEOUT, "one refill launch held", () -> fixture.provisioner.held() == 1);
        assertThat(status().idle()).isEqualTo(1);
        assertThat(status().starting()).isEqualTo(1);
        assertThat(status().handedOut()).isEqualTo(1);

        fixture.provisioner.resume();

        awaitIdle(2);
        assertThat(fixture.provisioner.launched()).hasSize(3);
        assertThat(manager.list()).extracting(ManagedKernelInfo::id).containsExactly(info.id());
    }

    @Test
    void pool_refillsOnlyBelowMinIdle_andThenUpToMaxIdle() {
        withPool(PoolConfig.of(SPEC, Optional.empty(), 1, 3));
        awaitIdle(3);

        manager.start(request(ADA));
        manager.start(request(BOB));

        assertThat(status().idle()).isEqualTo(1);
        assertThat(status().starting()).isZero();
        assertThat(fixture.provisioner.launched()).hasSize(3);

        manager.start(request(EVE));

        awaitIdle(3);
        assertThat(fixture.provisioner.launched()).hasSize(6);
        assertThat(status().handedOut()).isEqualTo(3);
    }

    @Test
    void pooledKernels_areNeverSharedBetweenOwners() {
        withPool(PoolConfig.of(SPEC, Optional.empty(), 1, 1));
        awaitIdle(1);
        ManagedKernelInfo ada = manager.start(request(ADA));
        awaitIdle(1);

        ManagedKernelInfo eve = manager.start(request(EVE));

        assertThat(eve.id()).isNotEqualTo(ada.id());
        assertThat(fixture.fakeOf(eve.id())).isNotSameAs(fixture.fakeOf(ada.id()));
        assertThat(manager.get(ada.id()).orElseThrow().owner()).contains(ADA);
        assertThat(manager.get(eve.id()).orElseThrow().owner()).contains(EVE);
        assertThat(status().handedOut()).isEqualTo(2);
    }

    @Test
    void shutdown_destroysAHandedOutKernel_itIsNeverPooledAgain() {
        withPool(PoolConfig.of(SPEC, Optional.empty(), 1, 1));
        awaitIdle(1);
        ManagedKernelInfo first = manager.start(request(ADA));
        FakeKernel firstFake = fixture.fakeOf(first.id());

        manager.shutdown(first.id());

        assertThat(firstFake.isAlive()).isFalse();
        awaitIdle(1);
        ManagedKernelInfo next = manager.start(request(ADA));
        assertThat(fixture.fakeOf(next.id())).isNotSameAs(firstFake);
        assertThat(fixture.fakeOf(next.id()).isAlive()).isTrue();
        assertThat(status().handedOut()).isEqualTo(2);
    }

    @Test
    void idlePooledKernel_thatDies_isReplaced() {
        withPool(PoolConfig.of(SPEC, Optional.empty(), 1, 1));
        awaitIdle(1);
        FakeKernel doomed = fixture.provisioner.only();

        doomed.die();

        Await.until(TIMEOUT, "replacement ready",
                () -> status().replaced() == 1 && status().idle() == 1 && fixture.provisioner.launched().size() == 2);
        ManagedKernelInfo info = manager.start(request(ADA));
        assertThat(fixture.fakeOf(info.id())).isNotSameAs(doomed);
        assertThat(manager.get(info.id()).orElseThrow().executionState()).isEqualTo(ExecutionState.IDLE);
    }

    @Test
    void pool_servesOnlyItsSpecAndSize_withoutCwd_andLetsInformationalEnvThrough() {
        withPool(PoolConfig.of(SPEC, Optional.of("small"), 1, 1));
        awaitIdle(1);

        manager.start(request(ADA)); // default size: not this pool
        manager.start(request(ADA).withSize("small").withCwd(Optional.of(dataDir))); // a cwd the pool cannot give
        manager.start(request(ADA).withSize("small").withEnv(Map.of("SECRET", "x"))); // env the pool cannot give
        assertThat(status().handedOut()).isZero();

        ManagedKernelInfo pooled = manager.start(request(ADA).withSize("small")
                .withEnv(Map.of("JPY_SESSION_NAME", "notes.ipynb")));

        assertThat(status().handedOut()).isEqualTo(1);
        assertThat(pooled.size()).contains("small");
        List<LaunchRequest> requests = fixture.provisioner.requests();
        assertThat(requests.getFirst()).isEqualTo(LaunchRequest.defaults().withSize("small"));
        assertThat(requests).filteredOn(r -> r.owner().isPresent()).hasSize(3);
    }

    @Test
    void workingDirectory_isWhereKernelsWithoutOneRun_pooledOrNot_andANamedDirectoryWins() throws Exception {
        Path root = java.nio.file.Files.createDirectories(dataDir.resolve("root"));
        Path folder = java.nio.file.Files.createDirectories(dataDir.resolve("root/sub"));
        manager = fixture.manager(builder -> builder.workingDirectory(root)
                .pools(List.of(PoolConfig.of(SPEC, Optional.of("small"), 1, 1))));
        awaitIdle(1);

        ManagedKernelInfo pooled = manager.start(request(ADA).withSize("small"));
        manager.start(request(ADA));
        manager.start(request(ADA).withCwd(Optional.of(folder)));
        awaitIdle(1); // the pool has refilled

        List<LaunchRequest> requests = fixture.provisioner.requests();
        assertThat(requests.getFirst()).as("the pool's kernel").isEqualTo(
                LaunchRequest.defaults().withCwd(root).withSize("small"));
        assertThat(pooled.owner()).contains(ADA);
        assertThat(requests).extracting(LaunchRequest::cwd).as("pool, its refill, no directory, a named one")
                .containsExactlyInAnyOrder(Optional.of(root), Optional.of(root), Optional.of(root),
                        Optional.of(folder));
    }

    @Test
    void pool_withCwdIgnored_servesStartsNamingADirectory() {
        withPool(PoolConfig.of(SPEC, Optional.empty(), 1, 1).withCwdIgnored(true));
        awaitIdle(1);

        manager.start(request(ADA).withCwd(Optional.of(dataDir)).withEnv(Map.of("JPY_SESSION_NAME", "a.ipynb")));

        assertThat(status().handedOut()).isEqualTo(1);
    }

    @Test
    void shutdownAll_drainsThePools_andLaterStartsFail() {
        withPool(PoolConfig.of(SPEC, Optional.empty(), 2, 2));
        awaitIdle(2);
        manager.start(request(ADA).withSize("big"));

        manager.shutdownAll();

        assertThat(fixture.provisioner.launched()).hasSize(3).noneMatch(FakeKernel::isAlive);
        assertThat(status().idle()).isZero();
        assertThat(manager.list()).isEmpty();
        assertThatThrownBy(() -> manager.start(request(ADA))).isInstanceOf(KernelLaunchException.class)
                .hasMessageContaining("shut down");
    }

    @Test
    void shutdownAll_waitsForPoolLaunchesInFlight_andShutsTheirKernelsDown() {
        fixture.provisioner.pause();
        withPool(PoolConfig.of(SPEC, Optional.empty(), 1, 1));
        Await.until(TIMEOUT, "pool launch held", () -> fixture.provisioner.held() == 1);

        CompletableFuture<Boolean> drained = ManagerFixture.async(() -> {
            manager.shutdownAll();
            return true;
        });
        fixture.provisioner.resume();

        assertThat(drained.join()).isTrue();
        assertThat(fixture.provisioner.launched()).hasSize(1).noneMatch(FakeKernel::isAlive);
    }

    @Test
    void pool_whoseLaunchesFail_reportsTheErrorAndTriesAgainLater() {
        fixture.provisioner.failNext(2, "no space left on device"); // a launch and its retry
        withPool(PoolConfig.of(SPEC, Optional.empty(), 1, 1));

        Await.until(TIMEOUT, "failure reported", () -> status().lastFailure().isPresent());
        assertThat(status().lastFailure().get()).contains("no space left on device");

        awaitIdle(1); // after the first back-off (1 s)
        assertThat(status().lastFailure()).isEmpty();
        assertThat(fixture.provisioner.requests()).hasSize(3);
    }

    @Test
    void build_refusesAPoolOfAnUnknownSpec_andTwoPoolsOfOneSpecAndSize() {
        assertThatThrownBy(() -> fixture.manager(b -> b.pools(List.of(PoolConfig.of("nope", Optional.empty(), 1, 1)))))
                .isInstanceOf(KernelSpecException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> fixture.manager(b -> b.pools(List.of(PoolConfig.of(SPEC, Optional.empty(), 1, 1),
                PoolConfig.of(SPEC, Optional.empty(), 2, 2)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two warm pools");
        assertThat(fixture.provisioner.launched()).isEmpty();
    }

    @Test
    void poolConfig_rejectsSizesOutOfRange() {
        assertThatThrownBy(() -> PoolConfig.of(SPEC, Optional.empty(), 0, 1)).hasMessageContaining("minIdle");
        assertThatThrownBy(() -> PoolConfig.of(SPEC, Optional.empty(), 2, 1)).hasMessageContaining("maxIdle");
        assertThatThrownBy(() -> PoolConfig.of(SPEC, Optional.of(" "), 1, 1)).hasMessageContaining("size");
    }
}
