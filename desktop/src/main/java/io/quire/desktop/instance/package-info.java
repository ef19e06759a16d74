/**
 * One desktop app per user: the first instance owns a lock in the user's runtime folder and listens on loopback; later
 * launches hand their notebook to it ({@link io.quire.desktop.instance.SingleInstance}).
 */
package io.quire.desktop.instance;
