/**
 * The Java SDK for Quire's v1 API ({@code /api/v1}): {@link io.quire.client.QuireClient} and the typed records it
 * returns (files, runs, kernel sessions, executions), plus {@link io.quire.client.KernelChannels}, a client of a
 * kernel's channels WebSocket on {@code java.net.http.WebSocket}. The module depends on jackson-databind only;
 * notebooks travel as JSON trees, so callers need no Quire model classes.
 */
package io.quire.client;
