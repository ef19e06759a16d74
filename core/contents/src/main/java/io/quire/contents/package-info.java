/**
 * The contents service: files, notebooks and directories addressed by API paths, with Jupyter Server's
 * {@code /api/contents} semantics, behind one interface ({@link io.quire.contents.ContentsManager}) that every storage
 * backend implements.
 *
 * <p>An <em>API path</em> is relative to the contents root: {@code ""} is the root, segments are separated by
 * {@code /}, and there is no leading slash ({@code "a/b.ipynb"}). Models are records ({@link
 * io.quire.contents.ContentModel}, {@link io.quire.contents.Checkpoint}) that write exactly the JSON Jupyter Server
 * sends. Failures are unchecked subclasses of {@link io.quire.contents.ContentsException}, each with a stable
 * {@code code()} that the HTTP layer maps to a status.
 */
package io.quire.contents;
