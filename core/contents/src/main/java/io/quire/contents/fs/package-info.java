/**
 * The filesystem backend of the contents service: {@link io.quire.contents.fs.FileContentsManager} serves a directory
 * tree with Jupyter Server's {@code FileContentsManager} behaviour, writing files atomically and keeping one
 * checkpoint per file under {@code .ipynb_checkpoints/}.
 */
package io.quire.contents.fs;
