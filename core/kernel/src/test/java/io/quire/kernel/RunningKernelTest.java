package io.quire.kernel;

import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunningKernelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final FakeKernelProvisioner provisioner = FakeKernelProvisioner.create();
    private RunningKernel kernel;

    private static KernelSpec spec(InterruptMode mode) {
        return new KernelSpec("fake", "Fake", "fake", List.of("fake"), Map.of(), mode, Json.object(), Path.of("."), Map.of());
    }

    private RunningKernel start(InterruptMode mode) {
        KernelLauncher launcher = KernelLauncher.create(provisioner, KernelSpecRegistry.of(List.of()),
                KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
        kernel = launcher.start(spec(mode), LaunchRequest.defaults(), TIMEOUT);
        return kernel;
    }

    @AfterEach
    void shutdown() {
        if (kernel != null) {
            kernel.close();
        }
        provisioner.launched().forEach(fake -> fake.close());
    }

    @Test
    void start_waitsUntilReady() {
        RunningKernel running = start(InterruptMode.SIGNAL);

        Await.until(TIMEOUT, "idle", () -> running.state() == KernelState.IDLE);
        assertThat(running.info().implementation()).isEqualTo("fake");
        assertThat(running.connectionInfo().kernelName()).isEqualTo("fake");
        assertThat(running.execute(ExecuteRequest.of("result:1"), ExecutionListener.IGNORE).await(TIMEOUT).status())
                .isEqualTo(ExecuteReply.Status.OK);
    }

    @Test
    void unexpectedDeath_failsTheRunningExecutionPromptlyAndNotifies() {
        RunningKernel running = start(InterruptMode.SIGNAL);
        List<KernelExit> deaths = new CopyOnWriteArrayList<>();
        running.onDeath(deaths::add);

        PendingExecution pending = running.execute(ExecuteRequest.of("print:x\ndie"), ExecutionListener.IGNORE);

        long start = System.nanoTime();
        assertThatThrownBy(() -> pending.await(TIMEOUT)).isInstanceOf(KernelDiedException.class)
                .hasMessageContaining("fake kernel stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(running.state()).isEqualTo(KernelState.DEAD);
        Await.until(TIMEOUT, "death listener called", () -> deaths.size() == 1);
        assertThat(deaths.getFirst().requested()).isFalse();
        assertThatThrownBy(() -> running.execute(ExecuteRequest.of("print:y"), ExecutionListener.IGNORE).await(TIMEOUT))
                .isInstanceOf(KernelDiedException.class);
        assertThatThrownBy(running::interrupt).isInstanceOf(KernelDiedException.class);
    }

    @Test
    void restart_relaunchesOnTheSameConnectionInfoAndTheSameClientWorks() {
        RunningKernel running = start(InterruptMode.SIGNAL);
        KernelClient client = running.client();
        ConnectionInfo before = running.connectionInfo();
        running.execute(ExecuteRequest.of("print:a"), ExecutionListener.IGNORE).await(TIMEOUT);
        running.execute(ExecuteRequest.of("print:b"), ExecutionListener.IGNORE).await(TIMEOUT);

        running.restart(TIMEOUT);

        assertThat(provisioner.launched()).hasSize(2);
        assertThat(provisioner.launched().getFirst().shutdownRequest()).isCompletedWithValue(true);
        assertThat(running.connectionInfo()).isEqualTo(before);
        assertThat(running.client()).isSameAs(client);
        Await.until(TIMEOUT, "idle after the readiness statuses settle", () -> running.state() == KernelState.IDLE);
        ExecuteReply reply = running.execute(ExecuteRequest.of("print:c"), ExecutionListener.IGNORE).await(TIMEOUT);
        assertThat(reply.executionCount()).contains(1);
    }

    @Test
    void restart_failsExecutionsInFlight() {
        RunningKernel running = start(InterruptMode.SIGNAL);
        PendingExecution pending = running.execute(ExecuteRequest.of("sleep:60000"), ExecutionListener.IGNORE);

        running.restart(TIMEOUT);

        assertThatThrownBy(() -> pending.await(TIMEOUT)).isInstanceOf(KernelDiedException.class)
                .hasMessageContaining("restarted");
    }

    @Test
    void interrupt_usesSignalOrMessageAccordingToTheSpec() {
        RunningKernel bySignal = start(InterruptMode.SIGNAL);
        bySignal.interrupt();
        assertThat(provisioner.signals()).isEqualTo(1);
        assertThat(provisioner.current().interruptsReceived()).isZero();
        bySignal.close();

        RunningKernel byMessage = start(InterruptMode.MESSAGE);
        RecordingListener listener = new RecordingListener();
        PendingExecution pending = byMessage.execute(ExecuteRequest.of("print:go\nsleep:60000"), listener);
        Await.until(TIMEOUT, "cell started", () -> listener.stdout().equals("go\n"));
        byMessage.interrupt();
        assertThat(pending.await(TIMEOUT).ename()).contains("KeyboardInterrupt");
        assertThat(provisioner.signals()).isEqualTo(1);
    }

    @Test
    void shutdown_sendsShutdownRequestAndClosesTheClient() {
        RunningKernel running = start(InterruptMode.SIGNAL);

        running.shutdown(TIMEOUT);

        assertThat(provisioner.current().shutdownRequest()).isCompletedWithValue(false);
        assertThat(provisioner.current().isAlive()).isFalse();
        assertThat(running.state()).isEqualTo(KernelState.SHUTDOWN);
        assertThat(running.client().state()).isEqualTo(ClientState.CLOSED);
        running.shutdown(TIMEOUT); // idempotent
    }
}
