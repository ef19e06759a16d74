package io.quire.server.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.kernel.InterruptMode;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.docker.HardwareSize;
import io.quire.kernel.docker.NetworkMode;
import io.quire.kernel.docker.PullPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelsConfigTest {
    private static final long GIB = 1024L * 1024 * 1024;

    @TempDir
    Path dir;

    private KernelsConfig load(String yaml, Map<String, String> env) throws IOException {
        Path file = Files.writeString(dir.resolve("quire.yaml"), yaml);
        return KernelsConfig.load(Optional.of(file), env);
    }

    @Test
    void withoutAKernelsSection_onlyLocalSpecsAreOffered() throws IOException {
        KernelsConfig config = load("server:\n  port: 9999\n", Map.of());

        assertThat(config.localSpecs()).isTrue();
        assertThat(config.docker()).isEmpty();
        assertThat(config.images()).isEmpty();
        assertThat(config.sizes()).containsOnlyKeys("default");
        assertThat(KernelsConfig.load(Optional.empty(), Map.of())).isEqualTo(config);
    }

    @Test
    void theDocumentedExample_isReadCompletely() throws IOException {
        KernelsConfig config = load("""
                kernels:
                  local-specs: false
                  docker:
                    host: unix:///run/other.sock
                    scope: team-1
                    pull-policy: if-missing
                    network: bridge
                    network-name: team-1-kernels
                  sizes:
                    small: {cpus: 0.5, memory: 512m, pids: 128}
                    large: {cpus: 4, memory: 8GiB, pids: 2048}
                    gpu:   {cpus: 8, memory: 32GiB, pids: 4096, gpus: 2}
                    all:   {gpus: all}
                  default-size: large
                  images:
                    - name: python3-docker
                      display-name: Python 3 (Docker)
                      image: quire/python-kernel:dev
                      size: small
                    - name: shell
                      language: bash
                      image: example/bash:1
                      argv: [bash-kernel, "{connection_file}"]
                      env: {LANG: C.UTF-8}
                      interrupt-mode: message
                """, Map.of());

        assertThat(config.localSpecs()).isFalse();
        assertThat(config.docker()).contains(new KernelsConfig.Docker("unix:///run/other.sock", "team-1",
                PullPolicy.IF_MISSING, NetworkMode.bridge("team-1-kernels")));
        assertThat(config.sizes()).containsExactly(
                Map.entry("small", new HardwareSize("small", 0.5, 512L * 1024 * 1024, 128)),
                Map.entry("large", new HardwareSize("large", 4, 8 * GIB, 2048)),
                Map.entry("gpu", new HardwareSize("gpu", 8, 32 * GIB, 4096, 2)),
                Map.entry("all", new HardwareSize("all", 1, 2 * GIB, 512, HardwareSize.ALL_GPUS)));
        assertThat(config.defaultSize()).isEqualTo("large");
        KernelsConfig.Image python = config.images().get(0);
        assertThat(python.argv()).isEqualTo(KernelsConfig.IPYKERNEL_ARGV);
        assertThat(python.language()).isEqualTo("python");
        assertThat(python.size()).contains("small");
        KernelsConfig.Image shell = config.images().get(1);
        assertThat(shell.displayName()).isEqualTo("shell");
        assertThat(shell.env()).containsEntry("LANG", "C.UTF-8");
        assertThat(shell.interruptMode()).isEqualTo(InterruptMode.MESSAGE);

        KernelSpec spec = python.toSpec(dir);
        assertThat(spec.name()).isEqualTo("python3-docker");
        assertThat(spec.metadata().at("/quire/docker/image").asText()).isEqualTo("quire/python-kernel:dev");
        assertThat(spec.metadata().at("/quire/docker/size").asText()).isEqualTo("small");
    }

    @Test
    void dockerNetwork_defaultsToHostAndBridgeToQuiresNetwork() throws IOException {
        assertThat(load("kernels:\n  docker: {}\n", Map.of()).docker().orElseThrow().network())
                .isEqualTo(NetworkMode.host());
        assertThat(load("kernels:\n  docker: {network: bridge}\n", Map.of()).docker().orElseThrow().network())
                .isEqualTo(NetworkMode.bridge("quire-kernels"));
        assertThat(load("kernels:\n  docker: {network: bridge}\n", Map.of("QUIRE_DOCKER_HOST", "unix:///b.sock"))
                .docker().orElseThrow().network()).as("kept when the environment overrides the host")
                .isEqualTo(NetworkMode.bridge("quire-kernels"));
        assertThat(load("kernels:\n  sizes:\n    s: {cpus: 1}\n", Map.of()).sizes().get("s").gpus()).isZero();
    }

    @Test
    void theEnvironment_overridesTheFile() throws IOException {
        KernelsConfig config = load("kernels:\n  docker: {host: unix:///a.sock}\n",
                Map.of("QUIRE_KERNELS_LOCAL_SPECS", "false", "QUIRE_DOCKER_HOST", "tcp://127.0.0.1:2375"));

        assertThat(config.localSpecs()).isFalse();
        assertThat(config.docker().orElseThrow().host()).isEqualTo("tcp://127.0.0.1:2375");
        assertThatThrownBy(() -> KernelsConfig.load(Optional.empty(), Map.of("QUIRE_KERNELS_LOCAL_SPECS", "maybe")))
                .hasMessageContaining("QUIRE_KERNELS_LOCAL_SPECS must be true or false");
    }

    @Test
    void badValues_areRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("kernels:\n  dokker: {}\n", Map.of()))
                .hasMessageContaining("kernels.dokker: unknown key");
        assertThatThrownBy(() -> load("kernels:\n  sizes:\n    s: {cpus: 1, memory: lots}\n", Map.of()))
                .hasMessageContaining("kernels.sizes.s.memory must be an amount");
        assertThatThrownBy(() -> load("kernels:\n  sizes:\n    s: {cpus: -1}\n", Map.of()))
                .hasMessageContaining("kernels.sizes.s").hasMessageContaining("cpus must be in (0, 1024]");
        assertThatThrownBy(() -> load("kernels:\n  default-size: huge\n", Map.of()))
                .hasMessageContaining("kernels.default-size: no size named 'huge'");
        assertThatThrownBy(() -> load("kernels:\n  images:\n    - {name: a, image: x}\n", Map.of()))
                .hasMessageContaining("needs kernels.docker.enabled: true");
        assertThatThrownBy(() -> load("kernels:\n  docker: {}\n  images:\n    - {name: a}\n", Map.of()))
                .hasMessageContaining("kernels.images[0]: kernels.images[0].image is required");
        assertThatThrownBy(() -> load("kernels:\n  docker: {}\n  images:\n    - {name: 'a b', image: x}\n", Map.of()))
                .hasMessageContaining("name must use letters");
        assertThatThrownBy(() -> load("kernels:\n  docker: {}\n  images:\n    - {name: a, image: x, size: xl}\n",
                Map.of())).hasMessageContaining("kernels.images[a].size: no size named 'xl'");
        assertThatThrownBy(() -> load("kernels:\n  docker: {}\n  images:\n    - {name: a, image: x}\n"
                + "    - {name: A, image: y}\n", Map.of())).hasMessageContaining("'A' is used twice");
        assertThatThrownBy(() -> load("kernels:\n  docker: {pull-policy: sometimes}\n", Map.of()))
                .hasMessageContaining("kernels.docker.pull-policy must be never, if-missing or always");
        assertThatThrownBy(() -> load("kernels:\n  docker: {network: overlay}\n", Map.of()))
                .hasMessageContaining("kernels.docker.network must be host or bridge but was 'overlay'");
        assertThatThrownBy(() -> load("kernels:\n  docker: {network-name: mine}\n", Map.of()))
                .hasMessageContaining("kernels.docker.network-name needs kernels.docker.network: bridge");
        assertThatThrownBy(() -> load("kernels:\n  docker: {network: bridge, network-name: bridge}\n", Map.of()))
                .hasMessageContaining("kernels.docker.network-name: network name 'bridge' is one of Docker's predefined");
        assertThatThrownBy(() -> load("kernels:\n  sizes:\n    s: {gpus: some}\n", Map.of()))
                .hasMessageContaining("kernels.sizes.s.gpus must be a number of GPUs (0 for none) or 'all' but was 'some'");
        assertThatThrownBy(() -> load("kernels:\n  sizes:\n    s: {gpus: -1}\n", Map.of()))
                .hasMessageContaining("kernels.sizes.s.gpus must be a number of GPUs");
        assertThatThrownBy(() -> load("kernels: [1, 2]\n", Map.of()))
                .hasMessageContaining("kernels must be a mapping");
    }

    @Test
    void memoryAmounts_acceptBytesAndBinaryUnits() {
        assertThat(KernelsConfig.bytes("1048576", "m")).isEqualTo(1024 * 1024);
        assertThat(KernelsConfig.bytes("512m", "m")).isEqualTo(512L * 1024 * 1024);
        assertThat(KernelsConfig.bytes("1.5 GiB", "m")).isEqualTo(3 * GIB / 2);
        assertThat(KernelsConfig.bytes("2g", "m")).isEqualTo(2 * GIB);
        assertThat(KernelsConfig.bytes("1t", "m")).isEqualTo(1024 * GIB);
        assertThatThrownBy(() -> KernelsConfig.bytes("2 GB/s", "kernels.sizes.x.memory"))
                .hasMessageContaining("kernels.sizes.x.memory");
    }

    @Test
    void aBackendWithoutLocalSpecs_offersOnlyTheImages() throws IOException {
        Path data = dir.resolve("data/kernels/python3");
        Files.createDirectories(data);
        Files.writeString(data.resolve("kernel.json"),
                "{\"argv\": [\"python3\", \"{connection_file}\"], \"display_name\": \"P\", \"language\": \"python\"}");
        KernelSpecRegistry host = KernelSpecRegistry.of(List.of(dir.resolve("data")));
        KernelsConfig onlyImages = load("""
                kernels:
                  local-specs: false
                  docker: {scope: config-test, host: unix:///nonexistent/docker.sock}
                  images:
                    - {name: py-docker, image: quire/python-kernel:dev}
                """, Map.of());
        KernelsConfig both = load("""
                kernels:
                  docker: {scope: config-test, host: unix:///nonexistent/docker.sock}
                  images:
                    - {name: py-docker, image: quire/python-kernel:dev}
                """, Map.of());

        try (KernelBackend backend = KernelBackend.create(onlyImages, host)) {
            assertThat(backend.registry().discover().specs()).containsOnlyKeys("py-docker");
            assertThat(backend.docker()).isPresent();
        }
        try (KernelBackend backend = KernelBackend.create(both, host)) {
            assertThat(backend.registry().discover().specs()).containsOnlyKeys("py-docker", "python3");
        }
    }

    @Test
    void poolsQuotasAndCulling_areRead_andApplyToTheManager() throws IOException {
        KernelsConfig config = load("""
                kernels:
                  docker: {scope: t}
                  sizes: {small: {cpus: 1, memory: 1g, pids: 64}}
                  images: [{name: py, image: x}]
                  pools:
                    - {spec: py, min-idle: 2, max-idle: 3}
                    - {spec: py, size: small}
                  quotas: {per-user: 3, concurrent-starts: 2}
                  culling: {idle-timeout: 1h, interval: 30s, cull-busy: true, warning: 2m}
                """, Map.of());

        assertThat(config.pools()).containsExactly(new KernelsConfig.Pool("py", Optional.empty(), 2, 3),
                new KernelsConfig.Pool("py", Optional.of("small"), 1, 1));
        assertThat(config.quotas()).isEqualTo(new KernelsConfig.Quotas(3, 0, 2));
        assertThat(config.culling()).contains(new io.quire.kernels.CullingPolicy(java.time.Duration.ofHours(1),
                java.time.Duration.ofSeconds(30), true, false, java.time.Duration.ofMinutes(2)));
        assertThat(KernelsConfig.defaults().pools()).isEmpty();
        assertThat(KernelsConfig.defaults().culling()).isEmpty();
    }

    @Test
    void badPoolsQuotasAndCulling_areRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("kernels:\n  pools: [{spec: py, min-idle: 0}]\n", Map.of()))
                .hasMessageContaining("kernels.pools[0]").hasMessageContaining("minIdle must be at least 1");
        assertThatThrownBy(() -> load("kernels:\n  pools: [{spec: py, min-idle: 3, max-idle: 2}]\n", Map.of()))
                .hasMessageContaining("maxIdle must be at least minIdle");
        assertThatThrownBy(() -> load("kernels:\n  pools: [{spec: py, size: xl}]\n", Map.of()))
                .hasMessageContaining("kernels.pools[py].size: no size named 'xl'");
        assertThatThrownBy(() -> load("kernels:\n  quotas: {per-user: -1}\n", Map.of()))
                .hasMessageContaining("kernels.quotas").hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> load("kernels:\n  quotas: {per-team: 1}\n", Map.of()))
                .hasMessageContaining("kernels.quotas.per-team: unknown key");
        assertThatThrownBy(() -> load("kernels:\n  culling: {interval: 5m}\n", Map.of()))
                .hasMessageContaining("kernels.culling.idle-timeout is required");
        assertThatThrownBy(() -> load("kernels:\n  culling: {idle-timeout: soon}\n", Map.of()))
                .hasMessageContaining("kernels.culling.idle-timeout must be a duration");
        assertThatThrownBy(() -> load("kernels:\n  culling: {idle-timeout: 1m, warning: 2m}\n", Map.of()))
                .hasMessageContaining("kernels.culling").hasMessageContaining("warning must be between zero");
    }

    @Test
    void durations_acceptUnitsAndIso() {
        assertThat(KernelsConfig.duration("500ms", "d")).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(KernelsConfig.duration("30s", "d")).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(KernelsConfig.duration("2d", "d")).isEqualTo(java.time.Duration.ofDays(2));
        assertThat(KernelsConfig.duration("PT1H30M", "d")).isEqualTo(java.time.Duration.ofMinutes(90));
    }
}
