package io.quire.desktop.output;

import java.util.Objects;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.concurrent.Worker;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.web.WebEngine;
import javafx.scene.web.WebView;

/**
 * An HTML or SVG output in a {@link WebView} (WebKit), so ordinary HTML, styled pandas tables and SVG look as they do
 * in a browser. Design:
 *
 * <ul>
 *   <li><b>No scripts.</b> The page's JavaScript is off, as in JupyterLab for an untrusted notebook: an output
 *       cannot run code in the app. The view measures the page with {@link WebEngine#executeScript}, which is the
 *       host's own call and works with page scripts off.</li>
 *   <li><b>Sized to its content.</b> A WebView has no preferred size of its own; after each load and width change
 *       the view sets its height to the content's height (measured on a wrapper {@code div} that holds its
 *       children's margins; the document's scroll height never drops below the view's own height), so the notebook
 *       list, not the WebView, scrolls.
 *       Vertical wheel events are passed on to the list for the same reason. SVG keeps its natural width.</li>
 *   <li><b>Themed.</b> A small stylesheet (text colour, fonts, JupyterLab-like tables) follows the window's theme
 *       and font scale; the page is reloaded when they change. The page background is transparent.</li>
 *   <li><b>Links leave the output.</b> A navigation away from the content (a clicked link) is cancelled, the content
 *       reloaded, and the URL handed to {@link #setLinkHandler} (the app opens it in the system browser).</li>
 * </ul>
 */
public final class HtmlView extends StackPane {
    private static volatile Consumer<String> links = url -> { };
    /** Whether a web view was made in this process (JavaFX thread only). */
    private static boolean warm;

    private final WebView web = new WebView();
    private final String body;
    private final boolean svg;
    private String page = "";
    private boolean measured;
    private double measuredWidth = -1;
    private final javafx.animation.PauseTransition remeasure =
            new javafx.animation.PauseTransition(javafx.util.Duration.millis(150));

    /**
     * A view of an HTML fragment or an SVG document.
     *
     * @param content the HTML fragment, or the SVG source
     * @param svg     whether the content is SVG
     */
    public HtmlView(String content, boolean svg) {
        warm = true;
        this.body = svg ? stripProlog(Objects.requireNonNull(content, "content")) : content;
        this.svg = svg;
        getStyleClass().add(svg ? "svg-output" : "html-output");
        web.setContextMenuEnabled(false);
        web.setPageFill(Color.TRANSPARENT);
        web.setFocusTraversable(false);
        web.setPrefHeight(svg ? 20 : 40);
        web.setMinHeight(0);
        WebEngine engine = web.getEngine();
        engine.setJavaScriptEnabled(false);
        engine.getLoadWorker().stateProperty().addListener((property, was, state) -> {
            if (state == Worker.State.SUCCEEDED) {
                measure();
                remeasure.playFromStart(); // WebKit may lay the page out again once the view has its final width
            } else {
                measured = false;
            }
        });
        engine.locationProperty().addListener((property, was, location) -> {
            if (location != null && !location.isEmpty() && !location.equals("about:blank")) {
                links.accept(location);
                Platform.runLater(() -> engine.loadContent(page));
            }
        });
        remeasure.setOnFinished(event -> measure());
        web.widthProperty().addListener((property, was, width) -> {
            if (!svg && Math.abs(was.doubleValue() - width.doubleValue()) > 0.5) {
                Platform.runLater(this::measure);
                remeasure.playFromStart();
            }
        });
        web.addEventFilter(ScrollEvent.SCROLL, event -> {
            if (Math.abs(event.getDeltaY()) > Math.abs(event.getDeltaX()) && getParent() != null) {
                event.consume();
                getParent().fireEvent(event.copyFor(getParent(), getParent()));
            }
        });
        getChildren().add(web);
        if (svg) {
            setMaxWidth(USE_PREF_SIZE);
            setAlignment(javafx.geometry.Pos.TOP_LEFT);
        }
        OutputsView.followLook(this, look -> {
            page = page(body, look.dark(), look.fontSize());
            engine.loadContent(page);
        });
    }

    /**
     * Starts WebKit once, if no web view has yet: the first {@link WebView} of a process loads WebKit's native
     * library (on a class-path JavaFX, after extracting and checking it) and initialises WebCore, which takes from a
     * few hundred milliseconds to seconds. The app calls it on the JavaFX thread while a notebook is being read, so
     * the first HTML output on screen does not pay for it. Call on the JavaFX thread.
     */
    public static void warmUp() {
        if (!warm) {
            warm = true;
            new WebView().getEngine().setJavaScriptEnabled(false);
        }
    }

