/**
 * Helpers for implementing {@link io.quire.contents.ContentsManager} backends, so that every backend checks API paths
 * and picks new names exactly the same way.
 */
package io.quire.contents.spi;
