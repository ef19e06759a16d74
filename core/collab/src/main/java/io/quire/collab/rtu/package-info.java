/**
 * The wire protocol of the real-time channel {@code /api/v1/rtu}: typed events ({@link io.quire.collab.rtu.RtuEvent})
 * and their strict JSON codec ({@link io.quire.collab.rtu.RtuCodec}), shared by the server and the Java SDK.
 */
package io.quire.collab.rtu;
