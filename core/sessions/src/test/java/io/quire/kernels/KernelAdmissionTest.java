package io.quire.kernels;

import io.quire.kernel.EngineHealth;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelLaunchException;
import io.quire.kernel.KernelLauncher;
import io.quire.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.quire.kernels.ManagerFixture.ADA;
import static io.quire.kernels.ManagerFixture.BOB;
import static io.quire.kernels.ManagerFixture.CAROL;
import static io.quire.kernels.ManagerFixture.EVE;
import static io.quire.kernels.ManagerFixture.SPEC;
import static io.quire.kernels.ManagerFixture.TIMEOUT;
import static io.quire.kernels.ManagerFixture.async;
import static io.quire.kernels.ManagerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Owners and sizes, quotas, admission of concurrent starts, the retry of failed launches, and engine health. */
@Timeout(30) // a start that should have been refused or handed over would otherwise hang on a paused provisioner
class KernelAdmissionTest {
    @TempDir
    Path dataDir;

    private ManagerFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ManagerFixture(dataDir);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void start_recordsOwnerAndSize_andPassesThemToTheProvisioner_butNotIntoTheJupyterModel() {
        KernelManager manager = fixture.manager(builder -> { });

        ManagedKernelInfo info = manager.start(request(ADA).withSize("small"));

        assertThat(info.owner()).contains(ADA);
        assertThat(info.size()).contains("small");
        assertThat(info.specName()).isEqualTo(SPEC);
        assertThat(info.phase()).isEqualTo(KernelPhase.READY);
        assertThat(fixture.provisioner.launched()).hasSize(1);
        assertThat(fixture.provisioner.requests().getFirst().owner()).contains(ADA);
        assertThat(fixture.provisioner.requests().getFirst().size()).contains("small");
        assertThat(info.toJson().properties()).extracting(Map.Entry::getKey)
                .containsExactly("id", "name", "last_activity", "execution_state", "connections");
    }

    @Test
    void startWithoutRequest_meansNoOwnerAndTheDefaultSize() {
        KernelManager manager = fixture.manager(builder -> { });

        ManagedKernelInfo info = manager.start(SPEC, Optional.empty());

        assertThat(info.owner()).isEmpty();
        assertThat(info.size()).isEmpty();
        assertThat(fixture.provisioner.requests().getFirst().owner()).isEmpty();
        assertThat(fixture.provisioner.requests().getFirst().size()).isEmpty();
    }

    @Test
    void userQuota_countsKernelsStillStarting_andRefusesBeforeLaunchingAnything() {
        KernelManager manager = fixture.manager(builder -> builder.maxKernelsPerUser(1));
        fixture.provisioner.pause();
        CompletableFuture<ManagedKernelInfo> first = async(() -> manager.start(request(ADA)));
        Await.until(TIMEOUT, "first launch held", () -> fixture.provisioner.held() == 1);
        assertThat(manager.list()).singleElement().extracting(ManagedKernelInfo::phase).isEqualTo(KernelPhase.STARTING);

        assertThatThrownBy(() -> manager.start(request(ADA)))
                .isInstanceOfSatisfying(KernelQuotaExceededException.class, e -> {
                    assertThat(e.scope()).isEqualTo(KernelQuotaExceededException.Scope.USER);
                    assertThat(e.subject()).isEqualTo("ada");
                    assertThat(e.limit()).isEqualTo(1);
                    assertThat(e.count()).isEqualTo(1);
                })
                .hasMessage("user 'ada' has 1 kernel (counting those still starting); the limit is 1 per user");
        assertThat(fixture.provisioner.requests()).hasSize(1);
        assertThat(manager.list()).hasSize(1);

        CompletableFuture<ManagedKernelInfo> bob = async(() -> manager.start(request(BOB)));
        fixture.provisioner.resume();
        assertThat(first.join().owner()).contains(ADA);
        assertThat(bob.join().owner()).contains(BOB);
    }

