package io.quire.server.kernels;

import io.quire.kernel.KernelSpec;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.docker.DockerKernelProvisioner;
import io.quire.kernel.docker.HardwareSize;
import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.kernel.spi.ProvisionedKernel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The kernels a server offers and where they run: a {@link KernelSpecRegistry} (the host's Jupyter kernel specs
 * and/or the images declared in {@link KernelsConfig}) and a provisioner that launches each spec in the right place
 * — specs carrying {@code metadata.quire.docker} in a Docker container, all others as local processes.
 *
 * <p>Closing the backend closes the Docker provisioner (removing containers still running).
 */
public final class KernelBackend implements AutoCloseable {
    private final KernelSpecRegistry registry;
    private final KernelProvisioner provisioner;
    private final Optional<DockerKernelProvisioner> docker;

    private KernelBackend(KernelSpecRegistry registry, KernelProvisioner provisioner,
                          Optional<DockerKernelProvisioner> docker) {
        this.registry = registry;
        this.provisioner = provisioner;
        this.docker = docker;
    }

    /**
     * A backend over a given registry and provisioner (tests, embedding).
     *
     * @param registry    where specs are found
     * @param provisioner launches every spec
     * @return the backend; closing it does nothing
     */
    public static KernelBackend of(KernelSpecRegistry registry, KernelProvisioner provisioner) {
        return new KernelBackend(Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(provisioner, "provisioner"), Optional.empty());
    }

    /**
     * Builds the backend a configuration describes. With Docker enabled this connects to the engine and reaps
     * orphaned containers of the configured scope (an unreachable engine is logged; launches then fail with the
     * reason).
     *
     * @param config    the {@code kernels:} configuration
     * @param hostSpecs the host's kernel specs (used when {@link KernelsConfig#localSpecs()} is on)
     * @return the backend
     */
    public static KernelBackend create(KernelsConfig config, KernelSpecRegistry hostSpecs) {
        Objects.requireNonNull(config, "config");
        KernelSpecRegistry registry = config.localSpecs() ? hostSpecs : KernelSpecRegistry.of(List.of());
        List<KernelSpec> images = config.images().stream().map(image -> image.toSpec(Path.of(""))).toList();
        registry = registry.withDeclared(images);
        LocalProcessProvisioner local = LocalProcessProvisioner.create();
        if (config.docker().isEmpty()) {
            return new KernelBackend(registry, local, Optional.empty());
        }
        KernelsConfig.Docker settings = config.docker().get();
        DockerKernelProvisioner docker = DockerKernelProvisioner.builder()
                .dockerHost(settings.host())
                .scope(settings.scope())
                .pullPolicy(settings.pullPolicy())
                .defaultSize(config.sizes().get(config.defaultSize()))
                .build();
        return new KernelBackend(registry, new Routing(local, docker, config.sizes(), config.defaultSize()),
                Optional.of(docker));
    }

    /** @return the kernel specs offered */
    public KernelSpecRegistry registry() {
        return registry;
    }

    /** @return the provisioner that launches every offered spec */
    public KernelProvisioner provisioner() {
        return provisioner;
    }

    /** @return the Docker provisioner, when Docker kernels are enabled */
    public Optional<DockerKernelProvisioner> docker() {
        return docker;
    }

    @Override
    public void close() {
        docker.ifPresent(DockerKernelProvisioner::close);
    }

    /** Sends image specs to Docker with their size, everything else to local processes. */
    private record Routing(KernelProvisioner local, DockerKernelProvisioner docker, Map<String, HardwareSize> sizes,
                           String defaultSize) implements KernelProvisioner {
        @Override
        public ProvisionedKernel launch(KernelSpec spec, LaunchRequest request) {
            if (!spec.metadata().path("quire").path("docker").isObject()) {
                return local.launch(spec, request);
            }
            String size = spec.metadata().path("quire").path("docker").path("size").asText(defaultSize);
            return docker.launch(spec, request, sizes.getOrDefault(size, sizes.get(defaultSize)), Optional.empty());
        }
    }
}
