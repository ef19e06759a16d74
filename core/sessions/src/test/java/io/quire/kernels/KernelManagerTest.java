package io.quire.kernels;

import io.quire.kernel.ExecuteReply;
import io.quire.kernel.ExecuteRequest;
import io.quire.kernel.ExecutionListener;
import io.quire.kernel.FakeKernelProvisioner;
import io.quire.kernel.InputRequest;
import io.quire.kernel.IopubEvent;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.KernelSpecException;
import io.quire.kernel.PendingExecution;
import io.quire.testing.Await;
import io.quire.testing.FakeKernel;
import io.quire.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class KernelManagerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(T0);
    private final FakeKernelProvisioner provisioner = FakeKernelProvisioner.create();
    private KernelManager manager;

    @BeforeEach
    void setUp() {
        KernelLauncher launcher = KernelLauncher.create(provisioner, FakeKernelProvisioner.registry(dataDir),
                KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
        manager = KernelManager.builder(launcher).clock(clock).startTimeout(TIMEOUT)
                .shutdownGrace(Duration.ofSeconds(2)).defaultKernelName(FakeKernelProvisioner.KERNEL_NAME).build();
    }

    @AfterEach
    void tearDown() {
        manager.shutdownAll();
        provisioner.launched().forEach(FakeKernel::close);
    }

    private ManagedKernelInfo start() {
        return manager.start(FakeKernelProvisioner.KERNEL_NAME, Optional.empty());
    }

    private ExecutionState state(String id) {
        return manager.get(id).orElseThrow().executionState();
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
    void start_reportsAnIdleKernelWithJupyterModelFields() {
        ManagedKernelInfo info = start();

        assertThat(UUID.fromString(info.id()).toString()).isEqualTo(info.id());
        assertThat(info.name()).isEqualTo("fake");
        assertThat(info.executionState()).isEqualTo(ExecutionState.IDLE);
        assertThat(info.connections()).isZero();
        assertThat(info.lastActivity()).isEqualTo(T0);
        assertThat(info.reason()).isEmpty();
        assertThat(info.toJson().toString()).isEqualTo("{\"id\":\"" + info.id() + "\",\"name\":\"fake\","
                + "\"last_activity\":\"2026-12-01T10:00:00Z\",\"execution_state\":\"idle\",\"connections\":0}");
        assertThat(manager.list()).containsExactly(info);
        assertThat(manager.get(info.id())).contains(info);
    }

    @Test
    void start_unknownSpec_throwsAndRegistersNothing() {
        assertThatThrownBy(() -> manager.start("no-such-kernel", Optional.empty()))
                .isInstanceOf(KernelSpecException.class).hasMessageContaining("no-such-kernel");
        assertThat(manager.list()).isEmpty();
        assertThat(provisioner.launched()).isEmpty();
    }

    @Test
    void executionState_followsIopubStatus_busyWhileRunningIdleAfterInterrupt() {
        String id = start().id();
        PendingExecution cell = manager.running(id).execute(ExecuteRequest.of("sleep:60000"), QUIET);

        Await.until(TIMEOUT, "busy", () -> state(id) == ExecutionState.BUSY);
        manager.interrupt(id);
        ExecuteReply reply = cell.await(TIMEOUT);

        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.ERROR);
        Await.until(TIMEOUT, "idle", () -> state(id) == ExecutionState.IDLE);
        assertThat(provisioner.only().interruptsReceived()).isEqualTo(1);
    }

    @Test
    void lastActivity_movesToTheClockTimeOfExecutionMessages() {
        String id = start().id();
        Instant later = clock.advance(Duration.ofMinutes(5));

        manager.running(id).execute(ExecuteRequest.of("print:hi"), QUIET).await(TIMEOUT);

        Await.until(TIMEOUT, "activity at " + later, () -> manager.get(id).orElseThrow().lastActivity().equals(later));
        assertThat(manager.get(id).orElseThrow().lastActivityText()).isEqualTo("2026-12-01T10:05:00Z");
    }

    @Test
    void attach_countsConnectionsUntilEachHandleIsClosedOnce() {
        String id = start().id();
        KernelConnection first = manager.attach(id);
        KernelConnection second = manager.attach(id);
        assertThat(manager.get(id).orElseThrow().connections()).isEqualTo(2);

        first.close();
        first.close();

        assertThat(manager.get(id).orElseThrow().connections()).isEqualTo(1);
        assertThat(second.kernelId()).isEqualTo(id);
        second.close();
        assertThat(manager.get(id).orElseThrow().connections()).isZero();
    }

    @Test
    void unknownIds_throwKernelNotFoundException_andGetIsEmpty() {
        String id = "00000000-0000-0000-0000-000000000000";

        assertThat(manager.get(id)).isEmpty();
        assertThatThrownBy(() -> manager.interrupt(id)).isInstanceOf(KernelNotFoundException.class).hasMessageContaining(id);
        assertThatThrownBy(() -> manager.restart(id)).isInstanceOf(KernelNotFoundException.class);
        assertThatThrownBy(() -> manager.shutdown(id)).isInstanceOf(KernelNotFoundException.class);
        assertThatThrownBy(() -> manager.attach(id)).isInstanceOf(KernelNotFoundException.class);
        assertThatThrownBy(() -> manager.running(id)).isInstanceOf(KernelNotFoundException.class);
    }

    @Test
    void death_isReportedAsDeadWithTheReason() {
        String id = start().id();

        provisioner.only().die();

        Await.until(TIMEOUT, "dead", () -> state(id) == ExecutionState.DEAD);
        ManagedKernelInfo info = manager.get(id).orElseThrow();
        assertThat(info.reason()).contains("fake kernel stopped");
        assertThat(info.toJson().path("reason").asText()).isEqualTo("fake kernel stopped");
    }

    @Test
    void restart_launchesANewProcessAndTheKernelIsIdleAndUsableAgain() {
        String id = start().id();
        Instant later = clock.advance(Duration.ofMinutes(1));

        ManagedKernelInfo after = manager.restart(id);

        assertThat(after.executionState()).isEqualTo(ExecutionState.IDLE);
        assertThat(after.lastActivity()).isEqualTo(later);
        assertThat(provisioner.launched()).hasSize(2);
        assertThat(provisioner.launched().getFirst().isAlive()).isFalse();
        assertThat(manager.running(id).execute(ExecuteRequest.of("print:again"), QUIET).await(TIMEOUT).status())
                .isEqualTo(ExecuteReply.Status.OK);
    }

    @Test
    void restart_revivesADeadKernelAndClearsTheReason() {
        String id = start().id();
        provisioner.only().die();
        Await.until(TIMEOUT, "dead", () -> state(id) == ExecutionState.DEAD);

        ManagedKernelInfo after = manager.restart(id);

        assertThat(after.executionState()).isEqualTo(ExecutionState.IDLE);
        assertThat(after.reason()).isEmpty();
    }

    @Test
    void shutdown_forgetsTheKernelAndStopsIt() {
        String id = start().id();

        manager.shutdown(id);

        assertThat(manager.get(id)).isEmpty();
        assertThat(provisioner.only().isAlive()).isFalse();
    }

    @Test
    void shutdownAll_leavesNoRunningFakes() {
        start();
        start();
        start();

        manager.shutdownAll();

        assertThat(manager.list()).isEmpty();
        assertThat(provisioner.launched()).hasSize(3).noneMatch(FakeKernel::isAlive);
    }

    @Test
    void shutdownAll_killsAKernelWhoseShutdownIsStuck_insteadOfWaitingForever() throws Exception {
        KernelLauncher launcher = KernelLauncher.create(provisioner, FakeKernelProvisioner.registry(dataDir),
                KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
        KernelManager stuck = KernelManager.builder(launcher).clock(clock).startTimeout(Duration.ofMillis(500))
                .shutdownGrace(Duration.ofMillis(200)).defaultKernelName(FakeKernelProvisioner.KERNEL_NAME).build();
        String id = stuck.start(FakeKernelProvisioner.KERNEL_NAME, Optional.empty()).id();
        provisioner.pause();
        Thread restart = Thread.ofVirtual().start(() -> {
            try {
                stuck.restart(id);
            } catch (RuntimeException e) {
                // expected: the kernel is killed while its restart waits for the launch
            }
        });
        Await.until(TIMEOUT, "the restart to hold the kernel while its launch waits", () -> provisioner.held() == 1);

        assertTimeoutPreemptively(TIMEOUT, stuck::shutdownAll, "shutdownAll must not wait for the stuck restart");
        provisioner.resume();
        restart.join(TIMEOUT);

        assertThat(restart.isAlive()).isFalse();
        assertThat(provisioner.launched()).as("the relaunch that came after the kill is stopped too")
                .hasSize(2).noneMatch(FakeKernel::isAlive);
    }

    @Test
    void start_fromManyVirtualThreadsInParallel_givesDistinctRunningKernels() throws Exception {
        List<Future<ManagedKernelInfo>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                futures.add(threads.submit(this::start));
            }
        }
        List<String> ids = new ArrayList<>();
        for (Future<ManagedKernelInfo> future : futures) {
            ids.add(future.get().id());
        }

        assertThat(ids).doesNotHaveDuplicates().hasSize(6);
        assertThat(manager.list()).extracting(ManagedKernelInfo::id).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(manager.list()).allMatch(k -> k.executionState() == ExecutionState.IDLE);
        assertThat(provisioner.launched()).hasSize(6).allMatch(FakeKernel::isAlive);
    }
}
