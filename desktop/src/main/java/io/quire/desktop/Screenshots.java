package io.quire.desktop;

import io.quire.desktop.notebook.NotebookView;
import io.quire.desktop.output.HtmlView;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Takes the README's screenshots: opens a notebook with saved outputs on an embedded server (no kernel is started),
 * in a real window, and for each theme writes the window page by page as PNGs
 * ({@code NAME-light-1.png}, {@code NAME-light-2.png}, ..., {@code NAME-dark-1.png}, ...), waiting for web pages
 * and images to finish before each shot. {@code packaging/screenshots/take.sh} runs it under Xvfb.
 *
 * <p>Usage: {@code Screenshots NOTEBOOK OUTPUT_DIR [WIDTHxHEIGHT]} (default 960x1100).
 */
public final class Screenshots {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final int MAX_PAGES = 4;

    private Screenshots() {
    }

    /**
     * Takes the screenshots; exits 0 when all were written, 1 with a message otherwise.
     *
     * @param args the notebook, the output folder and optionally the window size
     */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: Screenshots NOTEBOOK OUTPUT_DIR [WIDTHxHEIGHT]");
            System.exit(2);
        }
        Path notebook = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Path.of(args[1]).toAbsolutePath().normalize();
        String[] size = (args.length == 3 ? args[2] : "960x1100").split("x");
        if (!Files.isRegularFile(notebook) || size.length != 2) {
            System.err.println("no notebook at " + notebook + " or a bad size (WIDTHxHEIGHT)");
            System.exit(2);
        }
        int width = Integer.parseInt(size[0]);
        int height = Integer.parseInt(size[1]);
        String name = notebook.getFileName().toString().replaceFirst("\\.ipynb$", "");
        int status = 0;
        try (EmbeddedServer server = EmbeddedServer.start(notebook.getParent())) {
            Files.createDirectories(out);
            CompletableFuture<Void> started = new CompletableFuture<>();
            Platform.startup(() -> started.complete(null));
            started.get(30, TimeUnit.SECONDS);
            NotebookView view = DesktopApp.openNotebook(server.connection(), notebook.getFileName().toString())
                    .get(60, TimeUnit.SECONDS);
            Appearance appearance = new Appearance(Theme.LIGHT);
            onFx(() -> {
                Stage stage = new Stage();
                Scene scene = new Scene(view, width, height);
                appearance.attach(scene);
                stage.setScene(scene);
                stage.setTitle("Quire \u2014 " + notebook.getFileName());
                stage.show();
                return null;
            });
            for (Theme theme : Theme.values()) {
                onFx(() -> {
                    appearance.theme(theme);
                    return null;
                });
                for (Path file : pages(view, out, name + "-" + theme.name().toLowerCase(java.util.Locale.ROOT))) {
                    System.err.println("screenshot: " + file + " (" + Files.size(file) / 1024 + " KiB)");
                }
            }
        } catch (Exception e) {
            System.err.println("screenshots failed: " + e);
            status = 1;
        }
        Platform.exit();
        System.exit(status);
    }

    private static List<Path> pages(NotebookView view, Path out, String prefix) throws Exception {
        List<Path> files = new ArrayList<>();
        int first = 0;
        for (int page = 1; page <= MAX_PAGES; page++) {
            int top = first;
            onFx(() -> {
                list(view).scrollTo(top);
                return null;
            });
            settle(view);
            Path file = out.resolve(prefix + "-" + page + ".png");
            WritableImage image = onFx(() -> view.getScene().snapshot(null));
            write(image, file);
            files.add(file);
            int[] visible = onFx(() -> {
                VirtualFlow<?> flow = (VirtualFlow<?>) list(view).lookup(".virtual-flow");
                IndexedCell<?> last = flow.getLastVisibleCell();
                boolean whole = last != null && last.getBoundsInParent().getMaxY() <= flow.getHeight() + 1;
                return new int[] {last == null ? -1 : last.getIndex(), whole ? 1 : 0};
            });
            int count = onFx(() -> view.viewModel().cells().size());
            int last = visible[0];
            boolean whole = visible[1] == 1;
            if (last < 0 || (last >= count - 1 && whole)) {
                break;
            }
            int next = whole ? last + 1 : last;
            first = next <= top ? top + 1 : next;
            if (first >= count) {
                break;
            }
        }
        return files;
    }

    private static ListView<?> list(NotebookView view) {
        return (ListView<?>) view.lookup(".cells");
    }

    /** Waits until every web page in the window has loaded and taken its size, then for a few quiet pulses. */
    private static void settle(NotebookView view) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int quiet = 0;
        while (quiet < 5) {
            boolean ready = onFx(() -> view.lookupAll(".html-output, .svg-output").stream()
                    .allMatch(node -> node instanceof HtmlView html && html.ready()));
            quiet = ready ? quiet + 1 : 0;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("outputs still loading after " + SETTLE.toSeconds() + " s");
            }
            Thread.sleep(200); // a screenshot tool polls the real window; no test clock to advance
        }
    }

    private static void write(WritableImage image, Path file) {
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        BufferedImage buffer = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        PixelReader reader = image.getPixelReader();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                buffer.setRGB(x, y, reader.getArgb(x, y));
            }
        }
        try {
            ImageIO.write(buffer, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static <T> T onFx(Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(60, TimeUnit.SECONDS);
    }
}
