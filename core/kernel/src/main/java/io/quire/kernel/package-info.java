/**
 * Jupyter kernels: a messaging-protocol client over ZeroMQ ({@link io.quire.kernel.KernelClient}),
 * connection files ({@link io.quire.kernel.ConnectionInfo}), kernel specs
 * ({@link io.quire.kernel.KernelSpecRegistry}) and running kernels that combine a provisioner and a
 * client ({@link io.quire.kernel.KernelLauncher}, {@link io.quire.kernel.RunningKernel}).
 */
package io.quire.kernel;
