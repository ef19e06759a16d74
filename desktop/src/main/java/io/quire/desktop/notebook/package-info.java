/**
 * The notebook editor: the document model (cells, selection, keyboard mode, dirty tracking, runs through the SDK) as
 * view models without {@code javafx.scene} types, and the views that bind to them.
 */
package io.quire.desktop.notebook;
