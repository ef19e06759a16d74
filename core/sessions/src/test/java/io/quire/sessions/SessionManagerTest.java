package io.quire.sessions;

import io.quire.kernel.FakeKernelProvisioner;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelLauncher;
import io.quire.kernels.ExecutionState;
import io.quire.kernels.KernelManager;
import io.quire.kernels.KernelNotFoundException;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionManagerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final KernelChoice FAKE = KernelChoice.named(FakeKernelProvisioner.KERNEL_NAME);

    @TempDir
    Path dataDir;
    @TempDir
    Path root;

    private final FakeKernelProvisioner provisioner = FakeKernelProvisioner.create();
    private KernelManager kernels;
    private SessionManager sessions;

    @BeforeEach
    void setUp() {
        KernelLauncher launcher = KernelLauncher.create(provisioner, FakeKernelProvisioner.registry(dataDir),
                KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
        kernels = KernelManager.builder(launcher).clock(new MutableClock(Instant.parse("2026-12-01T10:00:00Z")))
                .startTimeout(TIMEOUT).shutdownGrace(Duration.ofSeconds(2))
                .defaultKernelName(FakeKernelProvisioner.KERNEL_NAME).build();
        sessions = SessionManager.create(kernels, SessionStore.inMemory(), Optional.of(root));
    }

    @AfterEach
    void tearDown() {
        kernels.shutdownAll();
        provisioner.launched().forEach(FakeKernel::close);
    }

    @Test
    void create_startsAKernelAndReturnsJupyterSessionModel() {
        Session session = sessions.create("work/a.ipynb", "a.ipynb", "notebook", FAKE);

        assertThat(session.path()).isEqualTo("work/a.ipynb");
        assertThat(session.name()).isEqualTo("a.ipynb");
        assertThat(session.type()).isEqualTo("notebook");
        assertThat(session.kernel().name()).isEqualTo("fake");
        assertThat(session.kernel().executionState()).isEqualTo(ExecutionState.IDLE);
        assertThat(kernels.list()).extracting(k -> k.id()).containsExactly(session.kernel().id());
        assertThat(session.toJson().path("notebook").path("path").asText()).isEqualTo("work/a.ipynb");
        assertThat(session.toJson().path("kernel").path("execution_state").asText()).isEqualTo("idle");
        assertThat(sessions.list()).containsExactly(session);
        assertThat(sessions.get(session.id())).contains(session);
    }

    @Test
    void open_tellsWhetherItCreatedTheSession_andKeepsTheCreationTime() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T08:00:00Z"));
        SessionManager timed = SessionManager.create(kernels, SessionStore.inMemory(), Optional.of(root), clock);

        SessionManager.Opened first = timed.open("t.ipynb", "t.ipynb", "notebook", FAKE);
        clock.advance(Duration.ofMinutes(5));
        SessionManager.Opened again = timed.open("t.ipynb", "t.ipynb", "notebook", FAKE);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.session().id()).isEqualTo(first.session().id());
        assertThat(again.session().created()).isEqualTo(Instant.parse("2026-12-02T08:00:00Z"));
        assertThat(timed.update(first.session().id(), SessionUpdate.none().withName("renamed")).created())
                .isEqualTo(Instant.parse("2026-12-02T08:00:00Z"));
    }

    @Test
    void create_defaultSpec_usesTheKernelManagersDefault() {
        Session session = sessions.create("c.ipynb", "", "console", KernelChoice.defaultSpec());

        assertThat(session.kernel().name()).isEqualTo("fake");
        assertThat(session.toJson().has("notebook")).isFalse();
    }

    @Test
    void create_samePathAgain_returnsTheExistingSessionWithoutANewKernel() {
        Session first = sessions.create("a.ipynb", "a.ipynb", "notebook", FAKE);

        Session second = sessions.create("a.ipynb", "other", "console", FAKE);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.type()).isEqualTo("notebook");
        assertThat(provisioner.launched()).hasSize(1);
    }

    @Test
    void create_samePathFromParallelThreads_createsOneSessionAndOneKernel() throws Exception {
        List<Future<Session>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                futures.add(threads.submit(() -> sessions.create("p.ipynb", "p.ipynb", "notebook", FAKE)));
            }
        }

        for (Future<Session> future : futures) {
            assertThat(future.get().id()).isEqualTo(futures.getFirst().get().id());
        }
        assertThat(provisioner.launched()).hasSize(1);
        assertThat(sessions.list()).hasSize(1);
    }

    @Test
    void create_withExistingKernel_sharesIt_andUnknownKernelIdIsRejected() {
        Session first = sessions.create("a.ipynb", "a.ipynb", "notebook", FAKE);

        Session console = sessions.create("console-1", "", "console", KernelChoice.existing(first.kernel().id()));

        assertThat(console.kernel().id()).isEqualTo(first.kernel().id());
        assertThat(provisioner.launched()).hasSize(1);
        assertThatThrownBy(() -> sessions.create("b.ipynb", "", "notebook", KernelChoice.existing("nope")))
                .isInstanceOf(KernelNotFoundException.class).hasMessageContaining("nope");
        assertThat(sessions.list()).hasSize(2);
    }

    @Test
    void create_pathWhoseKernelDied_replacesTheSessionWithAFreshKernel() {
        Session first = sessions.create("a.ipynb", "a.ipynb", "notebook", FAKE);
        provisioner.only().die();
        Await.until(TIMEOUT, "dead", () -> kernels.get(first.kernel().id()).orElseThrow().executionState()
                == ExecutionState.DEAD);

        Session second = sessions.create("a.ipynb", "a.ipynb", "notebook", FAKE);

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.kernel().executionState()).isEqualTo(ExecutionState.IDLE);
        assertThat(kernels.get(first.kernel().id())).isEmpty();
        assertThat(sessions.list()).containsExactly(second);
    }

    @Test
    void update_pathNameAndType_keepTheKernel() {
        Session before = sessions.create("a.ipynb", "a.ipynb", "notebook", FAKE);

        Session after = sessions.update(before.id(), SessionUpdate.none().withPath("b.ipynb").withName("b.ipynb")
                .withType("file"));

        assertThat(after.path()).isEqualTo("b.ipynb");
        assertThat(after.name()).isEqualTo("b.ipynb");
        assertThat(after.type()).isEqualTo("file");
        assertThat(after.kernel().id()).isEqualTo(before.kernel().id());
        assertThat(sessions.create("b.ipynb", "", "notebook", FAKE).id()).isEqualTo(before.id());
    }

    @Test
    void update_kernelName_startsANewKernelAndShutsTheOldOneDown() {
        Session before = sessions.create("a.ipynb", "a.ipynb", "notebook", FAKE);

        Session after = sessions.update(before.id(), SessionUpdate.none().withKernel(FAKE));

        assertThat(after.kernel().id()).isNotEqualTo(before.kernel().id());
        assertThat(kernels.get(before.kernel().id())).isEmpty();
        assertThat(provisioner.launched()).hasSize(2);
        assertThat(provisioner.launched().getFirst().isAlive()).isFalse();
        assertThat(provisioner.launched().getLast().isAlive()).isTrue();
    }

    @Test
    void update_toAnotherRunningKernel_shutsTheOldOneDown_andUnknownKernelIsRejected() {
        Session a = sessions.create("a.ipynb", "", "notebook", FAKE);
        Session b = sessions.create("b.ipynb", "", "notebook", FAKE);

        Session moved = sessions.update(a.id(), SessionUpdate.none().withKernel(KernelChoice.existing(b.kernel().id())));

        assertThat(moved.kernel().id()).isEqualTo(b.kernel().id());
        assertThat(kernels.get(a.kernel().id())).isEmpty();
        assertThatThrownBy(() -> sessions.update(b.id(), SessionUpdate.none().withKernel(KernelChoice.existing("x"))))
                .isInstanceOf(KernelNotFoundException.class);
    }

    @Test
    void delete_shutsTheKernelDown_andUnknownSessionsAreRejected() {
        Session session = sessions.create("a.ipynb", "", "notebook", FAKE);

        sessions.delete(session.id());

        assertThat(sessions.get(session.id())).isEmpty();
        assertThat(sessions.list()).isEmpty();
        assertThat(kernels.list()).isEmpty();
        assertThat(provisioner.only().isAlive()).isFalse();
        assertThatThrownBy(() -> sessions.delete(session.id())).isInstanceOf(SessionNotFoundException.class)
                .hasMessageContaining(session.id());
        assertThatThrownBy(() -> sessions.update("nope", SessionUpdate.none()))
                .isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void kernelShutDownElsewhere_dropsItsSession() {
        Session session = sessions.create("a.ipynb", "", "notebook", FAKE);

        kernels.shutdown(session.kernel().id());

        assertThat(sessions.list()).isEmpty();
        assertThat(sessions.get(session.id())).isEmpty();
    }

    @Test
    void create_blankPath_isRejected() {
        assertThatThrownBy(() -> sessions.create(" ", "", "notebook", FAKE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path");
    }
}