    @Test
    void organisationQuota_countsEveryUserOfTheOrganisation_andFreesOnShutdown() {
        KernelManager manager = fixture.manager(builder -> builder.maxKernelsPerOrganisation(2));
        ManagedKernelInfo ada = manager.start(request(ADA));
        manager.start(request(BOB));

        assertThatThrownBy(() -> manager.start(request(CAROL)))
                .isInstanceOf(KernelQuotaExceededException.class)
                .hasMessage("organisation 'acme' has 2 kernels (counting those still starting); the limit is 2 per "
                        + "organisation");
        manager.start(request(EVE)); // another organisation

        manager.shutdown(ada.id());
        assertThat(manager.start(request(CAROL)).owner()).contains(CAROL);
    }

    @Test
    void kernelsWithoutOwner_countTowardNoQuota() {
        KernelManager manager = fixture.manager(builder -> builder.maxKernelsPerUser(1).maxKernelsPerOrganisation(1));

        manager.start(SPEC, Optional.empty());
        manager.start(SPEC, Optional.empty());

        assertThat(manager.start(request(ADA)).owner()).contains(ADA);
        assertThat(manager.list()).hasSize(3);
    }

    @Test
    void poolHandOuts_countTowardTheUserQuota() {
        KernelManager manager = fixture.manager(builder -> builder.maxKernelsPerUser(1)
                .pools(List.of(PoolConfig.of(SPEC, Optional.empty(), 1, 1))));
        Await.until(TIMEOUT, "pool filled", () -> manager.poolStatus().getFirst().idle() == 1);
        manager.start(request(ADA));

        assertThatThrownBy(() -> manager.start(request(ADA))).isInstanceOf(KernelQuotaExceededException.class);
        assertThat(manager.poolStatus().getFirst().handedOut()).isEqualTo(1);
    }

    @Test
    void maxConcurrentStarts_queuesFurtherStarts_visiblyWaitingForCapacity() {
        KernelManager manager = fixture.manager(builder -> builder.maxConcurrentStarts(1));
        fixture.provisioner.pause();
        CompletableFuture<ManagedKernelInfo> first = async(() -> manager.start(request(ADA)));
        Await.until(TIMEOUT, "first launch held", () -> fixture.provisioner.held() == 1);

        CompletableFuture<ManagedKernelInfo> second = async(() -> manager.start(request(BOB)));

        Await.until(TIMEOUT, "second start listed", () -> manager.list().size() == 2);
        ManagedKernelInfo waiting = manager.list().get(1);
        assertThat(waiting.phase()).isEqualTo(KernelPhase.WAITING_FOR_CAPACITY);
        assertThat(waiting.executionState()).isEqualTo(ExecutionState.STARTING);
        assertThat(waiting.toJson().path("execution_state").asText()).isEqualTo("starting");
        assertThat(manager.list().getFirst().phase()).isEqualTo(KernelPhase.STARTING);
        assertThat(fixture.provisioner.requests()).hasSize(1);
        assertThat(second).isNotDone();

        fixture.provisioner.resume();

        assertThat(first.join().phase()).isEqualTo(KernelPhase.READY);
        assertThat(second.join().phase()).isEqualTo(KernelPhase.READY);
        assertThat(fixture.provisioner.requests()).hasSize(2);
    }

