/**
 * Service-provider interface for kernel provisioners: how Quire launches kernels from kernel specs and
 * controls their lifetime (local processes, Docker, Kubernetes).
 */
package io.quire.kernel.spi;
