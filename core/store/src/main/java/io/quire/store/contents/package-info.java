/**
 * The contents service ({@link io.quire.contents.ContentsManager}) backed by the database store: one project's files,
 * notebooks and directories, with Jupyter's checkpoints mapped to named versions.
 */
package io.quire.store.contents;
