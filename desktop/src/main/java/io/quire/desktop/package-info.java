/** Quire's JavaFX desktop app: application start-up and the embedded server bootstrap. */
package io.quire.desktop;
