package io.quire.server;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.quire.testing.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The skip-or-fail guard of server tests with Docker kernels: skips on a developer machine without a Docker engine
 * at {@code /var/run/docker.sock} or without the kernel image, and fails instead when {@code CI=true}.
 */
final class DockerKernels {
    /** The Python kernel image built by {@code packaging/kernel-images/build-python-image.sh}. */
    static final String IMAGE = "quire/python-kernel:dev";
    private static final Path SOCKET = Path.of("/var/run/docker.sock");

    private DockerKernels() {
    }

    /** @param image the image the test needs */
    static void requireImage(String image) {
        if (!Files.exists(SOCKET)) {
            unavailable("no Docker engine socket at " + SOCKET);
        }
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + SOCKET).build();
        try (DockerClient docker = DockerClientImpl.getInstance(config,
                new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build())) {
            docker.pingCmd().exec();
            docker.inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            unavailable("image " + image + " not found; build it with packaging/kernel-images/build-python-image.sh");
        } catch (IOException | RuntimeException e) {
            unavailable("Docker engine at " + SOCKET + " does not answer: " + e.getMessage());
        }
    }

    private static void unavailable(String reason) {
        if (Engines.onCi()) {
            Assertions.fail("required engine missing on CI (CI=true): " + reason);
        }
        Assumptions.abort("engine not available, test skipped: " + reason);
    }
}
