package io.quire.kernel.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.ExecuteReply;
import io.quire.kernel.ExecuteRequest;
import io.quire.kernel.IopubEvent;
import io.quire.kernel.KernelClientOptions;
import io.quire.kernel.KernelLaunchException;
import io.quire.kernel.KernelLauncher;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.RunningKernel;
import io.quire.kernel.spi.LaunchRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bridge mode against the real Docker engine (one kernel container): the provisioner creates its network, the
 * kernel runs code through the ports published on the host's loopback, and cannot see that loopback itself.
 * Skipped without the engine or the image, failed instead when CI=true. Inter-container isolation is not tested:
 * the engine enforces it with iptables, which the engines of this project's machines and CI run without.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerBridgeNetworkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    static Path workDir;

    private final String scope = "quire-test-" + UUID.randomUUID();
    private final String networkName = "quire-test-" + UUID.randomUUID();
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
                .network(NetworkMode.bridge(networkName))
                .build();
        DockerEngine.require(provisioner);
        docker = DockerEngine.client();
        registry = KernelSpecRegistry.of(List.of(DockerKernelProvisionerTest.writeSpec(workDir.resolve("data"),
                "python-docker", DockerKernelProvisioner.DEFAULT_IMAGE)));
        kernel = KernelLauncher.create(provisioner, registry, KernelClientOptions.defaults().withRequestTimeout(TIMEOUT))
                .start("python-docker", LaunchRequest.defaults(), START);
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
            removeNetwork(networkName);
            try {
                docker.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void removeNetwork(String name) {
        try {
            docker.removeNetworkCmd(name).exec();
        } catch (NotFoundException e) {
            // never created
        }
    }

    private InspectContainerResponse kernelContainer() {
        List<Container> containers = docker.listContainersCmd()
                .withLabelFilter(Map.of(DockerKernelProvisioner.LABEL_SCOPE, scope)).exec();
        assertThat(containers).hasSize(1);
        return docker.inspectContainerCmd(containers.getFirst().getId()).exec();
    }

    private Recorder run(String code) {
        Recorder recorder = new Recorder();
        ExecuteReply reply = kernel.execute(ExecuteRequest.of(code), recorder).await(TIMEOUT);
        assertThat(reply.status()).as(code).isEqualTo(ExecuteReply.Status.OK);
        return recorder;
    }

    @Test
    void kernel_runsCodeThroughThePortsPublishedOnTheHostLoopback() {
        Recorder recorder = run("1+1");

        assertThat(recorder.of(IopubEvent.ExecuteResult.class).getFirst().data().path("text/plain").asText())
                .isEqualTo("2");
    }

    @Test
    void provisioner_createdItsNetworkWithoutInterContainerCommunication() {
        Network network = docker.inspectNetworkCmd().withNetworkId(networkName).exec();

        assertThat(network.getDriver()).isEqualTo("bridge");
        assertThat(network.getOptions()).containsEntry(DockerKernelProvisioner.ICC_OPTION, "false");
        assertThat(network.getLabels()).containsEntry(DockerKernelProvisioner.LABEL_SCOPE, scope);
    }

    @Test
    void container_isOnTheNetworkNotOnTheHostAndPublishesOnlyOnLoopback() {
        InspectContainerResponse container = kernelContainer();
        ConnectionInfo info = kernel.connectionInfo();

        assertThat(container.getHostConfig().getNetworkMode()).isEqualTo(networkName);
        assertThat(container.getNetworkSettings().getNetworks()).containsOnlyKeys(networkName);
        assertThat(info.ip()).isEqualTo("127.0.0.1");
        Map<ExposedPort, Ports.Binding[]> published = container.getNetworkSettings().getPorts().getBindings();
        assertThat(published).hasSize(5);
        for (int port : List.of(info.shellPort(), info.iopubPort(), info.stdinPort(), info.controlPort(), info.hbPort())) {
            assertThat(published.get(ExposedPort.tcp(port))).containsExactly(Ports.Binding.bindIpAndPort("127.0.0.1", port));
        }
        assertThat(container.getConfig().getLabels()).containsEntry(DockerKernelProvisioner.LABEL_KERNEL, "true");
        assertThat(container.getHostConfig().getReadonlyRootfs()).isTrue();
    }

    @Test
    void kernel_cannotReachTheHostLoopback() throws IOException {
        try (ServerSocket hostOnly = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Recorder recorder = run("import socket\ns = socket.socket()\ns.settimeout(3)\n"
                    + "print(s.connect_ex(('127.0.0.1', " + hostOnly.getLocalPort() + ")))");

            assertThat(recorder.stdout().strip()).as("errno of connect to the host's loopback listener")
                    .isNotEqualTo("0");
        }
    }

    @Test
    void launch_refusesAnExistingNetworkThatLetsContainersTalk() {
        String open = "quire-test-open-" + UUID.randomUUID();
        docker.createNetworkCmd().withName(open).withDriver("bridge").exec();
        try (DockerKernelProvisioner other = DockerKernelProvisioner.builder()
                .scope(scope + "-open").runtimeDir(workDir.resolve("runtime")).reapOrphansAtStart(false)
                .network(NetworkMode.bridge(open)).build()) {
            assertThatThrownBy(() -> other.launch(registry.require("python-docker"), LaunchRequest.defaults()))
                    .isInstanceOf(KernelLaunchException.class)
                    .hasMessageContaining("network " + open + " exists but is not fit for kernels");
        } finally {
            removeNetwork(open);
        }
    }
}
