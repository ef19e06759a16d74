/** The kernel of an open notebook: its session on the server, live status, interrupt and restart. */
package io.quire.desktop.kernel;
