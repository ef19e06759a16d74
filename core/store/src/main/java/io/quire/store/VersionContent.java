package io.quire.store;

import io.quire.notebook.Notebook;
import java.util.Objects;

/** The content of a version: a notebook, or the bytes of a plain file. */
public sealed interface VersionContent {

    /**
     * The content as the bytes a file would hold: for a notebook, its nbformat JSON as Quire writes it.
     *
     * @return the bytes
     */
    byte[] bytes();

    /**
     * A notebook.
     *
     * @param notebook the notebook
     */
    record NotebookBody(Notebook notebook) implements VersionContent {
        /** Checks the notebook is present. */
        public NotebookBody {
            Objects.requireNonNull(notebook, "notebook");
        }

        @Override
        public byte[] bytes() {
            return notebook.toBytes();
        }
    }

    /**
     * The bytes of a plain file.
     *
     * @param content the bytes (copied)
     */
    record FileBody(byte[] content) implements VersionContent {
        /** Copies the bytes. */
        public FileBody {
            content = Objects.requireNonNull(content, "content").clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        @Override
        public byte[] bytes() {
            return content.clone();
        }
    }
}
