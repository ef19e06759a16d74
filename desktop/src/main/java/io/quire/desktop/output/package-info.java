/**
 * Outputs of code cells: a pure model of what to show for each nbformat output (ANSI colours, carriage returns,
 * pandas-style HTML tables, truncation) and the JavaFX view that renders it.
 */
package io.quire.desktop.output;
