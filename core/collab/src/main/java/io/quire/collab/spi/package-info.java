/** The service-provider interface of the collaboration log: where deltas and snapshots are kept. */
package io.quire.collab.spi;