    @Test
    void shutdown_ofAKernelWaitingForCapacity_failsItsStartWithoutLaunching() {
        KernelManager manager = fixture.manager(builder -> builder.maxConcurrentStarts(1));
        fixture.provisioner.pause();
        CompletableFuture<ManagedKernelInfo> first = async(() -> manager.start(request(ADA)));
        Await.until(TIMEOUT, "first launch held", () -> fixture.provisioner.held() == 1);
        CompletableFuture<ManagedKernelInfo> second = async(() -> manager.start(request(BOB)));
        Await.until(TIMEOUT, "second start waiting", () -> manager.list().size() == 2);

        manager.shutdown(manager.list().get(1).id());

        assertThatThrownBy(second::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(KernelLaunchException.class)
                .hasMessageContaining("shut down while waiting for capacity");
        fixture.provisioner.resume();
        first.join();
        assertThat(fixture.provisioner.requests()).hasSize(1);
        assertThat(manager.list()).hasSize(1);
    }

    @Test
    void poolRefills_takeStartSlots_andUserStartsWaitForThem() {
        fixture.provisioner.pause();
        KernelManager manager = fixture.manager(builder -> builder.maxConcurrentStarts(1)
                .pools(List.of(PoolConfig.of(SPEC, Optional.of("small"), 1, 1))));
        Await.until(TIMEOUT, "pool launch held", () -> fixture.provisioner.held() == 1);

        CompletableFuture<ManagedKernelInfo> user = async(() -> manager.start(request(ADA)));

        Await.until(TIMEOUT, "user start listed", () -> manager.list().size() == 1);
        assertThat(manager.list().getFirst().phase()).isEqualTo(KernelPhase.WAITING_FOR_CAPACITY);
        assertThat(manager.poolStatus().getFirst().starting()).isEqualTo(1);
        fixture.provisioner.resume();
        assertThat(user.join().phase()).isEqualTo(KernelPhase.READY);
        Await.until(TIMEOUT, "pool filled", () -> manager.poolStatus().getFirst().idle() == 1);
    }

    @Test
    void userStarts_getTheNextSlotBeforeQueuedPoolRefills() {
        KernelManager manager = fixture.manager(builder -> builder.maxConcurrentStarts(1)
                .pools(List.of(PoolConfig.of(SPEC, Optional.of("small"), 2, 2))));
        Await.until(TIMEOUT, "pool filled", () -> manager.poolStatus().getFirst().idle() == 2);
        fixture.provisioner.pause();
        manager.start(request(EVE).withSize("small")); // hand-out: idle 1 < 2, one refill takes the slot
        manager.start(request(EVE).withSize("small")); // hand-out: a second refill waits for the slot
        Await.until(TIMEOUT, "refill held", () -> fixture.provisioner.held() == 1);

        CompletableFuture<ManagedKernelInfo> user = async(() -> manager.start(request(ADA)));
        Await.until(TIMEOUT, "user start listed", () -> manager.list().size() == 3);
        fixture.provisioner.resume();
        user.join();

        // launches: 2 fills, the refill holding the slot, then the user start ahead of the second refill
        Await.until(TIMEOUT, "pool refilled", () -> manager.poolStatus().getFirst().idle() == 2);
        assertThat(fixture.provisioner.requests()).extracting(r -> r.owner().isPresent())
                .containsExactly(false, false, false, true, false);
    }

    @Test
    void failedLaunch_isRetriedOnceOnAFreshLaunch() {
        KernelManager manager = fixture.manager(builder -> { });
        fixture.provisioner.failNext(1, "engine hiccup");

        ManagedKernelInfo info = manager.start(request(ADA));

        assertThat(info.executionState()).isEqualTo(ExecutionState.IDLE);
        assertThat(fixture.provisioner.requests()).hasSize(2);
        assertThat(fixture.provisioner.launched()).hasSize(1);
    }

    @Test
    void secondFailedLaunch_isReportedWithTheEnginesError_andNothingStaysListed() {
        KernelManager manager = fixture.manager(builder -> builder.maxConcurrentStarts(1));
        fixture.provisioner.failNext(2, "no space left on device");

        assertThatThrownBy(() -> manager.start(request(ADA)))
                .isInstanceOf(KernelLaunchException.class)
                .hasMessage("kernel 'fake' failed to start twice: no space left on device");

        assertThat(fixture.provisioner.requests()).hasSize(2);
        assertThat(manager.list()).isEmpty();
        assertThat(manager.start(request(ADA)).phase()).as("the start slot was released").isEqualTo(KernelPhase.READY);
    }

    @Test
    void health_isTheProvisionersAnswer() {
        KernelManager manager = fixture.manager(builder -> { });
        assertThat(manager.health().healthy()).isTrue();

        fixture.provisioner.health(EngineHealth.unhealthy("engine gone"));

        assertThat(manager.health()).isEqualTo(EngineHealth.unhealthy("engine gone"));
    }

    @Test
    void builder_rejectsLimitsBelowOne() {
        KernelManager.Builder builder = KernelManager.builder(KernelLauncher.create(fixture.provisioner,
                FakeKernelProvisioner.registry(dataDir), KernelClientOptions.defaults()));

        assertThatThrownBy(() -> builder.maxKernelsPerUser(0)).hasMessageContaining("maxKernelsPerUser");
        assertThatThrownBy(() -> builder.maxKernelsPerOrganisation(-1)).hasMessageContaining("maxKernelsPerOrganisation");
        assertThatThrownBy(() -> builder.maxConcurrentStarts(0)).hasMessageContaining("maxConcurrentStarts");
    }
}
