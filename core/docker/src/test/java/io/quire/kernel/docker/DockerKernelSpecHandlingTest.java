package io.quire.kernel.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.kernel.EngineHealth;
import io.quire.kernel.InterruptMode;
import io.quire.kernel.KernelLaunchException;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.spi.LaunchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the provisioner decides before talking to an engine; needs no Docker. */
class DockerKernelSpecHandlingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private KernelSpec spec(List<String> argv, String metadata) throws Exception {
        JsonNode meta = JSON.readTree(metadata);
        return new KernelSpec("py", "Python", "python", argv, Map.of(), InterruptMode.SIGNAL, meta, dir, Map.of());
    }

    private DockerKernelProvisioner unreachable() {
        return DockerKernelProvisioner.builder()
                .dockerHost("unix://" + dir.resolve("no-engine.sock"))
                .runtimeDir(dir.resolve("runtime"))
                .reapOrphansAtStart(false)
                .build();
    }

    @Test
    void imageOf_readsQuireDockerImageFromMetadata() throws Exception {
        assertThat(DockerKernelProvisioner.imageOf(spec(List.of("python3"),
                "{\"quire\": {\"docker\": {\"image\": \"example/kernel:1\"}}}"))).contains("example/kernel:1");
        assertThat(DockerKernelProvisioner.imageOf(spec(List.of("python3"), "{}"))).isEmpty();
    }

    @Test
    void launch_refusesResourceDirBecauseNoHostPathIsMounted() throws Exception {
        KernelSpec spec = spec(List.of("python3", "{resource_dir}/start.py"), "{}");
        try (DockerKernelProvisioner provisioner = unreachable()) {
            assertThatThrownBy(() -> provisioner.launch(spec, LaunchRequest.defaults()))
                    .isInstanceOf(KernelLaunchException.class)
                    .hasMessageContaining("{resource_dir}");
        }
    }

    @Test
    void launch_withoutEngine_namesTheEngine() throws Exception {
        KernelSpec spec = spec(List.of("python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"), "{}");
        try (DockerKernelProvisioner provisioner = unreachable()) {
            assertThatThrownBy(() -> provisioner.launch(spec, LaunchRequest.defaults()))
                    .isInstanceOf(KernelLaunchException.class)
                    .hasMessageContaining("cannot reach the Docker engine at unix://" + dir.resolve("no-engine.sock"));
        }
    }

    @Test
    void launch_withUnknownSize_namesTheConfiguredSizesBeforeAskingTheEngine() throws Exception {
        KernelSpec spec = spec(List.of("python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"), "{}");
        try (DockerKernelProvisioner provisioner = DockerKernelProvisioner.builder()
                .dockerHost("unix://" + dir.resolve("no-engine.sock"))
                .runtimeDir(dir.resolve("runtime"))
                .reapOrphansAtStart(false)
                .sizes(List.of(new HardwareSize("small", 0.5, 512L << 20, 64), new HardwareSize("large", 4, 8L << 30, 1024)))
                .build()) {
            assertThat(provisioner.sizes()).containsOnlyKeys("default", "small", "large");
            assertThatThrownBy(() -> provisioner.launch(spec, LaunchRequest.defaults().withSize("xl")))
                    .isInstanceOf(KernelLaunchException.class)
                    .hasMessage("unknown hardware size 'xl' for kernel 'py'; configured sizes: default, small, large");
        }
    }

    @Test
    void builder_refusesTwoSizesWithOneName() {
        DockerKernelProvisioner.Builder builder = DockerKernelProvisioner.builder()
                .dockerHost("unix://" + dir.resolve("no-engine.sock"))
                .reapOrphansAtStart(false)
                .sizes(List.of(new HardwareSize("small", 0.5, 512L << 20, 64), new HardwareSize("small", 1, 1L << 30, 64)));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hardware size 'small' is defined twice");
    }

    @Test
    void health_withoutEngine_isUnhealthyAndNamesTheEngine() {
        try (DockerKernelProvisioner provisioner = unreachable()) {
            EngineHealth health = provisioner.health();

            assertThat(health.healthy()).isFalse();
            assertThat(health.detail()).startsWith("Docker engine at unix://" + dir.resolve("no-engine.sock")
                    + " does not answer: ");
        }
    }

    @Test
    void builder_refusesRootInsideTheContainer() {
        assertThatThrownBy(() -> DockerKernelProvisioner.builder().user(0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
    }
}