    /**
     * Sets where clicked links go (the app opens them in the system browser); by default they are dropped.
     *
     * @param handler receives the URL of each clicked link
     */
    public static void setLinkHandler(Consumer<String> handler) {
        links = Objects.requireNonNull(handler, "handler");
    }

    /**
     * The content this view shows (the HTML fragment, or the SVG without its XML prolog).
     *
     * @return the content
     */
    public String content() {
        return body;
    }

    /**
     * Whether the page has loaded and the view has taken its size (the screenshot tool waits for this).
     *
     * @return true once loaded and measured; false again while a theme change reloads it
     */
    public boolean ready() {
        return measured && web.getEngine().getLoadWorker().getState() == Worker.State.SUCCEEDED;
    }

    /**
     * The web view inside, for tests.
     *
     * @return the web view
     */
    WebView webView() {
        return web;
    }

    @Override
    protected void layoutChildren() {
        super.layoutChildren();
        if (!svg && measured && Math.abs(web.getWidth() - measuredWidth) > 0.5) {
            Platform.runLater(this::measure);
        }
    }

    private void measure() {
        if (web.getEngine().getLoadWorker().getState() != Worker.State.SUCCEEDED) {
            return;
        }
        measuredWidth = web.getWidth();
        Object size = web.getEngine().executeScript(svg
                ? "(function(){var r=document.getElementById('quire-output').firstElementChild;"
                        + "if(!r)return '0 0';var b=r.getBoundingClientRect();"
                        + "return Math.ceil(b.width)+' '+Math.ceil(b.height);})()"
                : "(function(){var r=document.getElementById('quire-output');"
                        + "return document.body.scrollWidth+' '+Math.ceil(r.getBoundingClientRect().height);})()");
        String[] parts = String.valueOf(size).split(" ");
        try {
            double width = Double.parseDouble(parts[0]);
            double height = Double.parseDouble(parts[1]);
            measured = true;
            web.setPrefHeight(height + (svg ? 0 : 2));
            web.setMinHeight(height + (svg ? 0 : 2));
            if (svg) {
                web.setPrefWidth(Math.max(1, width));
                web.setMaxWidth(Math.max(1, width));
            }
        } catch (RuntimeException e) {
            measured = true;
            web.setPrefHeight(200);
        }
    }

    /**
     * The page for a fragment: the fragment in a body with Quire's output stylesheet.
     *
     * @param body     the HTML fragment
     * @param dark     the dark theme's colours rather than the light theme's
     * @param fontSize the base font size in pixels
     * @return the page
     */
    static String page(String body, boolean dark, double fontSize) {
        String fg = dark ? "#e6edf3" : "#1f2328";
        String muted = dark ? "#9198a1" : "#59636e";
        String border = dark ? "#3d444d" : "#d1d9e0";
        String stripe = dark ? "rgba(255,255,255,0.04)" : "rgba(0,0,0,0.03)";
        String hover = dark ? "rgba(56,139,253,0.15)" : "rgba(9,105,218,0.08)";
        String link = dark ? "#4493f8" : "#0969da";
        String code = dark ? "#151b23" : "#f6f8fa";
        return """
                <!DOCTYPE html><html><head><meta charset="utf-8"><style>
                html,body{margin:0;padding:0;background:transparent;}
                body{color:%s;font-family:"Segoe UI","Helvetica Neue","DejaVu Sans",Arial,sans-serif;font-size:%.1fpx;
                     line-height:1.4;overflow-y:hidden;overflow-x:auto;}
                a{color:%s;} img{max-width:100%%;}
                pre,code,kbd,samp{font-family:"JetBrains Mono","DejaVu Sans Mono",monospace;font-size:0.93em;}
                pre{background:%s;padding:6px;} h1,h2,h3,h4{margin:0.4em 0;} p{margin:0.3em 0;}
                table{border-collapse:collapse;border:none;font-size:0.9em;margin:2px 0;}
                th,td{padding:4px 10px;text-align:right;vertical-align:middle;border:none;}
                thead{border-bottom:1px solid %s;} thead th{font-weight:bold;}
                tbody th{font-weight:bold;} tbody tr:nth-child(odd){background:%s;} tbody tr:hover{background:%s;}
                caption{color:%s;}
                </style></head><body><div id="quire-output" style="display:flow-root">%s</div></body></html>
                """.formatted(fg, fontSize, link, code, border, stripe, hover, muted, body);
    }

    private static String stripProlog(String svg) {
        return svg.replaceFirst("(?s)^\\s*<\\?xml.*?\\?>", "").replaceFirst("(?s)^\\s*<!DOCTYPE[^>]*>", "")
                .replaceAll("(?s)<!--.*?-->", "").strip();
    }
}
