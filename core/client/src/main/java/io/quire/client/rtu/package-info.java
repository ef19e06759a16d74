/**
 * The SDK side of the real-time channel {@code /api/v1/rtu}: {@link io.quire.client.rtu.RtuClient} opens
 * {@link io.quire.client.rtu.CollabSession}s, each a live, converging copy of one notebook.
 */
package io.quire.client.rtu;
