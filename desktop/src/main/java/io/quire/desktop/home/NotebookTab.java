package io.quire.desktop.home;

import io.quire.desktop.ServerConnection;
import io.quire.desktop.notebook.NotebookViewModel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringExpression;

/**
 * An open notebook in the window's tabs.
 *
 * @param notebook   the notebook
 * @param connection the server it lives on
 * @param local      the local file, for notebooks opened from disk on an embedded server
 */
public record NotebookTab(NotebookViewModel notebook, ServerConnection connection, Optional<Path> local) {
    /** Validates the fields. */
    public NotebookTab {
        Objects.requireNonNull(notebook, "notebook");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(local, "local");
    }

    /**
     * The tab's title: the file's name, with {@code *} while it has unsaved changes (it follows a save-as).
     *
     * @return the title
     */
    public StringExpression title() {
        return Bindings.createStringBinding(() -> notebook.file().name() + (notebook.dirtyProperty().get() ? " *" : ""),
                notebook.dirtyProperty(), notebook.fileChangedProperty());
    }
}
