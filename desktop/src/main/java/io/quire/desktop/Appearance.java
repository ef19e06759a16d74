package io.quire.desktop;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/**
 * The look of the app's windows: the {@link Theme} and the base font size, applied to every window it is attached
 * to, with keyboard shortcuts: Ctrl+Shift+L switches between light and dark, Ctrl+plus / Ctrl+minus make text larger
 * or smaller in steps of {@value #STEP} px (from {@value #MIN_SIZE} to {@value #MAX_SIZE}), Ctrl+0 restores
 * {@value #DEFAULT_SIZE} px. The font size is the root's {@code -fx-font-size}; the stylesheet sizes everything in
 * {@code em} of it, and outputs drawn outside CSS (web pages, typeset math) read it from the root too.
 * Used on the JavaFX thread only.
 */
public final class Appearance {
    /** The default base font size, px (AtlantaFX's). */
    public static final double DEFAULT_SIZE = 14;
    /** The smallest base font size, px. */
    public static final double MIN_SIZE = 9;
    /** The largest base font size, px. */
    public static final double MAX_SIZE = 32;
    /** One step of Ctrl+plus / Ctrl+minus, px. */
    public static final double STEP = 1;

    private final List<Scene> scenes = new ArrayList<>();
    private Theme theme;
    private double fontSize = DEFAULT_SIZE;

    /**
     * A look with a theme and the default font size.
     *
     * @param theme the theme
     */
    public Appearance(Theme theme) {
        this.theme = Objects.requireNonNull(theme, "theme");
    }

    /**
     * Applies the look to a window's scene and keeps it applied there, with the shortcuts installed.
     *
     * @param scene the scene (its root must be set)
     */
    public void attach(Scene scene) {
        scenes.add(scene);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), () -> theme(theme.toggled()));
        Runnable larger = () -> fontSize(fontSize + STEP);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.EQUALS, KeyCombination.SHORTCUT_DOWN), larger);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.PLUS, KeyCombination.SHORTCUT_DOWN), larger);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ADD, KeyCombination.SHORTCUT_DOWN), larger);
        Runnable smaller = () -> fontSize(fontSize - STEP);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.MINUS, KeyCombination.SHORTCUT_DOWN), smaller);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.SUBTRACT, KeyCombination.SHORTCUT_DOWN), smaller);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT0, KeyCombination.SHORTCUT_DOWN),
                () -> fontSize(DEFAULT_SIZE));
        apply(scene);
        scene.rootProperty().addListener((property, was, root) -> apply(scene));
        scene.windowProperty().addListener((property, was, window) -> {
            if (window == null) {
                scenes.remove(scene);
            }
        });
    }

    /**
     * Styles a scene with the current theme and font size once, without following later changes (a scene that is
     * laid out once and dropped, such as a warm-up's).
     *
     * @param scene the scene
     */
    public void style(Scene scene) {
        apply(scene);
    }

    /**
     * The theme.
     *
     * @return the theme
     */
    public Theme theme() {
        return theme;
    }

    /**
     * Switches every attached window to a theme.
     *
     * @param next the theme
     */
    public void theme(Theme next) {
        theme = Objects.requireNonNull(next, "theme");
        scenes.forEach(this::apply);
    }

    /**
     * The base font size.
     *
     * @return the size in px
     */
    public double fontSize() {
        return fontSize;
    }

    /**
     * Sets the base font size of every attached window, clamped to {@value #MIN_SIZE}..{@value #MAX_SIZE} px.
     *
     * @param size the size in px
     */
    public void fontSize(double size) {
        fontSize = Math.max(MIN_SIZE, Math.min(MAX_SIZE, size));
        scenes.forEach(this::apply);
    }

    private void apply(Scene scene) {
        theme.apply(scene);
        if (scene.getRoot() != null) {
            String style = scene.getRoot().getStyle() == null ? "" : scene.getRoot().getStyle();
            style = style.replaceAll("-fx-font-size:\\s*[0-9.]+px;?", "").strip();
            scene.getRoot().setStyle((style.isEmpty() ? "" : style + " ")
                    + String.format(java.util.Locale.ROOT, "-fx-font-size: %.1fpx;", fontSize));
        }
    }
}
