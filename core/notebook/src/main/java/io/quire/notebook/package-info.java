/**
 * The Jupyter notebook format (nbformat): immutable records that read and write {@code .ipynb} files losslessly,
 * upgrade v3 notebooks to v4, and validate against the official nbformat JSON schemas.
 */
package io.quire.notebook;
