/**
 * Quire's own API, version 1, under {@code /api/v1}: files by opaque id, notebook content, server-side runs of whole
 * notebooks, kernel sessions bound to a notebook, executions of cells in a session (outputs saved into the notebook
 * on the server), and kernel specs; described by {@code openapi.yaml} (served at {@code /openapi}).
 *
 * <p>{@link io.quire.server.v1.V1Api} wires it; {@link io.quire.server.v1.V1Route} lists every route once, for
 * registration, for the OpenAPI coverage test and for metric route templates. The JSON is additive: clients ignore
 * fields they do not know, and new resources (deltas, collaboration) get their own {@code id}-carrying resources
 * beside these.
 */
package io.quire.server.v1;
