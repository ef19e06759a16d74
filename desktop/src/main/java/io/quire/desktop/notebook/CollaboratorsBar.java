package io.quire.desktop.notebook;

import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;

/**
 * The notebook toolbar's list of who else is in a live notebook: one coloured badge per collaborator (the colour of
 * their mark on the cell they have selected), and a "live" badge while the notebook is edited on the server's
 * real-time channel. Binds to {@link NotebookViewModel#collaborators()} and {@link NotebookViewModel#liveProperty()}.
 */
final class CollaboratorsBar extends HBox {
    private static final List<String> PALETTE = List.of("#e8590c", "#1c7ed6", "#2f9e44", "#ae3ec9", "#f08c00",
            "#0c8599", "#e03131", "#5c7cfa");

    private final NotebookViewModel notebook;
    private final Label live = new Label("\u25cf live");

    CollaboratorsBar(NotebookViewModel notebook) {
        super(6);
        this.notebook = notebook;
        setId("collaborators");
        getStyleClass().add("collaborators");
        setStyle("-fx-alignment: center-left;");
        live.setId("live-badge");
        live.setTooltip(new Tooltip("Edits are live on the server; Save writes the file"));
        live.setStyle("-fx-text-fill: #2f9e44;");
        notebook.collaborators().addListener((ListChangeListener<Collaborator>) change -> show());
        notebook.liveProperty().addListener((observable, was, now) -> show());
        show();
    }

    /**
     * The colour of a collaborator's marks.
     *
     * @param collaborator the collaborator
     * @return a CSS colour
     */
    static String colour(Collaborator collaborator) {
        return PALETTE.get(collaborator.colour() % PALETTE.size());
    }

    private void show() {
        getChildren().clear();
        if (notebook.liveProperty().get()) {
            getChildren().add(live);
        }
        for (Collaborator other : notebook.collaborators()) {
            Label badge = new Label(other.label());
            badge.getStyleClass().add("collaborator");
            badge.setStyle("-fx-background-color: " + colour(other) + "; -fx-text-fill: white;"
                    + " -fx-background-radius: 8; -fx-padding: 1 6;");
            badge.setTooltip(new Tooltip(other.user() + " (" + other.clientId() + ")"
                    + other.cellId().map(cell -> ", in cell " + cell).orElse("")));
            getChildren().add(badge);
        }
    }
}
