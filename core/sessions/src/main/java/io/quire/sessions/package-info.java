/**
 * Jupyter sessions: a session binds a file path (with a name and a type such as {@code notebook} or
 * {@code console}) to a kernel managed by {@link io.quire.kernels.KernelManager}; storage is behind
 * {@link io.quire.sessions.SessionStore}.
 */
package io.quire.sessions;
