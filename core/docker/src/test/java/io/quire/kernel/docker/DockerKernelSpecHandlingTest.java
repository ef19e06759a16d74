package io.quire.kernel.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    void builder_refusesRootInsideTheContainer() {
        assertThatThrownBy(() -> DockerKernelProvisioner.builder().user(0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
    }
}
