/**
 * The Docker kernel provisioner: each kernel in its own hardened container on a local Docker engine
 * ({@link io.quire.kernel.docker.DockerKernelProvisioner}), sized by a {@link io.quire.kernel.docker.HardwareSize} (CPU, memory, pids, GPUs) and networked by a
 * {@link io.quire.kernel.docker.NetworkMode} (the host network, or Quire's isolated bridge network).
 */
package io.quire.kernel.docker;
