package io.quire.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelSpecRegistryTest {

    @TempDir
    Path root;

    private Path spec(Path dataDir, String name, String json) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("kernels").resolve(name));
        Files.writeString(dir.resolve("kernel.json"), json);
        return dir;
    }

    private static String json(String displayName) {
        return """
                {"argv": ["python", "-m", "k", "-f", "{connection_file}", "--res={resource_dir}"],
                 "display_name": "%s", "language": "python"}
                """.formatted(displayName);
    }

    @Test
    void discover_firstDataDirWinsPerName() throws IOException {
        Path first = root.resolve("first");
        Path second = root.resolve("second");
        spec(first, "py", json("First"));
        spec(second, "py", json("Second"));
        spec(second, "other", json("Other"));

        KernelSpecRegistry.Discovery discovery = KernelSpecRegistry.of(List.of(first, second)).discover();

        assertThat(discovery.specs()).containsOnlyKeys("py", "other");
        assertThat(discovery.specs().get("py").displayName()).isEqualTo("First");
        assertThat(discovery.problems()).isEmpty();
    }

    @Test
    void discover_reportsBadKernelJsonAndKeepsGoing() throws IOException {
        spec(root, "broken", "{not json");
        spec(root, "noargv", "{\"display_name\": \"x\", \"language\": \"y\"}");
        spec(root, "badmode", "{\"argv\": [\"a\"], \"display_name\": \"x\", \"language\": \"y\", \"interrupt_mode\": \"pigeon\"}");
        spec(root, "good", json("Good"));

        KernelSpecRegistry.Discovery discovery = KernelSpecRegistry.of(List.of(root)).discover();

        assertThat(discovery.specs()).containsOnlyKeys("good");
        assertThat(discovery.problems()).extracting(p -> p.file().getParent().getFileName().toString())
                .containsExactlyInAnyOrder("broken", "noargv", "badmode");
        assertThat(discovery.problems()).filteredOn(p -> p.file().toString().contains("badmode"))
                .singleElement().extracting(KernelSpecRegistry.Problem::reason).asString().contains("pigeon");
    }

    @Test
    void read_parsesEnvInterruptModeMetadataAndResources() throws IOException {
        Path dir = spec(root, "R", """
                {"argv": ["R", "--file={connection_file}"], "display_name": "R", "language": "R",
                 "env": {"R_LIBS": "/opt/r"}, "interrupt_mode": "message", "metadata": {"debugger": true}}
                """);
        Files.writeString(dir.resolve("logo-32x32.png"), "png");
        Files.writeString(dir.resolve("logo-64x64.png"), "png");
        Files.writeString(dir.resolve("logo-svg.svg"), "<svg/>");
        Files.writeString(dir.resolve("kernel.js"), "//");

        KernelSpec spec = KernelSpecRegistry.of(List.of(root)).require("r");

        assertThat(spec.name()).isEqualTo("r");
        assertThat(spec.env()).isEqualTo(Map.of("R_LIBS", "/opt/r"));
        assertThat(spec.interruptMode()).isEqualTo(InterruptMode.MESSAGE);
        assertThat(spec.metadata().path("debugger").asBoolean()).isTrue();
        assertThat(spec.logo32()).contains(dir.resolve("logo-32x32.png"));
        assertThat(spec.logo64()).contains(dir.resolve("logo-64x64.png"));
        assertThat(spec.logoSvg()).contains(dir.resolve("logo-svg.svg"));
        assertThat(spec.resources()).containsOnlyKeys("logo-32x32.png", "logo-64x64.png", "logo-svg.svg", "kernel.js");
    }

    @Test
    void defaults_interruptModeSignalAndEmptyEnv() throws IOException {
        spec(root, "py", json("Py"));

        KernelSpec spec = KernelSpecRegistry.of(List.of(root)).require("py");

        assertThat(spec.interruptMode()).isEqualTo(InterruptMode.SIGNAL);
        assertThat(spec.env()).isEmpty();
        assertThat(spec.metadata().isEmpty()).isTrue();
    }

    @Test
    void argvFor_substitutesConnectionFileAndResourceDir() throws IOException {
        Path dir = spec(root, "py", json("Py"));

        List<String> argv = KernelSpecRegistry.of(List.of(root)).require("py").argvFor(Path.of("/run/k.json"));

        assertThat(argv).containsExactly("python", "-m", "k", "-f", "/run/k.json", "--res=" + dir);
    }

    @Test
    void require_unknownNameListsSearchedDirs() {
        assertThatThrownBy(() -> KernelSpecRegistry.of(List.of(root)).require("nope"))
                .isInstanceOf(KernelSpecException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining(root.toString());
    }

    @Test
    void standardDataPath_ordersJupyterPathThenUserDirThenSystemDirs() {
        Path home = Path.of("/home/ada");

        assertThat(KernelSpecRegistry.standardDataPath(Map.of("JUPYTER_PATH", "/a:/b"), home)).containsExactly(
                Path.of("/a"), Path.of("/b"), Path.of("/home/ada/.local/share/jupyter"),
                Path.of("/usr/local/share/jupyter"), Path.of("/usr/share/jupyter"));
        assertThat(KernelSpecRegistry.standardDataPath(Map.of("JUPYTER_DATA_DIR", "/data"), home))
                .containsExactly(Path.of("/data"), Path.of("/usr/local/share/jupyter"), Path.of("/usr/share/jupyter"));
    }

    @Test
    void find_isCaseInsensitiveAndEmptyWhenAbsent() throws IOException {
        spec(root, "Py", json("Py"));
        KernelSpecRegistry registry = KernelSpecRegistry.of(List.of(root));

        assertThat(registry.find("PY")).isPresent();
        assertThat(registry.find("ruby")).isEmpty();
    }

    @Test
    void declaredSpecs_comeFirstAndShadowDiscoveredOnes() throws IOException {
        spec(root, "py", json("Py on disk"));
        spec(root, "r", json("R"));
        KernelSpec declared = new KernelSpec("py", "Py in Docker", "python", List.of("python3", "{connection_file}"),
                Map.of(), InterruptMode.SIGNAL, Json.object(), root, Map.of());
        KernelSpecRegistry registry = KernelSpecRegistry.of(List.of(root)).withDeclared(List.of(declared));

        assertThat(registry.discover().specs().keySet()).containsExactly("py", "r");
        assertThat(registry.require("PY").displayName()).isEqualTo("Py in Docker");
        assertThat(registry.declared()).containsExactly(declared);
        assertThatThrownBy(() -> registry.withDeclared(List.of(declared)))
                .isInstanceOf(KernelSpecException.class).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> registry.require("julia")).hasMessageContaining("the declared specs [py]");
    }
}
