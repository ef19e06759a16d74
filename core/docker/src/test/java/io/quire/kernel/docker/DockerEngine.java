package io.quire.kernel.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.quire.testing.Engines;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The skip-or-fail guard of the Docker tests: skips on a developer machine without a Docker engine at
 * {@code /var/run/docker.sock} or without the image {@value DockerKernelProvisioner#DEFAULT_IMAGE}, and fails
 * instead when {@code CI=true}, like {@link Engines}.
 */
final class DockerEngine {
    static final Path SOCKET = Path.of("/var/run/docker.sock");

    private DockerEngine() {
    }

    /**
     * Requires the engine and the kernel image, asking through the provisioner's own client.
     *
     * @param provisioner a provisioner on the default socket
     */
    static void require(DockerKernelProvisioner provisioner) {
        problem(provisioner).ifPresent(DockerEngine::unavailable);
    }

    /** Requires the socket before anything else touches the engine. */
    static void requireSocket() {
        if (!Files.exists(SOCKET)) {
            unavailable("no Docker engine socket at " + SOCKET);
        }
    }

    /** @return a docker-java client of its own on the default socket, for assertions; close it */
    static DockerClient client() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + SOCKET).build();
        return DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).build());
    }

    private static Optional<String> problem(DockerKernelProvisioner provisioner) {
        DockerClient docker = provisioner.docker();
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            return Optional.of("Docker engine at " + SOCKET + " does not answer: " + e.getMessage());
        }
        try {
            docker.inspectImageCmd(DockerKernelProvisioner.DEFAULT_IMAGE).exec();
        } catch (NotFoundException e) {
            return Optional.of("image " + DockerKernelProvisioner.DEFAULT_IMAGE
                    + " not found; build it with packaging/kernel-images/build-python-image.sh");
        }
        return Optional.empty();
    }

    private static void unavailable(String reason) {
        if (Engines.onCi()) {
            Assertions.fail("required engine missing on CI (CI=true): " + reason);
        }
        Assumptions.abort("engine not available, test skipped: " + reason);
    }
}
