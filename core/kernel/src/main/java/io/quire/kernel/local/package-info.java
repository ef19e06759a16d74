/**
 * The local-process kernel provisioner: kernels as child processes of the Quire JVM.
 */
package io.quire.kernel.local;
