/**
 * The database store: organisations, users, memberships, spaces, projects, files with their version history, grants
 * and effective roles, API tokens and the audit log, on H2, PostgreSQL or CockroachDB.
 *
 * <p>Open it with {@link io.quire.store.Store#open(io.quire.store.StoreConfig)}; the repositories it hands out are the
 * whole API. Every method that touches tenant data takes the organisation's id and never returns rows of another
 * organisation. Failures are unchecked subclasses of {@link io.quire.store.StoreException}, each with a stable
 * {@code code()}.
 */
package io.quire.store;
