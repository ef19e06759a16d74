package io.quire.kernel.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.quire.kernel.ExecuteReply;
import io.quire.kernel.ExecuteRequest;
import io.quire.kernel.IopubEvent;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.KernelOwner;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernels.KernelManager;
import io.quire.kernels.KernelPhase;
import io.quire.kernels.KernelRequest;
import io.quire.kernels.ManagedKernelInfo;
import io.quire.kernels.PoolConfig;
import io.quire.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A warm pool of Docker kernels behind the kernel manager, against the real engine and image (three container
 * starts: the pool's kernel, its refill and one cold start). Skipped without the engine or the image, failed instead
 * when CI=true.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerWarmPoolTest {
    private static final Logger LOG = LoggerFactory.getLogger(DockerWarmPoolTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START = Duration.ofSeconds(90);
    private static final long MIB = 1024L * 1024L;
    private static final HardwareSize SMALL = new HardwareSize("small", 1.0, 512 * MIB, 128);
    private static final HardwareSize TINY = new HardwareSize("tiny", 0.5, 256 * MIB, 64);
    private static final String SPEC = "python-docker";
    private static final KernelOwner ADA = new KernelOwner("ada", "acme");

    @TempDir
    static Path workDir;

    private final String scope = "quire-test-pool-" + UUID.randomUUID();
    private DockerKernelProvisioner provisioner;
    private DockerClient docker;
    private KernelManager manager;

    @BeforeAll
    void startPool() throws IOException {
        DockerEngine.requireSocket();
        provisioner = DockerKernelProvisioner.builder()
                .scope(scope)
                .runtimeDir(workDir.resolve("runtime"))
                .defaultSize(SMALL)
                .sizes(List.of(TINY))
                .build();
        DockerEngine.require(provisioner);
        docker = DockerEngine.client();
        KernelSpecRegistry registry = KernelSpecRegistry.of(List.of(DockerKernelProvisionerTest.writeSpec(
                workDir.resolve("data"), SPEC, DockerKernelProvisioner.DEFAULT_IMAGE)));
        KernelLauncher launcher = KernelLauncher.create(provisioner, registry,
                KernelClientOptions.defaults().withRequestTimeout(TIMEOUT));
        // Docker kernels work in their home whatever the cwd, so sessions naming a directory may use the pool
        manager = KernelManager.builder(launcher).defaultKernelName(SPEC).startTimeout(START)
                .pools(List.of(PoolConfig.of(SPEC, Optional.of("tiny"), 1, 1).withCwdIgnored(true)))
                .build();
    }

    @AfterAll
    void stop() {
        if (manager != null) {
            manager.shutdownAll();
        }
        if (provisioner != null) {
            provisioner.close();
        }
        if (docker != null) {
            try {
                docker.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private List<Container> containers() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerKernelProvisioner.LABEL_SCOPE, scope)).exec();
    }

    private String run(String kernelId, String code) {
        Recorder recorder = new Recorder();
        ExecuteReply reply = manager.running(kernelId).execute(ExecuteRequest.of(code), recorder).await(TIMEOUT);
        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.OK);
        return recorder.of(IopubEvent.ExecuteResult.class).getFirst().data().path("text/plain").asText();
    }

    @Test
    void warmPool_handsOutAReadyDockerKernel_andSizeAndOwnerLandOnContainerLabels() {
        Await.until(START, "a pooled Docker kernel", () -> manager.poolStatus().getFirst().idle() == 1);
        Container pooled = containers().getFirst();
        assertThat(containers()).hasSize(1);
        assertThat(pooled.getLabels())
                .containsEntry(DockerKernelProvisioner.LABEL_SIZE, "tiny")
                .doesNotContainKeys(DockerKernelProvisioner.LABEL_OWNER, DockerKernelProvisioner.LABEL_ORGANISATION);

        long before = System.nanoTime();
        ManagedKernelInfo handed = manager.start(KernelRequest.of(SPEC).withSize("tiny").withOwner(ADA)
                .withCwd(Optional.of(workDir)).withEnv(Map.of("JPY_SESSION_NAME", "notes.ipynb")));
        Duration handOff = Duration.ofNanos(System.nanoTime() - before);
        LOG.info("hand-off from the warm pool took {} ms", handOff.toMillis());

        assertThat(handOff).isLessThan(Duration.ofSeconds(1));
        assertThat(handed.phase()).isEqualTo(KernelPhase.READY);
        assertThat(handed.owner()).contains(ADA);
        assertThat(run(handed.id(), "1+1")).isEqualTo("2");

        ManagedKernelInfo cold = manager.start(KernelRequest.of(SPEC).withOwner(ADA).withSize("small"));
        List<Container> owned = containers().stream()
                .filter(c -> ADA.user().equals(c.getLabels().get(DockerKernelProvisioner.LABEL_OWNER))).toList();
        assertThat(owned).hasSize(1);
        assertThat(owned.getFirst().getLabels())
                .containsEntry(DockerKernelProvisioner.LABEL_ORGANISATION, "acme")
                .containsEntry(DockerKernelProvisioner.LABEL_SIZE, "small");
        assertThat(run(cold.id(), "2+3")).isEqualTo("5");

        manager.shutdown(handed.id());

        assertThat(containers()).extracting(Container::getId).as("the handed-out container is removed, not pooled")
                .doesNotContain(pooled.getId());
        Await.until(START, "the pool refilled", () -> manager.poolStatus().getFirst().idle() == 1);
        assertThat(manager.poolStatus().getFirst().handedOut()).isEqualTo(1);
    }
}
