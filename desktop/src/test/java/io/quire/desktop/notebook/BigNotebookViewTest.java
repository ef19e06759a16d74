package io.quire.desktop.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.FileInfo;
import io.quire.client.FileType;
import io.quire.client.QuireClient;
import io.quire.desktop.BenchmarkNotebook;
import io.quire.desktop.Theme;
import io.quire.desktop.output.HtmlView;
import io.quire.testing.Await;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The big notebook (1,000 cells; {@link BenchmarkNotebook}) in the editor, headless: only cells on screen are
 * rendered, however many layout passes there are, and a keystroke touches the edited cell only. Counts work instead
 * of timing it, so the checks hold on a loaded machine.
 */
class BigNotebookViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static ObjectNode big;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void notebook() throws Exception {
        FxToolkit.registerPrimaryStage();
        Path file = dir.resolve("big.ipynb");
        BenchmarkNotebook.write(file, 1000, 1);
        big = (ObjectNode) JSON.readTree(file.toFile());
    }

    @AfterEach
    void stop() throws Exception {
        FxToolkit.cleanupStages();
    }

    private static NotebookViewModel model() {
        QuireClient unused = QuireClient.builder().baseUrl(URI.create("http://127.0.0.1:9/")).build();
        FileInfo file = new FileInfo("f1", "big.ipynb", "big.ipynb", FileType.NOTEBOOK, Optional.of(1L), Instant.EPOCH,
                true);
        return NotebookViewModel.builder(unused, new NotebookDocument(file, big.deepCopy())).build();
    }

    private NotebookView show(NotebookViewModel model) throws Exception {
        NotebookView view = NotebookStage.show(robot, model);
        // let the web pages on screen finish loading: a test that ends while WebKit loads can abort the JVM at exit
        Await.until(Duration.ofSeconds(30), "HTML outputs loaded", this::htmlLoaded);
        return view;
    }

    private boolean htmlLoaded() {
        try {
            // WebKit answers only on the JavaFX thread
            return WaitForAsyncUtils.asyncFx(() -> robot.lookup(".html-output").queryAllAs(HtmlView.class).stream()
                    .allMatch(HtmlView::ready)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the web outputs whether they loaded", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot ask the web outputs whether they loaded", e.getCause());
        }
    }

    private long shownRows() {
        return robot.lookup(".notebook-cell").queryAll().stream()
                .filter(node -> node instanceof ListCell<?> cell && cell.getItem() != null && cell.isVisible())
                .count();
    }

    @Test
    void opening_rendersOnlyTheCellsOnScreen_evenAfterManyLayoutPasses() throws Exception {
        NotebookView view = show(model());
        Parent flow = robot.lookup(".virtual-flow").query();
        for (int i = 0; i < 30; i++) {
            // each pass of the list's flow lets it measure more off-screen cells for its scroll bar
            robot.interact(() -> {
                flow.requestLayout();
                view.layout();
            });
        }
        assertThat(view.viewModel().cells()).hasSize(1000);
        assertThat(shownRows()).as("rows on screen").isBetween(1L, 20L);
        assertThat(view.renderedCells()).as("cells rendered: only those on screen, not the ones measured")
                .isLessThanOrEqualTo(20);
    }

    @Test
    void firstLayout_rendersEachRowOnScreenOnce() throws Exception {
        NotebookView view = show(model());
        Parent flow = robot.lookup(".virtual-flow").query();
        for (int i = 0; i < 5; i++) {
            robot.interact(() -> {
                flow.requestLayout();
                view.layout();
            });
        }
        // JavaFX lays rows out again with the item they show; that must not render the cell a second time
        assertThat(view.renderedCells()).as("cells rendered for %d rows on screen", shownRows())
                .isEqualTo(shownRows());
    }

    @Test
    void warmUp_laysOutASmallNotebookStyledLikeTheApp_withoutARequest() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
        try {
            QuireClient client = QuireClient.builder()
                    .baseUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).build();
            List<Scene> styled = new ArrayList<>();
            robot.interact(() -> NotebookView.warmUp(client, scene -> {
                Theme.DARK.apply(scene);
                styled.add(scene);
            }));
            assertThat(styled).as("scenes styled").hasSize(1);
            Parent root = styled.get(0).getRoot();
            assertThat(root).isInstanceOf(NotebookView.class);
            assertThat(((NotebookView) root).renderedCells()).as("cells the warm-up rendered").isEqualTo(2);
            assertThat(root.lookupAll(".html-table")).as("its table").hasSize(1);
            assertThat(root.lookupAll(".output-image")).as("its image").hasSize(1);
            assertThat(root.lookupAll(".markdown-cell")).as("its markdown cell").hasSize(1);
            // the warm-up's view model runs nothing in the background (its executors drop what they are given), so
            // any request it made would have been made during the call
            assertThat(requests).as("requests to the server").hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void typing_touchesOnlyTheEditedCell_andRendersNoOtherCell() throws Exception {
        NotebookViewModel model = model();
        NotebookView view = show(model);
        CellViewModel edited = model.cells().get(1);
        assertThat(edited.typeProperty().get()).isEqualTo(CellType.CODE);
        AtomicInteger elsewhere = new AtomicInteger();
        InvalidationListener count = observable -> elsewhere.incrementAndGet();
        ListChangeListener<ObjectNode> outputs = change -> elsewhere.incrementAndGet();
        List<Observable> watched = new ArrayList<>();
        for (CellViewModel cell : model.cells()) {
            if (cell != edited) {
                watched.addAll(List.of(cell.sourceProperty(), cell.typeProperty(), cell.stateProperty(),
                        cell.executionCountProperty(), cell.renderedProperty(), cell.outputsCollapsedProperty()));
                cell.outputs().addListener(outputs);
            }
        }
        watched.forEach(property -> property.addListener(count));
        AtomicInteger sourceChanges = new AtomicInteger();
        edited.sourceProperty().addListener((property, before, after) -> sourceChanges.incrementAndGet());

        robot.interact(() -> model.select(1));
        CodeArea editor = robot.lookup(".cell-editor").queryAllAs(CodeArea.class).stream()
                .filter(area -> area.getText().equals(edited.sourceProperty().get())).findFirst().orElseThrow();
        robot.clickOn(editor);
        robot.interact(() -> editor.moveTo(editor.getLength()));
        long rendersBefore = view.renderedCells();
        robot.write("\nx = 42  # typed");
        Await.until(Duration.ofSeconds(10), "the typed text in the model",
                () -> edited.sourceProperty().get().endsWith("x = 42  # typed"));
        robot.interact(() -> { });

        assertThat(sourceChanges.get()).as("one source change per keystroke").isEqualTo("\nx = 42  # typed".length());
        assertThat(model.dirtyProperty().get()).isTrue();
        assertThat(elsewhere.get()).as("changes to the other 999 cells' models").isZero();
        assertThat(view.renderedCells() - rendersBefore).as("cells rendered while typing (a new line grows the"
                + " cell, the list lays out again and measures more cells)").isZero();
    }
}
