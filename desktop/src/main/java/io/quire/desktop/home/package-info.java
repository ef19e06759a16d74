/**
 * The app's frame around notebooks: the home screen (recent notebooks, new notebook, remote servers), notebook tabs
 * with autosave, and what the app remembers in the user's config folder (recent notebooks, servers, tokens).
 */
package io.quire.desktop.home;
