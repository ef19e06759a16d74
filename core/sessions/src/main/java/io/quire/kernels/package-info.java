/**
 * The kernel manager: many running kernels by id, their lifecycle (start, interrupt, restart, shutdown),
 * execution state and activity tracked from IOPub, and counts of attached WebSocket connections, with the
 * fields of Jupyter Server's kernel model; owners and hardware sizes, warm pools, quotas and admission of
 * concurrent starts, culling of idle kernels, and the engine's health.
 */
package io.quire.kernels;
