/**
 * Team mode: the server over the database store ({@code store:} configuration). Callers authenticate with API tokens
 * of the store, see their organisation's default project as the contents root, and own the kernels they start. See
 * decision record 0015.
 */
package io.quire.server.team;
