package io.quire.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.client.KernelSpecInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app's embedded server takes its kernels from the user's {@code quire.yaml} ({@code kernels:} section, as the
 * team server's): kernel specs backed by Docker images appear in the kernel picker beside the local ones.
 */
class EmbeddedServerKernelsTest {
    @TempDir
    Path dir;

    @Test
    void dockerImageSpecsOfTheConfigFile_areOffered_besideTheLocalOnes() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path file = Files.writeString(dir.resolve("quire.yaml"), """
                kernels:
                  docker:
                    host: unix://%s
                  images:
                    - name: python3-docker
                      display-name: Python 3 (Docker)
                      language: python
                      image: quire/python-kernel:dev
                """.formatted(dir.resolve("no-docker.sock")));
        try (EmbeddedServer server = EmbeddedServer.start(root, file, Map.of())) {
            assertThat(server.connection().client().kernelSpecs()).extracting(KernelSpecInfo::name,
                    KernelSpecInfo::displayName).contains(org.assertj.core.groups.Tuple.tuple("python3-docker",
                    "Python 3 (Docker)"));
        }
    }

    @Test
    void withoutTheFile_onlyLocalKernels_andABadSection_isRefusedNamingTheKey() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        try (EmbeddedServer server = EmbeddedServer.start(root, dir.resolve("missing.yaml"), Map.of())) {
            assertThat(server.connection().client().kernelSpecs()).extracting(KernelSpecInfo::name)
                    .doesNotContain("python3-docker");
        }
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "kernels:\n  dockr: {}\n");
        assertThatThrownBy(() -> EmbeddedServer.start(root, bad, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dockr");
    }
}
