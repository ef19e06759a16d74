package io.quire.desktop.output;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import org.scilab.forge.jlatexmath.ParseException;
import org.scilab.forge.jlatexmath.TeXConstants;
import org.scilab.forge.jlatexmath.TeXFormula;
import org.scilab.forge.jlatexmath.TeXIcon;

/**
 * Typesets TeX math with JLaTeXMath into images: {@code text/latex} outputs and {@code $...$} / {@code $$...$$} in
 * markdown. JLaTeXMath draws with Java2D into an off-screen {@link BufferedImage} (no AWT window, so it works with
 * {@code java.awt.headless=true}); its pixels are copied into a JavaFX {@link WritableImage}. Formulas are drawn at
 * twice the size and shown at half, so they stay sharp on HiDPI screens. The text colour and size follow the
 * window's theme and font scale (a formula is drawn again when they change). A formula JLaTeXMath cannot parse is
 * shown as its source with the parser's message.
 */
public final class MathRenderer {
    /** Drawn at this multiple of the shown size. */
    private static final int OVERSAMPLE = 2;

    private MathRenderer() {
    }

    /**
     * A node showing a formula; it follows the theme of the window it is shown in.
     *
     * @param tex     the TeX, without delimiters
     * @param display display style (a block of its own) rather than inline text style
     * @return the node: an {@link ImageView} with style class {@code math}, or a {@link Label} with style class
     *         {@code math-error} when the TeX cannot be parsed
     */
    public static Node node(String tex, boolean display) {
        TeXFormula formula;
        try {
            formula = new TeXFormula(tex);
        } catch (ParseException | IllegalArgumentException e) {
            Label error = new Label((display ? "$$" : "$") + tex + (display ? "$$" : "$") + "  [" + e.getMessage()
                    + "]");
            error.getStyleClass().addAll("math-error", "mono");
            return error;
        }
        ImageView view = new ImageView();
        view.getStyleClass().add(display ? "math-display" : "math");
        view.setUserData(tex);
        Baseline node = display ? null : new Baseline(view);
        OutputsView.followLook(display ? view : node, look -> {
            Typeset typeset = typeset(formula, display, look.dark() ? 0xE6EDF3 : 0x1F2328,
                    look.fontSize() * (display ? 1.2 : 1.1));
            view.setImage(typeset.image());
            view.setFitWidth(typeset.image().getWidth() / OVERSAMPLE);
            view.setFitHeight(typeset.image().getHeight() / OVERSAMPLE);
            if (node != null) {
                node.depth = typeset.depth() / OVERSAMPLE;
                node.requestLayout();
            }
        });
        return display ? view : node;
    }

    /**
     * Typesets a formula.
     *
     * @param tex     the TeX, without delimiters
     * @param display display style rather than text style
     * @param rgb     the text colour, 0xRRGGBB
     * @param size    the font size in pixels at which it is shown (the image is {@value #OVERSAMPLE} times larger)
     * @return the image, transparent around the glyphs
     * @throws ParseException when JLaTeXMath cannot parse the TeX
     */
    public static WritableImage image(String tex, boolean display, int rgb, double size) {
        return typeset(new TeXFormula(tex), display, rgb, size).image();
    }

    /** An image and how far its formula reaches below the text baseline, in image pixels. */
    private record Typeset(WritableImage image, double depth) {
    }

    /** Inline math in a text flow: its baseline is the formula's, not the image's bottom edge. */
    private static final class Baseline extends StackPane {
        private double depth;

        Baseline(ImageView view) {
            super(view);
            getStyleClass().add("math-inline");
        }

        @Override
        public double getBaselineOffset() {
            return getHeight() - depth;
        }
    }

    private static Typeset typeset(TeXFormula formula, boolean display, int rgb, double size) {
        TeXIcon icon = formula.new TeXIconBuilder()
                .setStyle(display ? TeXConstants.STYLE_DISPLAY : TeXConstants.STYLE_TEXT)
                .setSize((float) (size * OVERSAMPLE))
                .build();
        icon.setInsets(new java.awt.Insets(OVERSAMPLE, OVERSAMPLE, OVERSAMPLE, OVERSAMPLE));
        Color colour = new Color(rgb);
        icon.setForeground(colour);
        int width = Math.max(1, icon.getIconWidth());
        int height = Math.max(1, icon.getIconHeight());
        BufferedImage buffer = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = buffer.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setColor(colour);
            icon.paintIcon(null, graphics, 0, 0);
        } finally {
            graphics.dispose();
        }
        int[] pixels = buffer.getRGB(0, 0, width, height, null, 0, width);
        WritableImage image = new WritableImage(width, height);
        image.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), pixels, 0, width);
        return new Typeset(image, icon.getIconDepth() + OVERSAMPLE);
    }
}
