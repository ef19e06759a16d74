package io.quire.kernel.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import io.quire.kernel.EngineHealth;
import io.quire.kernel.ExecuteReply;
import io.quire.kernel.ExecuteRequest;
import io.quire.kernel.IopubEvent;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelDiedException;
import io.quire.kernel.KernelLaunchException;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.KernelOwner;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.KernelState;
import io.quire.kernel.PendingExecution;
import io.quire.kernel.RunningKernel;
import io.quire.kernel.spi.KernelExit;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against the real Docker engine and the image built by packaging/kernel-images/build-python-image.sh. One kernel
 * serves the ordered tests up to the restart; shutdown, out-of-memory and orphan reaping start their own containers
 * (six container starts in all). Skipped without the engine or the image, failed instead when CI=true.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerKernelProvisionerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START = Duration.ofSeconds(90);
    private static final long MIB = 1024L * 1024L;
    private static final HardwareSize SMALL = new HardwareSize("small", 1.0, 512 * MIB, 128);
    private static final HardwareSize TINY = new HardwareSize("tiny", 0.5, 256 * MIB, 64);

    @TempDir
    static Path workDir;

    private final String scope = "quire-test-" + UUID.randomUUID();
    private DockerKernelProvisioner provisioner;
    private DockerClient docker;
    private KernelSpecRegistry registry;
    private RunningKernel kernel;

    @BeforeAll
    void startKernel() throws IOException {
        DockerEngine.requireSocket();
        provisioner = DockerKernelProvisioner.builder()
                .scope(scope)
                .runtimeDir(workDir.resolve("runtime"))
                .defaultSize(SMALL)
                .sizes(List.of(TINY))
                .build();
        DockerEngine.require(provisioner);
        docker = DockerEngine.client();
        registry = KernelSpecRegistry.of(List.of(writeSpec(workDir.resolve("data"), "python-docker",
                DockerKernelProvisioner.DEFAULT_IMAGE)));
        kernel = launcher(provisioner).start("python-docker", LaunchRequest.defaults()
                .withEnv(Map.of("QUIRE_TEST", "yes")).withOwner(new KernelOwner("ada", "acme")).withSize("small"), START);
    }

    @AfterAll
    void stop() {
        if (kernel != null) {
            kernel.shutdown(Duration.ofSeconds(5));
        }
        if (provisioner != null) {
            provisioner.close();
        }
        if (docker != null) {
            try {
                docker.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private KernelLauncher launcher(io.quire.kernel.spi.KernelProvisioner which) {
        return KernelLauncher.create(which, registry, KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
    }

    static Path writeSpec(Path dataDir, String name, String image) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("kernels").resolve(name));
        ObjectNode spec = new ObjectMapper().createObjectNode();
        spec.putArray("argv").add("python3").add("-m").add("ipykernel_launcher").add("-f").add("{connection_file}");
        spec.put("display_name", "Python 3 (Docker)");
        spec.put("language", "python");
        spec.putObject("metadata").putObject("quire").putObject("docker").put("image", image);
        Files.writeString(dir.resolve("kernel.json"), spec.toPrettyString());
        return dataDir;
    }

    private ExecuteReply run(RunningKernel target, String code, Recorder recorder) {
        return target.execute(ExecuteRequest.of(code), recorder).await(TIMEOUT);
    }

    private DockerClient docker() {
        return docker;
    }

    private List<Container> containersOfScope() {
        return docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerKernelProvisioner.LABEL_SCOPE, scope)).exec();
    }

    private InspectContainerResponse onlyRunningContainer() {
        List<Container> running = containersOfScope().stream().filter(c -> c.getState().equals("running")).toList();
        assertThat(running).hasSize(1);
        return docker().inspectContainerCmd(running.getFirst().getId()).exec();
    }

    @Test
    @Order(1)
    void kernel_answersKernelInfoAndRunsCode() {
        assertThat(kernel.info().languageInfo().name()).isEqualTo("python");
        Recorder recorder = new Recorder();

        ExecuteReply reply = run(kernel, "1+1", recorder);

        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.OK);
        assertThat(recorder.of(IopubEvent.ExecuteResult.class).getFirst().data().path("text/plain").asText())
                .isEqualTo("2");
    }

    @Test
    @Order(2)
    void kernel_runsAsQuireInItsWritableHomeWithTheRequestedEnvironment() {
        Recorder recorder = new Recorder();

        run(kernel, "import os\nprint(os.getuid(), os.getcwd(), os.environ['QUIRE_TEST'])\n"
                + "open('note.txt', 'w').write('x')\nprint(os.path.exists('note.txt'))", recorder);

        assertThat(recorder.stdout()).isEqualTo("1000 /home/quire yes\nTrue\n");
    }

    @Test
    @Order(3)
    void container_isHardenedAndLabelled() {
        InspectContainerResponse container = onlyRunningContainer();
        HostConfig host = container.getHostConfig();

        assertThat(container.getConfig().getUser()).isEqualTo("1000:1000");
        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(host.getSecurityOpts()).contains("no-new-privileges");
        assertThat(host.getMemory()).isEqualTo(SMALL.memoryBytes());
        assertThat(host.getMemorySwap()).isEqualTo(SMALL.memoryBytes());
        assertThat(host.getPidsLimit()).isEqualTo(SMALL.pidsLimit());
        assertThat(host.getNanoCPUs()).isEqualTo(1_000_000_000L);
        assertThat(host.getNetworkMode()).isEqualTo("host");
        assertThat(host.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(host.getTmpFs()).containsOnlyKeys("/tmp", DockerKernelProvisioner.HOME);
        assertThat(container.getMounts()).singleElement().satisfies(mount -> {
            assertThat(mount.getDestination().getPath()).isEqualTo(DockerKernelProvisioner.CONTAINER_CONNECTION_FILE);
            assertThat(mount.getRW()).isFalse();
        });
        assertThat(container.getConfig().getLabels())
                .containsEntry(DockerKernelProvisioner.LABEL_KERNEL, "true")
                .containsEntry(DockerKernelProvisioner.LABEL_OWNER, "ada")
                .containsEntry(DockerKernelProvisioner.LABEL_ORGANISATION, "acme")
                .containsEntry(DockerKernelProvisioner.LABEL_SIZE, "small")
                .containsKey(DockerKernelProvisioner.LABEL_KERNEL_ID);
    }

    @Test
    @Order(3)
    void health_isHealthyWhileTheEngineAnswers() {
        assertThat(provisioner.health().healthy()).isTrue();
        assertThat(provisioner.health().detail()).contains("answers");
    }

    @Test
    @Order(4)
    void kernel_cannotWriteTheRootFilesystem() {
        Recorder recorder = new Recorder();

        ExecuteReply reply = run(kernel, "open('/usr/evil', 'w')", recorder);

        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.ERROR);
        assertThat(recorder.of(IopubEvent.Error.class).getFirst().evalue()).containsAnyOf("Read-only", "Permission denied");
    }

    @Test
    @Order(5)
    void interrupt_stopsSleepWithKeyboardInterrupt() {
        Recorder recorder = new Recorder();
        PendingExecution pending = kernel.execute(
                ExecuteRequest.of("import time\nprint('sleeping', flush=True)\ntime.sleep(60)"), recorder);
        Await.until(TIMEOUT, "sleep started", () -> recorder.stdout().contains("sleeping"));

        kernel.interrupt();
        ExecuteReply reply = pending.await(Duration.ofSeconds(10));

        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.ERROR);
        assertThat(reply.ename()).contains("KeyboardInterrupt");
    }

    @Test
    @Order(6)
    void restart_clearsState() {
        run(kernel, "a = 5", new Recorder());

        kernel.restart(START);

        ExecuteReply reply = run(kernel, "a", new Recorder());
        assertThat(reply.ename()).contains("NameError");
        assertThat(containersOfScope()).hasSize(1);
    }

    @Test
    @Order(7)
    void shutdown_removesTheContainerAndConnectionFile() throws IOException {
        RunningKernel own = launcher(provisioner).start("python-docker", LaunchRequest.defaults(), START);
        assertThat(containersOfScope()).hasSize(2);

        own.shutdown(Duration.ofSeconds(5));

        assertThat(own.state()).isEqualTo(KernelState.SHUTDOWN);
        assertThat(containersOfScope()).hasSize(1);
        try (var files = Files.list(workDir.resolve("runtime"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".json")).count()).isEqualTo(1);
        }
    }

    @Test
    @Order(8)
    void memoryLimit_killsKernelAndReportsOutOfMemory() {
        RunningKernel own = launcher(provisioner).start("python-docker", LaunchRequest.defaults().withSize("tiny"),
                START);
        CompletableFuture<KernelExit> death = new CompletableFuture<>();
        own.onDeath(death::complete);
        long start = System.nanoTime();

        PendingExecution pending = own.execute(ExecuteRequest.of("b = bytearray(1024*1024*1024)"), new Recorder());

        KernelExit exit = Await.untilPresent(Duration.ofSeconds(20), () -> "death of the kernel",
                () -> death.getNow(null));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(exit.requested()).isFalse();
        assertThat(exit.reason()).startsWith("out of memory (limit 256 MiB)");
        assertThat(own.state()).isEqualTo(KernelState.DEAD);
        assertThatThrownBy(() -> pending.await(TIMEOUT)).isInstanceOf(KernelDiedException.class);
        Await.until(Duration.ofSeconds(10), "dead container removed", () -> containersOfScope().size() == 1);
        own.shutdown(Duration.ofSeconds(1));
    }

    @Test
    @Order(9)
    void reapOrphans_removesLabelledContainersOfAPreviousRun() {
        String orphan = docker().createContainerCmd(DockerKernelProvisioner.DEFAULT_IMAGE)
                .withCmd("python3", "-c", "import time; time.sleep(600)")
                .withLabels(Map.of(DockerKernelProvisioner.LABEL_KERNEL, "true",
                        DockerKernelProvisioner.LABEL_SCOPE, scope,
                        DockerKernelProvisioner.LABEL_PROVISIONER, "previous-run"))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec().getId();
        docker().startContainerCmd(orphan).exec();

        try (DockerKernelProvisioner restarted = DockerKernelProvisioner.builder()
                .scope(scope).runtimeDir(workDir.resolve("runtime")).build()) {
            assertThat(containersOfScope()).extracting(Container::getId).doesNotContain(orphan);
            assertThat(containersOfScope()).as("the live provisioner's kernel is no orphan").hasSize(1);
            assertThat(restarted.reapOrphans()).isZero();
        }
    }

    @Test
    @Order(10)
    void launch_withMissingImage_saysHowToBuildIt() throws IOException {
        KernelSpecRegistry missing = KernelSpecRegistry.of(List.of(writeSpec(workDir.resolve("missing"),
                "python-missing", "quire/python-kernel:no-such-tag")));
        KernelSpec spec = missing.require("python-missing");

        assertThatThrownBy(() -> provisioner.launch(spec, LaunchRequest.defaults()))
                .isInstanceOf(KernelLaunchException.class)
                .hasMessage("image quire/python-kernel:no-such-tag not found; build it with "
                        + "packaging/kernel-images/build-python-image.sh");
    }

    @Test
    @Order(11)
    void close_removesEveryContainerOfTheProvisioner() {
        provisioner.close();

        assertThat(containersOfScope()).isEmpty();
        assertThat(provisioner.health()).isEqualTo(EngineHealth.unhealthy("Docker kernel provisioner is closed"));
        assertThatThrownBy(() -> provisioner.launch(registry.require("python-docker"), LaunchRequest.defaults()))
                .isInstanceOf(KernelLaunchException.class).hasMessageContaining("closed");
    }
}
