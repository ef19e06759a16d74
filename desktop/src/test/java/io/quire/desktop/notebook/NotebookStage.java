package io.quire.desktop.notebook;

import io.quire.desktop.Theme;
import javafx.scene.Scene;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/** Shows a notebook view in the test stage (900 x 700, light theme), for headless UI tests. */
final class NotebookStage {
    private NotebookStage() {
    }

    /**
     * Puts a view of the model on the primary test stage and waits for its first layout.
     *
     * @param robot the test's robot
     * @param model the notebook
     * @return the view
     */
    static NotebookView show(FxRobot robot, NotebookViewModel model) throws Exception {
        NotebookView[] view = new NotebookView[1];
        FxToolkit.setupStage(window -> {
            view[0] = new NotebookView(model);
            Scene scene = new Scene(view[0], 900, 700);
            Theme.LIGHT.apply(scene);
            window.setScene(scene);
            window.show();
        });
        robot.interact(() -> { });
        return view[0];
    }
}
