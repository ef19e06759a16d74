package io.quire.desktop;

import javafx.application.Application;

/**
 * Starts the desktop app. A plain main class (not the {@link javafx.application.Application}) so the app also runs
 * with JavaFX on the class path.
 *
 * <p>Arguments: {@code [--root FOLDER] [--dark] [--exit-after-first-screen] [NOTEBOOK]}; see {@link DesktopApp}.
 */
public final class Main {
    private Main() {
    }

    /**
     * Launches the app.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        Application.launch(DesktopApp.class, args);
    }
}
