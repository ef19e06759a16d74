/**
 * The Docker kernel provisioner: each kernel in its own hardened container on a local Docker engine
 * ({@link io.quire.kernel.docker.DockerKernelProvisioner}), sized by a {@link io.quire.kernel.docker.HardwareSize}.
 */
package io.quire.kernel.docker;
