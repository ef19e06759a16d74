/**
 * Live collaboration on notebooks: the {@link io.quire.collab.Delta} family and its JSON form
 * ({@link io.quire.collab.DeltaCodec}), text operations with operational transformation
 * ({@link io.quire.collab.TextOperation}), and the per-file sequencer ({@link io.quire.collab.DeltaLog}) that orders,
 * transforms and persists deltas through a {@link io.quire.collab.spi.DeltaStore} (see decision 0016).
 */
package io.quire.collab;
