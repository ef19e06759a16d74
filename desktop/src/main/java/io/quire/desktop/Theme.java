package io.quire.desktop;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;

/** The app's light and dark themes: AtlantaFX's Primer themes plus Quire's own stylesheet. */
public enum Theme {
    /** Primer Light. */
    LIGHT,
    /** Primer Dark. */
    DARK;

    /** Quire's stylesheet, on top of the theme. */
    static final String STYLESHEET = Theme.class.getResource("desktop.css").toExternalForm();

    /**
     * Applies the theme to the application and a scene.
     *
     * @param scene the scene
     */
    public void apply(Scene scene) {
        Application.setUserAgentStylesheet(this == LIGHT ? new PrimerLight().getUserAgentStylesheet()
                : new PrimerDark().getUserAgentStylesheet());
        if (!scene.getStylesheets().contains(STYLESHEET)) {
            scene.getStylesheets().add(STYLESHEET);
        }
        if (scene.getRoot() != null) {
            scene.getRoot().getStyleClass().removeAll("light", "dark");
            scene.getRoot().getStyleClass().add(this == LIGHT ? "light" : "dark");
        }
    }

    /**
     * The other theme.
     *
     * @return dark for light, light for dark
     */
    public Theme toggled() {
        return this == LIGHT ? DARK : LIGHT;
    }
}
