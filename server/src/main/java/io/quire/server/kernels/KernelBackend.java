package io.quire.server.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.kernel.EngineHealth;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.KernelSpecRegistry;
import io.quire.kernel.docker.DockerKernelProvisioner;
import io.quire.kernel.local.LocalProcessProvisioner;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.kernel.spi.ProvisionedKernel;
import java.nio.file.Path;
import java.util.List;
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
    private final KernelsConfig config;

    private KernelBackend(KernelSpecRegistry registry, KernelProvisioner provisioner,
                          Optional<DockerKernelProvisioner> docker, KernelsConfig config) {
        this.registry = registry;
        this.provisioner = provisioner;
        this.docker = docker;
        this.config = config;
    }

    /**
     * A backend over a given registry and provisioner (tests, embedding).
     *
     * @param registry    where specs are found
     * @param provisioner launches every spec
     * @return the backend; closing it does nothing
     */
    public static KernelBackend of(KernelSpecRegistry registry, KernelProvisioner provisioner) {
        return of(registry, provisioner, KernelsConfig.defaults());
    }

    /**
     * A backend over a given registry and provisioner, with the pools, quotas and culling of a configuration (its
     * Docker and image settings are not used).
     *
     * @param registry    where specs are found
     * @param provisioner launches every spec
     * @param config      the pools, quotas and culling
     * @return the backend; closing it does nothing
     */
    public static KernelBackend of(KernelSpecRegistry registry, KernelProvisioner provisioner, KernelsConfig config) {
        return new KernelBackend(Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(provisioner, "provisioner"), Optional.empty(),
                Objects.requireNonNull(config, "config"));
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
        return create(config, hostSpecs, false);
    }

    /**
     * As {@link #create(KernelsConfig, KernelSpecRegistry)}, optionally launching local kernels so that they outlive
     * this JVM (for a server that leaves its kernels running for the next start, {@code shutdown-kernels: false}).
     *
     * @param config          the {@code kernels:} configuration
     * @param hostSpecs       the host's kernel specs (used when {@link KernelsConfig#localSpecs()} is on)
     * @param detachedKernels whether local kernels are launched detached
     * @return the backend
     */
    public static KernelBackend create(KernelsConfig config, KernelSpecRegistry hostSpecs, boolean detachedKernels) {
        Objects.requireNonNull(config, "config");
        KernelSpecRegistry registry = config.localSpecs() ? hostSpecs : KernelSpecRegistry.of(List.of());
        List<KernelSpec> images = config.images().stream().map(image -> image.toSpec(Path.of(""))).toList();
        registry = registry.withDeclared(images);
        LocalProcessProvisioner local = LocalProcessProvisioner.create().detached(detachedKernels);
        if (config.docker().isEmpty()) {
            return new KernelBackend(registry, local, Optional.empty(), config);
        }
        KernelsConfig.Docker settings = config.docker().get();
        DockerKernelProvisioner docker = DockerKernelProvisioner.builder()
                .dockerHost(settings.host())
                .scope(settings.scope())
                .pullPolicy(settings.pullPolicy())
                .network(settings.network())
                .defaultSize(config.sizes().get(config.defaultSize()))
                .sizes(config.sizes().values())
                .build();
        return new KernelBackend(registry, new Routing(local, docker), Optional.of(docker), config);
    }

    /** @return the kernel specs offered */
    public KernelSpecRegistry registry() {
        return registry;
    }

    /** @return the provisioner that launches every offered spec */
    public KernelProvisioner provisioner() {
        return provisioner;
    }

    /** @return the configuration (pools, quotas, culling) the kernel manager applies */
    public KernelsConfig config() {
        return config;
    }

    /** @return the Docker provisioner, when Docker kernels are enabled */
    public Optional<DockerKernelProvisioner> docker() {
        return docker;
    }

    @Override
    public void close() {
        docker.ifPresent(DockerKernelProvisioner::close);
    }

    /**
     * Sends image specs to Docker, everything else to local processes. A request without a size gets the size the
     * image names ({@code metadata.quire.docker.size}), else Docker's default size.
     */
    private record Routing(KernelProvisioner local, DockerKernelProvisioner docker) implements KernelProvisioner {
        @Override
        public ProvisionedKernel launch(KernelSpec spec, LaunchRequest request) {
            JsonNode settings = spec.metadata().path("quire").path("docker");
            if (!settings.isObject()) {
                return local.launch(spec, request);
            }
            if (request.size().isEmpty() && settings.path("size").isTextual()) {
                request = request.withSize(settings.path("size").asText());
            }
            return docker.launch(spec, request);
        }

        @Override
        public EngineHealth health() {
            return docker.health();
        }
    }
}
