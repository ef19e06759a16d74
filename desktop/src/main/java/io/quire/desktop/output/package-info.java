/**
 * Outputs of code cells: a pure model of what to show for each nbformat output ({@link
 * io.quire.desktop.output.OutputItem}: MIME choice in JupyterLab's order, ANSI colours, carriage returns, plain
 * pandas tables, TeX math in text, JSON tree pages, truncation) and the JavaFX views that render it (WebKit for HTML
 * and SVG, JLaTeXMath for math). See docs/decisions/0023.
 */
package io.quire.desktop.output;
