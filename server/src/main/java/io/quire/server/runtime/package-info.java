/**
 * The server's own lifecycle beyond HTTP: kernels left running across a restart ({@link
 * io.quire.server.runtime.KernelHandover}).
 */
package io.quire.server.runtime;
