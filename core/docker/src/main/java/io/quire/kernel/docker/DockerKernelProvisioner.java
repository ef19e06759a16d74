package io.quire.kernel.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.quire.kernel.ConnectionInfo;
import io.quire.kernel.EngineHealth;
import io.quire.kernel.KernelOwner;
import io.quire.kernel.KernelLaunchException;
import io.quire.kernel.KernelSpec;
import io.quire.kernel.spi.KernelProvisioner;
import io.quire.kernel.spi.LaunchRequest;
import io.quire.kernel.spi.ProvisionedKernel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Launches each kernel in its own hardened Docker container on this machine's Docker engine.
 *
 * <p><b>Image.</b> The image comes from the kernel spec's {@code metadata.quire.docker.image}
 * (e.g. {@code {"metadata": {"quire": {"docker": {"image": "quire/python-kernel:dev"}}}}}), else from the
 * provisioner's default image ({@value #DEFAULT_IMAGE}). Images are never pulled unless the {@link PullPolicy} says
 * so; a missing image fails the launch with a {@link KernelLaunchException} that says how to build it.
 *
 * <p><b>Container.</b> The connection file (random key, ports picked on {@code 127.0.0.1}) is bind-mounted
 * read-only at {@value #CONTAINER_CONNECTION_FILE}; a {@code /bin/sh} prelude copies it ({@code umask 077}) to
 * {@value #KERNEL_CONNECTION_FILE}, because ipykernel rewrites its connection file at start-up, then {@code exec}s
 * the spec's argv with {@code {connection_file}} replaced by that copy. Images therefore need {@code /bin/sh}. It
 * runs as user
 * {@code 1000:1000} with no capabilities, {@code no-new-privileges}, a read-only root filesystem, tmpfs mounts for
 * {@code /tmp} and the work directory {@value #HOME}, and the memory (swap disabled), pids and CPU limits of its
 * {@link HardwareSize}. Nothing else from the host is mounted; {@code {resource_dir}} in argv is refused. The
 * request's working directory is ignored: kernels work in {@value #HOME}. A size with GPUs adds a Docker device
 * request ({@code driver ""}, the count or all, capabilities {@code [["gpu"]]}), as {@code docker run --gpus} does.
 *
 * <p><b>Network</b> ({@link Builder#network(NetworkMode)}). In {@link NetworkMode.Host} mode (the default) the
 * container shares the host network and the kernel binds {@code 127.0.0.1}, so Quire connects exactly as to a local
 * kernel and nothing is exposed beyond the loopback, but the kernel sees everything on the host's loopback. In
 * {@link NetworkMode.Bridge} mode the container joins Quire's user-defined bridge network (created on first use with
 * the label {@code io.quire.scope} and {@value #ICC_OPTION}{@code =false}; an existing network of that name must be
 * a bridge network with that option, else the launch is refused), the kernel binds {@code 0.0.0.0} inside its
 * container, and each of its five ports {@code P} is published as {@code 127.0.0.1:P->P/tcp} on the host, where
 * Quire connects. The network is never removed: other Quire processes sharing the engine may use it. Inter-container
 * isolation is enforced by the engine's iptables rules; an engine started with {@code --iptables=false} does not
 * enforce it.
 *
 * <p><b>Labels.</b> Containers carry {@code io.quire.kernel=true}, {@code io.quire.kernel.id}, {@code io.quire.scope},
 * {@code io.quire.provisioner} (this instance), {@code io.quire.size}, and {@code io.quire.owner} (user id) and
 * {@code io.quire.organisation} when the launch request names an owner. Labels are fixed when the container is
 * created: a kernel launched without owner (e.g. for a warm pool) keeps no owner label after it is handed out.
 * {@link #reapOrphans()} (run when the provisioner is built, unless disabled) removes containers of the same scope
 * that no provisioner alive in this JVM owns, i.e. left over from a previous run. Two Quire processes sharing one
 * Docker engine must use different scopes.
 *
 * <p><b>Lifetime.</b> Death is observed through Docker's wait API (reported within a second, with the exit code,
 * "out of memory (limit ...)" when the kernel hit its memory limit, and the last lines of the container log);
 * dead containers are removed at once. Interrupt sends SIGINT through Docker; terminate stops the container with
 * the grace period and removes it. {@link #close()} and a JVM shutdown hook remove containers still running.
 *
 * <p>Instances are thread-safe; build them with {@link #builder()}.
 */
public final class DockerKernelProvisioner implements KernelProvisioner, AutoCloseable {
    /** Label on every kernel container: {@code true}. */
    public static final String LABEL_KERNEL = "io.quire.kernel";
    /** Label holding the kernel's container-level id (a UUID, new for every launch). */
    public static final String LABEL_KERNEL_ID = "io.quire.kernel.id";
    /** Label holding the owner (user id) of the kernel, when the launch request names one. */
    public static final String LABEL_OWNER = "io.quire.owner";
    /** Label holding the owner's organisation id, when the launch request names an owner. */
    public static final String LABEL_ORGANISATION = "io.quire.organisation";
    /** Label holding the provisioner scope, see {@link Builder#scope(String)}. */
    public static final String LABEL_SCOPE = "io.quire.scope";
    /** Label holding the id of the provisioner instance that launched the container. */
    public static final String LABEL_PROVISIONER = "io.quire.provisioner";
    /** Label holding the hardware size name. */
    public static final String LABEL_SIZE = "io.quire.size";
    /** The image used when a kernel spec names none. */
    public static final String DEFAULT_IMAGE = "quire/python-kernel:dev";
    /** Where the connection file is mounted (read-only) inside the container. */
    public static final String CONTAINER_CONNECTION_FILE = "/run/quire/connection.json";
    /**
     * The kernel's own copy of the connection file, on the {@code /tmp} tmpfs: what {@code {connection_file}}
     * becomes. ipykernel rewrites its connection file at start-up, which a read-only mount would refuse.
     */
    public static final String KERNEL_CONNECTION_FILE = "/tmp/.quire-connection.json";
    /** The kernel's home and working directory inside the container (a tmpfs). */
    public static final String HOME = "/home/quire";
    /** The bridge driver option that keeps containers of a network from reaching each other. */
    public static final String ICC_OPTION = "com.docker.network.bridge.enable_icc";

    private static final Logger LOG = LoggerFactory.getLogger(DockerKernelProvisioner.class);
    private static final long HEALTH_TIMEOUT_SECONDS = 5;
    private static final String IP = "127.0.0.1";
    private static final String ANY_IP = "0.0.0.0";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Provisioner instances alive in this JVM; their containers are never orphans. */
    private static final Set<String> LIVE_INSTANCES = ConcurrentHashMap.newKeySet();

    private final DockerClient docker;
    private final String dockerHost;
    private final String instanceId = UUID.randomUUID().toString();
    private final String defaultImage;
    private final HardwareSize defaultSize;
    private final Map<String, HardwareSize> sizes;
    private final PullPolicy pullPolicy;
    private final NetworkMode network;
    private final String scope;
    private final Path runtimeDir;
    private final int containerUid;
    private final int containerGid;
    private final Set<DockerKernel> kernels = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private DockerKernelProvisioner(Builder builder) {
        this.sizes = sizesWithDefault(builder.sizes, builder.defaultSize); // first: nothing to release when it throws
        this.dockerHost = builder.dockerHost;
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(builder.dockerHost)
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        this.docker = DockerClientImpl.getInstance(config, http);
        this.defaultImage = builder.defaultImage;
        this.defaultSize = builder.defaultSize;
        this.pullPolicy = builder.pullPolicy;
        this.network = builder.network;
        this.scope = builder.scope;
        this.runtimeDir = builder.runtimeDir;
        this.containerUid = builder.uid;
        this.containerGid = builder.gid;
        LIVE_INSTANCES.add(instanceId);
        DockerKernel.installShutdownHook();
    }

    /** @return a builder with the defaults described on its methods */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Launches a kernel in a new container, sized by the request's hardware size name (resolved through the sizes
     * configured with {@link Builder#sizes}; the default size when the request names none) and labelled with the
     * request's owner when it has one.
     *
     * @param spec    what to run; the image comes from {@code metadata.quire.docker.image} or the default
     * @param request extra environment, reused connection info, owner and size; the working directory is ignored
     * @return the handle of the running container
     * @throws KernelLaunchException when the size name is not configured, the image is missing (and may not be
     *                               pulled), the Docker engine cannot be reached, the spec uses {@code {resource_dir}},
     *                               the kernel network cannot be created or is not fit for kernels, or the container
     *                               cannot start
     */
    @Override
    public ProvisionedKernel launch(KernelSpec spec, LaunchRequest request) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(request, "request");
        HardwareSize size = sizeOf(spec, request);
        if (closed) {
            throw new KernelLaunchException("Docker kernel provisioner is closed; cannot launch '" + spec.name() + "'");
        }
        if (spec.argv().stream().anyMatch(arg -> arg.contains("{resource_dir}"))) {
            throw new KernelLaunchException("kernel spec '" + spec.name() + "' uses {resource_dir} in argv " + spec.argv()
                    + ", which a Docker kernel cannot see (no host paths are mounted)");
        }
        String image = imageOf(spec).orElse(defaultImage);
        ensureImage(image);
        if (network instanceof NetworkMode.Bridge bridge) {
            ensureNetwork(bridge.networkName());
        }

        String kernelId = UUID.randomUUID().toString();
        String containerName = "quire-kernel-" + kernelId;
        ConnectionInfo info = request.connectionInfo()
                .orElseGet(() -> ConnectionInfo.tcp(IP, DockerPorts.allocate(IP, 5), newKey()))
                .withKernelName(spec.name());
        Path connectionFile = writeConnectionFile(kernelSide(network, info), kernelId);
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c",
                "umask 077 && cat " + CONTAINER_CONNECTION_FILE + " > " + KERNEL_CONNECTION_FILE + " && exec \"$@\"",
                "quire-kernel"));
        spec.argv().stream().map(arg -> arg.replace("{connection_file}", KERNEL_CONNECTION_FILE)).forEach(argv::add);
        if (request.cwd().isPresent()) {
            LOG.debug("kernel '{}' in Docker ignores the working directory {}; it works in {}", spec.name(),
                    request.cwd().get(), HOME);
        }
        String containerId = null;
        try {
            CreateContainerResponse created = docker.createContainerCmd(image)
                    .withName(containerName)
                    .withCmd(argv)
                    .withEnv(environment(spec, request))
                    .withUser(containerUid + ":" + containerGid)
                    .withWorkingDir(HOME)
                    .withLabels(labels(kernelId, size, request.owner()))
                    .withExposedPorts(exposedPorts(network, info))
                    .withHostConfig(hostConfig(connectionFile, size, containerUid, containerGid, network, info))
                    .exec();
            containerId = created.getId();
            for (String warning : created.getWarnings() == null ? new String[0] : created.getWarnings()) {
                LOG.warn("Docker warned about kernel container {}: {}", containerName, warning);
            }
            DockerKernel kernel = new DockerKernel(this, docker, containerId, containerName, info, connectionFile, size,
                    spec.name());
            kernels.add(kernel);
            docker.startContainerCmd(containerId).exec();
            kernel.watch();
            LOG.debug("started kernel '{}' in container {} ({}), image {}, size {}", spec.name(), containerName,
                    containerId, image, size.name());
            return kernel;
        } catch (RuntimeException e) {
            kernels.removeIf(k -> k.connectionFile().equals(connectionFile));
            if (containerId != null) {
                try {
                    docker.removeContainerCmd(containerId).withForce(true).exec();
                } catch (RuntimeException removal) {
                    e.addSuppressed(removal);
                }
            }
            deleteQuietly(connectionFile);
            throw new KernelLaunchException("cannot start kernel '" + spec.name() + "' in a container of image " + image
                    + " (Docker engine " + dockerHost + "): " + e.getMessage(), e);
        }
    }

    /**
     * The image a spec asks for.
     *
     * @param spec a kernel spec
     * @return {@code metadata.quire.docker.image}, when set and not blank
     */
    public static Optional<String> imageOf(KernelSpec spec) {
        String image = spec.metadata().path("quire").path("docker").path("image").asText("");
        return image.isBlank() ? Optional.empty() : Optional.of(image);
    }

    /**
     * Removes kernel containers of this provisioner's scope that no provisioner alive in this JVM launched: those a
     * crashed or killed Quire left behind. Running ones are killed first.
     *
     * @return how many containers were removed
     * @throws io.quire.kernel.KernelException when the Docker engine cannot be asked
     */
    public int reapOrphans() {
        List<Container> containers;
        try {
            containers = docker.listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(LABEL_KERNEL, "true", LABEL_SCOPE, scope))
                    .exec();
        } catch (RuntimeException e) {
            throw new io.quire.kernel.KernelException("cannot list kernel containers on Docker engine " + dockerHost
                    + ": " + e.getMessage(), e);
        }
        int removed = 0;
        for (Container container : containers) {
            String owner = container.getLabels() == null ? null : container.getLabels().get(LABEL_PROVISIONER);
            if (owner != null && LIVE_INSTANCES.contains(owner)) {
                continue;
            }
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed++;
                LOG.info("removed orphaned kernel container {} ({}) left by a previous run",
                        container.getNames() == null ? "?" : String.join(",", container.getNames()), container.getId());
            } catch (NotFoundException e) {
                // removed concurrently
            } catch (RuntimeException e) {
                LOG.warn("cannot remove orphaned kernel container {}: {}", container.getId(), e.getMessage());
            }
        }
        return removed;
    }

    /** @return the hardware sizes requests may name, by name, in configuration order (the default size included) */
    public Map<String, HardwareSize> sizes() {
        return sizes;
    }

    /**
     * Pings the Docker engine: one request, given up after {@value #HEALTH_TIMEOUT_SECONDS} seconds.
     *
     * @return healthy when the engine answers, unhealthy with the engine's error otherwise or when closed
     */
    @Override
    public EngineHealth health() {
        if (closed) {
            return EngineHealth.unhealthy("Docker kernel provisioner is closed");
        }
        FutureTask<Void> ping = new FutureTask<>(() -> {
            docker.pingCmd().exec();
            return null;
        });
        Thread.ofVirtual().name("quire-docker-ping").start(ping);
        try {
            ping.get(HEALTH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return EngineHealth.healthy("Docker engine at " + dockerHost + " answers");
        } catch (ExecutionException e) {
            return EngineHealth.unhealthy("Docker engine at " + dockerHost + " does not answer: "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            ping.cancel(true);
            return EngineHealth.unhealthy("Docker engine at " + dockerHost + " did not answer a ping within "
                    + HEALTH_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ping.cancel(true);
            return EngineHealth.unhealthy("interrupted while pinging the Docker engine at " + dockerHost);
        }
    }

    /** @return how kernel containers are networked */
    public NetworkMode network() {
        return network;
    }

    /** @return the scope shared by this provisioner's containers */
    public String scope() {
        return scope;
    }

    /** @return the id of this provisioner instance, on the {@code io.quire.provisioner} label */
    public String instanceId() {
        return instanceId;
    }

    /**
     * Terminates every kernel this provisioner launched (2 s grace each, in parallel), then releases the engine
     * connection. Launching afterwards fails. Calling it again is harmless.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Thread> stops = new ArrayList<>();
        for (DockerKernel kernel : List.copyOf(kernels)) {
            stops.add(Thread.ofVirtual().name("stop-" + kernel.containerName()).start(
                    () -> kernel.terminate(Duration.ofSeconds(2))));
        }
        for (Thread stop : stops) {
            try {
                stop.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LIVE_INSTANCES.remove(instanceId);
        try {
            docker.close();
        } catch (IOException e) {
            LOG.debug("closing the Docker client failed: {}", e.getMessage());
        }
    }

    DockerClient docker() {
        return docker;
    }

    void forget(DockerKernel kernel) {
        kernels.remove(kernel);
    }

    private void ensureImage(String image) {
        boolean present;
        try {
            docker.inspectImageCmd(image).exec();
            present = true;
        } catch (NotFoundException e) {
            present = false;
        } catch (RuntimeException e) {
            throw new KernelLaunchException("cannot reach the Docker engine at " + dockerHost + " to look up image "
                    + image + ": " + e.getMessage(), e);
        }
        boolean pull = pullPolicy == PullPolicy.ALWAYS || (!present && pullPolicy == PullPolicy.IF_MISSING);
        if (pull) {
            try {
                LOG.info("pulling kernel image {}", image);
                if (!docker.pullImageCmd(image).start().awaitCompletion(30, TimeUnit.MINUTES)) {
                    throw new KernelLaunchException("pulling image " + image + " did not finish within 30 minutes");
                }
                present = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KernelLaunchException("interrupted while pulling image " + image, e);
            } catch (RuntimeException e) {
                if (e instanceof KernelLaunchException launch) {
                    throw launch;
                }
                if (!present) {
                    throw new KernelLaunchException("image " + image + " not found and cannot be pulled: "
                            + e.getMessage(), e);
                }
                LOG.warn("pulling image {} failed; using the local copy: {}", image, e.getMessage());
            }
        }
        if (!present) {
            String hint = image.startsWith("quire/python-kernel:")
                    ? "build it with packaging/kernel-images/build-python-image.sh"
                    : "build or pull it, or use pull policy IF_MISSING";
            throw new KernelLaunchException("image " + image + " not found; " + hint);
        }
    }

    /*
     * Makes sure the bridge network exists and is fit for kernels: creates it when missing (a concurrent creation by
     * another provisioner is fine), refuses a network of that name that is not a bridge or lets containers talk.
     */
    private void ensureNetwork(String name) {
        Network existing;
        try {
            existing = inspectNetwork(name);
            if (existing == null) {
                try {
                    docker.createNetworkCmd()
                            .withName(name)
                            .withDriver("bridge")
                            .withCheckDuplicate(true)
                            .withOptions(Map.of(ICC_OPTION, "false"))
                            .withLabels(Map.of(LABEL_SCOPE, scope))
                            .exec();
                    LOG.info("created kernel network {} (bridge, {}=false)", name, ICC_OPTION);
                } catch (ConflictException e) {
                    LOG.debug("kernel network {} was created concurrently: {}", name, e.getMessage());
                }
                existing = inspectNetwork(name);
                if (existing == null) {
                    throw new KernelLaunchException("kernel network " + name + " vanished right after its creation");
                }
            }
        } catch (KernelLaunchException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KernelLaunchException("cannot create the kernel network " + name + " (bridge, " + ICC_OPTION
                    + "=false) on the Docker engine at " + dockerHost + ": " + e.getMessage(), e);
        }
        checkNetwork(existing, name);
    }

    private Network inspectNetwork(String name) {
        try {
            return docker.inspectNetworkCmd().withNetworkId(name).exec();
        } catch (NotFoundException e) {
            return null;
        }
    }

    /**
     * Refuses a network that would not isolate kernels.
     *
     * @param network the network as the engine describes it
     * @param name    the name kernels were told to join
     * @throws KernelLaunchException when it is not a bridge network with inter-container communication disabled
     */
    static void checkNetwork(Network network, String name) {
        String icc = network.getOptions() == null ? null : network.getOptions().get(ICC_OPTION);
        if (!"bridge".equals(network.getDriver()) || !"false".equals(icc)) {
            throw new KernelLaunchException("network " + name + " exists but is not fit for kernels: driver "
                    + network.getDriver() + ", " + ICC_OPTION + "=" + (icc == null ? "(unset, true)" : icc)
                    + "; kernels need a bridge network with " + ICC_OPTION + "=false (remove it to let Quire create "
                    + "it, or configure another network name)");
        }
    }

    /**
     * The connection info written for the kernel: the same ports and key, bound to {@code 0.0.0.0} in bridge mode
     * (the container's own interfaces, reached only through the ports published on the host's loopback).
     *
     * @param mode the network mode
     * @param info the info Quire connects with ({@code 127.0.0.1})
     * @return the info of the kernel's connection file
     */
    static ConnectionInfo kernelSide(NetworkMode mode, ConnectionInfo info) {
        return switch (mode) {
            case NetworkMode.Host host -> info;
            case NetworkMode.Bridge bridge -> new ConnectionInfo(info.transport(), ANY_IP, info.shellPort(),
                    info.iopubPort(), info.stdinPort(), info.controlPort(), info.hbPort(), info.key(),
                    info.signatureScheme(), info.kernelName());
        };
    }

    /**
     * @param mode the network mode
     * @param info the kernel's connection info
     * @return its five ports as {@code P/tcp} in bridge mode, none on the host network
     */
    static List<ExposedPort> exposedPorts(NetworkMode mode, ConnectionInfo info) {
        return switch (mode) {
            case NetworkMode.Host host -> List.of();
            case NetworkMode.Bridge bridge -> ports(info).stream().map(ExposedPort::tcp).toList();
        };
    }

    /**
     * Everything the engine is told about a kernel container's isolation and resources: a pure function of its
     * inputs, so that it can be checked without an engine.
     *
     * @param connectionFile the host file mounted read-only at {@value #CONTAINER_CONNECTION_FILE}
     * @param size           memory, pids, CPU and GPU limits
     * @param uid            the kernel's uid (owner of the tmpfs home)
     * @param gid            its gid
     * @param mode           host network, or the bridge network with each port published on {@code 127.0.0.1}
     * @param info           the kernel's connection info (its ports)
     * @return the host config
     */
    static HostConfig hostConfig(Path connectionFile, HardwareSize size, int uid, int gid, NetworkMode mode,
                                 ConnectionInfo info) {
        String ids = "uid=" + uid + ",gid=" + gid;
        Map<String, String> tmpfs = new LinkedHashMap<>();
        tmpfs.put("/tmp", "rw,nosuid,nodev,size=" + size.memoryBytes() + ",mode=1777");
        tmpfs.put(HOME, "rw,nosuid,nodev,size=" + size.memoryBytes() + ",mode=0700," + ids);
        HostConfig config = HostConfig.newHostConfig()
                .withReadonlyRootfs(true)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withMemory(size.memoryBytes())
                .withMemorySwap(size.memoryBytes())
                .withPidsLimit(size.pidsLimit())
                .withNanoCPUs(size.nanoCpus())
                .withTmpFs(tmpfs)
                .withBinds(new Bind(connectionFile.toString(), new Volume(CONTAINER_CONNECTION_FILE), AccessMode.ro));
        switch (mode) {
            case NetworkMode.Host host -> config.withNetworkMode("host");
            case NetworkMode.Bridge bridge -> config.withNetworkMode(bridge.networkName())
                    .withPortBindings(new Ports(ports(info).stream()
                            .map(port -> new PortBinding(Ports.Binding.bindIpAndPort(IP, port), ExposedPort.tcp(port)))
                            .toArray(PortBinding[]::new)));
        }
        if (size.gpus() != 0) {
            config.withDeviceRequests(List.of(new DeviceRequest()
                    .withDriver("")
                    .withCount(size.gpus())
                    .withCapabilities(List.of(List.of("gpu")))));
        }
        return config;
    }

    private static List<Integer> ports(ConnectionInfo info) {
        return List.of(info.shellPort(), info.iopubPort(), info.stdinPort(), info.controlPort(), info.hbPort());
    }

    private HardwareSize sizeOf(KernelSpec spec, LaunchRequest request) {
        if (request.size().isEmpty()) {
            return defaultSize;
        }
        HardwareSize size = sizes.get(request.size().get());
        if (size == null) {
            throw new KernelLaunchException("unknown hardware size '" + request.size().get() + "' for kernel '"
                    + spec.name() + "'; configured sizes: " + String.join(", ", sizes.keySet()));
        }
        return size;
    }

    private Map<String, String> labels(String kernelId, HardwareSize size, Optional<KernelOwner> owner) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_KERNEL, "true");
        labels.put(LABEL_KERNEL_ID, kernelId);
        labels.put(LABEL_SCOPE, scope);
        labels.put(LABEL_PROVISIONER, instanceId);
        labels.put(LABEL_SIZE, size.name());
        owner.ifPresent(who -> {
            labels.put(LABEL_OWNER, who.user());
            labels.put(LABEL_ORGANISATION, who.organisation());
        });
        return labels;
    }

    private static Map<String, HardwareSize> sizesWithDefault(List<HardwareSize> configured, HardwareSize defaultSize) {
        Map<String, HardwareSize> byName = new LinkedHashMap<>();
        byName.put(defaultSize.name(), defaultSize);
        for (HardwareSize size : configured) {
            HardwareSize previous = byName.putIfAbsent(size.name(), size);
            if (previous != null && !previous.equals(size)) {
                throw new IllegalArgumentException("hardware size '" + size.name() + "' is defined twice: " + previous
                        + " and " + size);
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    private static List<String> environment(KernelSpec spec, LaunchRequest request) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", HOME);
        env.putAll(spec.env());
        env.putAll(request.env());
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /*
     * The file is written 0600 into a 0700 directory. The kernel runs as containerUid, which must be able to read it
     * through the bind mount: when Quire runs as another user it hands the file over (chown, possible as root) or,
     * failing that, opens the file itself to others; the 0700 directory still keeps other host users out.
     */
    private Path writeConnectionFile(ConnectionInfo info, String kernelId) {
        Path dir = privateRuntimeDir();
        Path file = dir.resolve("docker-kernel-" + kernelId + ".json");
        info.write(file);
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("unix")) {
                int uid = (Integer) Files.getAttribute(file, "unix:uid");
                if (uid != containerUid) {
                    try {
                        Files.setAttribute(file, "unix:uid", containerUid);
                        Files.setAttribute(file, "unix:gid", containerGid);
                    } catch (IOException | SecurityException e) {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            throw new KernelLaunchException("cannot make connection file " + file + " readable for uid " + containerUid
                    + ": " + e.getMessage(), e);
        }
        return file;
    }

    private Path privateRuntimeDir() {
        try {
            if (!Files.isDirectory(runtimeDir)) {
                Files.createDirectories(runtimeDir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Files.setPosixFilePermissions(runtimeDir, PosixFilePermissions.fromString("rwx------"));
            return runtimeDir;
        } catch (IOException | UnsupportedOperationException e) {
            throw new KernelLaunchException("cannot prepare runtime directory " + runtimeDir + ": " + e.getMessage(), e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete connection file {}: {}", file, e.getMessage());
        }
    }

    private static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    /** Settings of a {@link DockerKernelProvisioner}. Not thread-safe. */
    public static final class Builder {
        private String dockerHost = defaultDockerHost();
        private String defaultImage = DEFAULT_IMAGE;
        private HardwareSize defaultSize = HardwareSize.defaults();
        private List<HardwareSize> sizes = List.of();
        private PullPolicy pullPolicy = PullPolicy.NEVER;
        private NetworkMode network = NetworkMode.host();
        private String scope = "local-" + System.getProperty("user.name", "user");
        private Path runtimeDir = defaultRuntimeDir();
        private int uid = 1000;
        private int gid = 1000;
        private boolean reapOrphansAtStart = true;

        private Builder() {
        }

        /**
         * @param host the engine, e.g. {@code unix:///var/run/docker.sock} (default: {@code DOCKER_HOST}, else that)
         * @return this builder
         */
        public Builder dockerHost(String host) {
            this.dockerHost = requireText(host, "dockerHost");
            return this;
        }

        /**
         * @param image the image for specs without {@code metadata.quire.docker.image} (default
         *              {@value DockerKernelProvisioner#DEFAULT_IMAGE})
         * @return this builder
         */
        public Builder defaultImage(String image) {
            this.defaultImage = requireText(image, "defaultImage");
            return this;
        }

        /**
         * @param size the size of launches whose request names no size (default {@link HardwareSize#defaults()});
         *             requests may also name it
         * @return this builder
         */
        public Builder defaultSize(HardwareSize size) {
            this.defaultSize = Objects.requireNonNull(size, "size");
            return this;
        }

        /**
         * @param values the hardware sizes launch requests may name (e.g. {@code small}, {@code large}), besides the
         *               default size; a name must not stand for two different sizes ({@link #build()} throws
         *               {@link IllegalArgumentException})
         * @return this builder
         */
        public Builder sizes(Collection<HardwareSize> values) {
            this.sizes = List.copyOf(values);
            return this;
        }

        /**
         * @param policy when to pull images (default {@link PullPolicy#NEVER})
         * @return this builder
         */
        public Builder pullPolicy(PullPolicy policy) {
            this.pullPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param mode {@link NetworkMode#host()} (the default) or {@link NetworkMode#bridge(String)}; see the class
         *             documentation
         * @return this builder
         */
        public Builder network(NetworkMode mode) {
            this.network = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * @param name the scope written on every container and used by orphan reaping (default
         *             {@code local-<user>}); each Quire process sharing a Docker engine needs its own
         * @return this builder
         */
        public Builder scope(String name) {
            this.scope = requireText(name, "scope");
            return this;
        }

        /**
         * @param dir where connection files are written, created {@code 0700} (default
         *            {@code $XDG_RUNTIME_DIR/quire}, else {@code <tmp>/quire-runtime-<user>})
         * @return this builder
         */
        public Builder runtimeDir(Path dir) {
            this.runtimeDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * @param containerUid the non-root uid kernels run as (default 1000, the image's {@code quire} user)
         * @param containerGid its gid (default 1000)
         * @return this builder
         * @throws IllegalArgumentException when the uid or gid is 0 (root) or negative
         */
        public Builder user(int containerUid, int containerGid) {
            if (containerUid <= 0 || containerGid <= 0) {
                throw new IllegalArgumentException("kernel containers must not run as root; uid:gid was "
                        + containerUid + ":" + containerGid);
            }
            this.uid = containerUid;
            this.gid = containerGid;
            return this;
        }

        /**
         * @param reap whether {@link #build()} removes orphaned containers of the scope (default true)
         * @return this builder
         */
        public Builder reapOrphansAtStart(boolean reap) {
            this.reapOrphansAtStart = reap;
            return this;
        }

        /**
         * Creates the provisioner; reaps orphans first unless disabled. An unreachable engine is logged, not fatal:
         * launches then fail with the reason.
         *
         * @return the provisioner
         */
        public DockerKernelProvisioner build() {
            DockerKernelProvisioner provisioner = new DockerKernelProvisioner(this);
            if (reapOrphansAtStart) {
                try {
                    provisioner.reapOrphans();
                } catch (io.quire.kernel.KernelException e) {
                    LOG.warn("orphaned kernel containers not reaped: {}", e.getMessage());
                }
            }
            return provisioner;
        }

        private static String requireText(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }

        private static String defaultDockerHost() {
            String env = System.getenv("DOCKER_HOST");
            return env != null && !env.isBlank() ? env : "unix:///var/run/docker.sock";
        }

        private static Path defaultRuntimeDir() {
            String xdg = System.getenv("XDG_RUNTIME_DIR");
            return xdg != null && !xdg.isBlank() && Files.isDirectory(Path.of(xdg))
                    ? Path.of(xdg, "quire")
                    : Path.of(System.getProperty("java.io.tmpdir"),
                    "quire-runtime-" + System.getProperty("user.name", "user"));
        }
    }
}
