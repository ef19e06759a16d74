package io.quire.kernels;

import io.quire.kernel.ExecuteRequest;
import io.quire.kernel.ExecutionListener;
import io.quire.kernel.InputRequest;
import io.quire.kernel.IopubEvent;
import io.quire.testing.Await;
import io.quire.testing.FakeKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import static io.quire.kernels.ManagerFixture.ADA;
import static io.quire.kernels.ManagerFixture.TIMEOUT;
import static io.quire.kernels.ManagerFixture.async;
import static io.quire.kernels.ManagerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Culling with a clock moved by hand; passes are run by the test (the automatic interval is an hour). */
@Timeout(30) // a start that should have been refused or handed over would otherwise hang on a paused provisioner
class KernelCullingTest {
    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path dataDir;

    private ManagerFixture fixture;
    private KernelManager manager;
    private final List<String> events = new CopyOnWriteArrayList<>();

    private static final ExecutionListener QUIET = new ExecutionListener() {
        @Override
        public void onEvent(IopubEvent event) {
        }

        @Override
        public String onInputRequest(InputRequest request) {
            return "";
        }
    };

    @BeforeEach
    void setUp() {
        fixture = new ManagerFixture(dataDir);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private KernelManager culling(UnaryOperator<CullingPolicy> policy) {
        manager = fixture.manager(builder -> builder.culling(policy.apply(
                CullingPolicy.idleFor(TEN_MINUTES).withWarning(MINUTE).withCheckInterval(Duration.ofHours(1)))));
        manager.addListener(new KernelEvents() {
            @Override
            public void onCullWarning(String kernelId, Duration remaining) {
                events.add("warning " + kernelId + " " + remaining);
            }

            @Override
            public void onCulled(String kernelId) {
                events.add("culled " + kernelId + (manager.get(kernelId).isEmpty() ? " (gone)" : " (still listed)"));
            }
        });
        return manager;
    }

    private List<String> pass() {
        return ((KernelManagerImpl) manager).cullIdleKernels();
    }

    private void advance(Duration step) {
        fixture.clock.advance(step);
    }

    @Test
    void idleKernel_isWarnedThenCulledWhenTheNoticeEnds() {
        culling(p -> p);
        String id = manager.start(request(ADA)).id();
        FakeKernel fake = fixture.fakeOf(id);

        advance(Duration.ofMinutes(8));
        assertThat(pass()).isEmpty();
        assertThat(events).isEmpty();

        advance(MINUTE);
        assertThat(pass()).isEmpty();
        assertThat(events).containsExactly("warning " + id + " PT1M");

        advance(Duration.ofSeconds(59));
        assertThat(pass()).isEmpty();
        assertThat(events).hasSize(1);

        advance(Duration.ofSeconds(1));
        assertThat(pass()).containsExactly(id);
        assertThat(events).containsExactly("warning " + id + " PT1M", "culled " + id + " (gone)");
        assertThat(manager.get(id)).isEmpty();
        assertThat(fake.isAlive()).isFalse();
    }

    @Test
    void activityAfterTheWarning_sparesTheKernel_andANewIdleStretchIsWarnedAgain() {
        culling(p -> p);
        String id = manager.start(request(ADA)).id();
        advance(Duration.ofMinutes(9));
        pass();
        assertThat(events).hasSize(1);

        Instant active = fixture.clock.instant();
        manager.running(id).execute(ExecuteRequest.of("print:still here"), QUIET).await(TIMEOUT);
        Await.until(TIMEOUT, "activity seen", () -> manager.get(id).orElseThrow().lastActivity().equals(active));
        advance(MINUTE);

        assertThat(pass()).isEmpty();
        assertThat(manager.get(id)).isPresent();
        advance(Duration.ofMinutes(8));
        pass();
        assertThat(events).containsExactly("warning " + id + " PT1M", "warning " + id + " PT1M");
    }

    /**
     * Starts a long execution and waits until the manager has seen its messages so far (busy, then execute_input), so
     * that none of them arrives after the test moves the clock: the manager stamps activity when a message arrives.
     * The execution's own listener hears execute_input only after the kernel client's direct listeners, the
     * manager's among them, have handled it.
     */
    private void startSleeping(String id) {
        AtomicBoolean input = new AtomicBoolean();
        manager.running(id).execute(ExecuteRequest.of("sleep:600000"), new ExecutionListener() {
            @Override
            public void onEvent(IopubEvent event) {
                if (event instanceof IopubEvent.ExecuteInput) {
                    input.set(true);
                }
            }
        });
        Await.until(TIMEOUT, "the execute_input", input::get);
        assertThat(manager.get(id).orElseThrow().executionState()).isEqualTo(ExecutionState.BUSY);
    }

    @Test
    void busyKernel_isSpared() {
        culling(p -> p);
        String id = manager.start(request(ADA)).id();
        startSleeping(id);

        advance(Duration.ofMinutes(30));

        assertThat(pass()).isEmpty();
        assertThat(events).isEmpty();
        manager.interrupt(id);
    }

    @Test
    void busyKernel_isCulledWithCullBusy_afterAFullNotice() {
        culling(p -> p.withCullBusy(true));
        String id = manager.start(request(ADA)).id();
        startSleeping(id);
        advance(Duration.ofMinutes(30));

        assertThat(pass()).isEmpty();
        assertThat(events).containsExactly("warning " + id + " PT1M");

        advance(MINUTE);
        assertThat(pass()).containsExactly(id);
    }

    @Test
    void connectedKernel_isSpared() {
        culling(p -> p);
        String id = manager.start(request(ADA)).id();
        KernelConnection connection = manager.attach(id);
        advance(Duration.ofMinutes(30));

        assertThat(pass()).isEmpty();
        assertThat(events).isEmpty();

        connection.close();
        pass();
        assertThat(events).containsExactly("warning " + id + " PT1M");
    }

    @Test
    void connectedKernel_isCulledWithCullConnected() {
        culling(p -> p.withCullConnected(true));
        String id = manager.start(request(ADA)).id();
        manager.attach(id);
        advance(TEN_MINUTES);

        pass();
        advance(MINUTE);

        assertThat(pass()).containsExactly(id);
        assertThat(events).containsExactly("warning " + id + " PT1M", "culled " + id + " (gone)");
    }

    @Test
    void deadKernel_staysListedUntilItsIdleTimeEnds_thenIsCulled() {
        culling(p -> p);
        String id = manager.start(request(ADA)).id();
        fixture.fakeOf(id).die();
        Await.until(TIMEOUT, "dead", () -> manager.get(id).orElseThrow().executionState() == ExecutionState.DEAD);

        advance(Duration.ofMinutes(5));
        assertThat(pass()).isEmpty();
        advance(Duration.ofMinutes(5));
        pass();
        advance(MINUTE);

        assertThat(pass()).containsExactly(id);
    }

    @Test
    void withoutNotice_aKernelIsCulledAtItsTimeout_afterAZeroWarning() {
        culling(p -> p.withWarning(Duration.ZERO));
        String id = manager.start(request(ADA)).id();

        advance(TEN_MINUTES.minusSeconds(1));
        assertThat(pass()).isEmpty();
        advance(Duration.ofSeconds(1));

        assertThat(pass()).containsExactly(id);
        assertThat(events).containsExactly("warning " + id + " PT0S", "culled " + id + " (gone)");
    }

    @Test
    void kernelsWaitingOrStarting_areNeverCulled() {
        culling(p -> p);
        fixture.provisioner.pause();
        var start = async(() -> manager.start(request(ADA)));
        Await.until(TIMEOUT, "launch held", () -> fixture.provisioner.held() == 1);
        advance(Duration.ofHours(2));

        assertThat(pass()).isEmpty();
        assertThat(events).isEmpty();
        fixture.provisioner.resume();
        assertThat(start.join().phase()).isEqualTo(KernelPhase.READY);
    }

    @Test
    void culling_runsByItselfEveryCheckInterval() {
        manager = fixture.manager(builder -> builder.culling(CullingPolicy.idleFor(TEN_MINUTES)
                .withWarning(Duration.ZERO).withCheckInterval(Duration.ofMillis(50))));
        String id = manager.start(request(ADA)).id();

        advance(TEN_MINUTES);

        Await.until(TIMEOUT, "culled by the housekeeping thread", () -> manager.get(id).isEmpty());
    }

    @Test
    void policy_rejectsANoticeLongerThanTheTimeout_andNonPositiveDurations() {
        assertThatThrownBy(() -> CullingPolicy.idleFor(MINUTE).withWarning(TEN_MINUTES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warning");
        assertThatThrownBy(() -> CullingPolicy.idleFor(Duration.ZERO)).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> CullingPolicy.idleFor(MINUTE).withCheckInterval(Duration.ZERO))
                .hasMessageContaining("checkInterval");
        assertThat(CullingPolicy.idleFor(Duration.ofSeconds(30)).warning()).isEqualTo(Duration.ofSeconds(30));
    }
}
