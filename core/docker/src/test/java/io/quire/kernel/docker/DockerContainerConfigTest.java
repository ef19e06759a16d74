package io.quire.kernel.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.KernelLaunchException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The container settings the provisioner sends to the engine, per network mode and size; needs no Docker. */
class DockerContainerConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1024L * 1024L;
    private static final HardwareSize SIZE = new HardwareSize("small", 0.5, 512 * MIB, 128);
    private static final Path FILE = Path.of("/run/user/1000/quire/docker-kernel-x.json");
    private static final ConnectionInfo INFO = ConnectionInfo.tcp("127.0.0.1",
            new int[]{41001, 41002, 41003, 41004, 41005}, "secret");
    private static final NetworkMode BRIDGE = NetworkMode.bridge("quire-kernels");

    private static HostConfig hostConfig(NetworkMode mode, HardwareSize size) {
        return DockerKernelProvisioner.hostConfig(FILE, size, 1000, 1000, mode, INFO);
    }

    /** The JSON the engine receives. */
    private static JsonNode wire(HostConfig config) {
        return JSON.valueToTree(config);
    }

    private static void assertHardened(HostConfig config) {
        assertThat(config.getReadonlyRootfs()).isTrue();
        assertThat(config.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(config.getSecurityOpts()).containsExactly("no-new-privileges");
        assertThat(config.getMemory()).isEqualTo(512 * MIB);
        assertThat(config.getMemorySwap()).isEqualTo(512 * MIB);
        assertThat(config.getPidsLimit()).isEqualTo(128);
        assertThat(config.getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(config.getTmpFs()).containsOnlyKeys("/tmp", DockerKernelProvisioner.HOME);
        assertThat(config.getTmpFs().get(DockerKernelProvisioner.HOME)).contains("uid=1000,gid=1000", "mode=0700");
        assertThat(config.getBinds()).singleElement().satisfies(bind -> {
            assertThat(bind.getPath()).isEqualTo(FILE.toString());
            assertThat(bind.getVolume().getPath()).isEqualTo(DockerKernelProvisioner.CONTAINER_CONNECTION_FILE);
            assertThat(bind.getAccessMode().toString()).isEqualTo("ro");
        });
        assertThat(config.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void hostMode_sharesTheHostNetworkAndPublishesNothing() {
        HostConfig config = hostConfig(NetworkMode.host(), SIZE);

        assertHardened(config);
        assertThat(config.getNetworkMode()).isEqualTo("host");
        assertThat(config.getPortBindings() == null || config.getPortBindings().getBindings().isEmpty()).isTrue();
        assertThat(DockerKernelProvisioner.exposedPorts(NetworkMode.host(), INFO)).isEmpty();
        assertThat(DockerKernelProvisioner.kernelSide(NetworkMode.host(), INFO)).isEqualTo(INFO);
    }

    @Test
    void bridgeMode_joinsTheNetworkAndPublishesEachPortOnlyOnTheHostLoopback() {
        HostConfig config = hostConfig(BRIDGE, SIZE);

        assertHardened(config);
        assertThat(config.getNetworkMode()).isEqualTo("quire-kernels");
        Map<ExposedPort, Ports.Binding[]> bindings = config.getPortBindings().getBindings();
        assertThat(bindings).hasSize(5);
        for (int port : new int[]{41001, 41002, 41003, 41004, 41005}) {
            assertThat(bindings.get(ExposedPort.tcp(port)))
                    .containsExactly(Ports.Binding.bindIpAndPort("127.0.0.1", port));
        }
        assertThat(wire(config).path("PortBindings").path("41001/tcp"))
                .singleElement().satisfies(binding -> {
                    assertThat(binding.path("HostIp").asText()).isEqualTo("127.0.0.1");
                    assertThat(binding.path("HostPort").asText()).isEqualTo("41001");
                });
        assertThat(DockerKernelProvisioner.exposedPorts(BRIDGE, INFO)).containsExactly(ExposedPort.tcp(41001),
                ExposedPort.tcp(41002), ExposedPort.tcp(41003), ExposedPort.tcp(41004), ExposedPort.tcp(41005));
    }

    @Test
    void bridgeMode_kernelBindsEveryInterfaceOfItsContainerWithTheSamePortsAndKey() {
        ConnectionInfo kernel = DockerKernelProvisioner.kernelSide(BRIDGE, INFO.withKernelName("py"));

        assertThat(kernel.ip()).isEqualTo("0.0.0.0");
        assertThat(kernel.key()).isEqualTo("secret");
        assertThat(kernel.kernelName()).isEqualTo("py");
        assertThat(List.of(kernel.shellPort(), kernel.iopubPort(), kernel.stdinPort(), kernel.controlPort(),
                kernel.hbPort())).containsExactly(41001, 41002, 41003, 41004, 41005);
    }

    @Test
    void sizeWithoutGpus_requestsNoDevices() {
        HostConfig config = hostConfig(NetworkMode.host(), SIZE);

        assertThat(config.getDeviceRequests()).isNullOrEmpty();
        assertThat(wire(config).path("DeviceRequests").size()).as("null, missing or empty").isZero();
    }

    @Test
    void sizeWithGpus_requestsThatManyGpusInBothModes() {
        for (NetworkMode mode : List.of(NetworkMode.host(), BRIDGE)) {
            JsonNode requests = wire(hostConfig(mode, SIZE.withGpus(2))).path("DeviceRequests");

            assertThat(requests).singleElement().satisfies(request -> {
                assertThat(request.path("Driver").asText("missing")).isEmpty();
                assertThat(request.path("Count").asInt()).isEqualTo(2);
                assertThat(JSON.convertValue(request.path("Capabilities"), List.class))
                        .isEqualTo(List.of(List.of("gpu")));
            });
        }
    }

    @Test
    void sizeWithAllGpus_requestsCountMinusOneLikeDockerRunGpusAll() {
        HostConfig config = hostConfig(BRIDGE, SIZE.withGpus(HardwareSize.ALL_GPUS));

        assertThat(config.getDeviceRequests()).singleElement().satisfies(request -> {
            assertThat(request.getCount()).isEqualTo(-1);
            assertThat(request.getCapabilities()).isEqualTo(List.of(List.of("gpu")));
        });
    }

    @Test
    void checkNetwork_acceptsABridgeWithoutInterContainerCommunication() throws Exception {
        Network network = network("bridge", Map.of(DockerKernelProvisioner.ICC_OPTION, "false"));

        DockerKernelProvisioner.checkNetwork(network, "quire-kernels");
    }

    @Test
    void checkNetwork_refusesANetworkThatLetsContainersTalk() throws Exception {
        assertThatThrownBy(() -> DockerKernelProvisioner.checkNetwork(network("bridge", Map.of()), "shared"))
                .isInstanceOf(KernelLaunchException.class)
                .hasMessage("network shared exists but is not fit for kernels: driver bridge, "
                        + "com.docker.network.bridge.enable_icc=(unset, true); kernels need a bridge network with "
                        + "com.docker.network.bridge.enable_icc=false (remove it to let Quire create it, or configure "
                        + "another network name)");
        assertThatThrownBy(() -> DockerKernelProvisioner.checkNetwork(
                network("macvlan", Map.of(DockerKernelProvisioner.ICC_OPTION, "false")), "other"))
                .isInstanceOf(KernelLaunchException.class).hasMessageContaining("driver macvlan");
    }

    private static Network network(String driver, Map<String, String> options) throws Exception {
        return JSON.readValue(JSON.writeValueAsString(Map.of("Name", "n", "Driver", driver, "Options", options)),
                Network.class);
    }

    @Test
    void networkMode_refusesPredefinedAndInvalidNames() {
        assertThat(NetworkMode.bridge("quire-kernels")).isEqualTo(new NetworkMode.Bridge("quire-kernels"));
        assertThatThrownBy(() -> NetworkMode.bridge("bridge")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("predefined");
        assertThatThrownBy(() -> NetworkMode.bridge("host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetworkMode.bridge("-x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("network name");
        assertThatThrownBy(() -> NetworkMode.bridge("a b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builder_defaultsToTheHostNetwork(@org.junit.jupiter.api.io.TempDir Path dir) {
        try (DockerKernelProvisioner provisioner = DockerKernelProvisioner.builder()
                .dockerHost("unix://" + dir.resolve("no-engine.sock")).reapOrphansAtStart(false).build()) {
            assertThat(provisioner.network()).isEqualTo(NetworkMode.host());
        }
    }
}
