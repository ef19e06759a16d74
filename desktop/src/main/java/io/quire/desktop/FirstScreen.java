package io.quire.desktop;

import io.quire.desktop.notebook.NotebookView;
import java.util.function.IntConsumer;
import javafx.scene.Scene;

/** Measures "time to first screen": the first layout pulse after which a notebook view shows cells. */
final class FirstScreen {
    private FirstScreen() {
    }

    /**
     * Calls back once, after the first layout pulse in which the view has laid out at least one cell.
     *
     * @param scene    the scene the view is in
     * @param view     the notebook view
     * @param callback receives the notebook's cell count
     */
    static void measure(Scene scene, NotebookView view, IntConsumer callback) {
        Runnable[] listener = new Runnable[1];
        listener[0] = () -> {
            boolean shown = view.lookupAll(".notebook-cell").stream()
                    .anyMatch(node -> node instanceof javafx.scene.control.ListCell<?> cell && cell.getItem() != null);
            if (shown) {
                scene.removePostLayoutPulseListener(listener[0]);
                callback.accept(view.viewModel().cells().size());
            }
        };
        scene.addPostLayoutPulseListener(listener[0]);
    }
}
