package io.quire.desktop.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.client.FileInfo;
import io.quire.client.FileType;
import io.quire.client.QuireClient;
import java.util.Objects;

/**
 * A notebook as read from a server: the file and its nbformat 4 JSON.
 *
 * @param file     the file resource
 * @param notebook the notebook JSON
 */
public record NotebookDocument(FileInfo file, ObjectNode notebook) {
    /** Validates the fields. */
    public NotebookDocument {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(notebook, "notebook");
    }

    /**
     * Reads a notebook through the SDK. Blocking: call it on a background thread.
     *
     * @param client the server's client
     * @param path   the notebook's path relative to the server's root
     * @return the document
     * @throws IllegalArgumentException when the file is not a notebook
     * @throws io.quire.client.QuireApiException 404 when there is no such file
     */
    public static NotebookDocument load(QuireClient client, String path) {
        FileInfo file = client.fileByPath(path);
        if (file.type() != FileType.NOTEBOOK) {
            throw new IllegalArgumentException(path + " is not a notebook (it is a " + file.type() + ")");
        }
        JsonNode json = client.notebook(file.id());
        if (!(json instanceof ObjectNode object) || !object.path("cells").isArray()) {
            throw new IllegalArgumentException(path + " has no nbformat 4 cells");
        }
        return new NotebookDocument(file, object);
    }
}
