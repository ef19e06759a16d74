package io.quire.desktop.notebook;

import org.fxmisc.richtext.CodeArea;
import org.fxmisc.richtext.LineNumberFactory;

/**
 * A cell's source editor: a RichTextFX {@link CodeArea} with line numbers, highlighting (Python by regular
 * expression; other languages plain) and a height that follows its line count, so the notebook's list, not the
 * editor, scrolls.
 */
final class CodeEditor extends CodeArea {
    private static final double LINE_HEIGHT = 18.5;
    private static final double PADDING = 10;

    private boolean python = true;

    CodeEditor() {
        getStyleClass().add("cell-editor");
        setParagraphGraphicFactory(LineNumberFactory.get(this));
        setWrapText(false);
        textProperty().addListener((observable, before, after) -> {
            restyle(after);
            fitHeight();
        });
        fitHeight();
    }

    void language(String language) {
        python = language.toLowerCase(java.util.Locale.ROOT).startsWith("python");
    }

    void show(String text) {
        if (!getText().equals(text)) {
            replaceText(text);
            getUndoManager().forgetHistory();
        }
        restyle(text);
        fitHeight();
    }

    private void restyle(String text) {
        if (python && !text.isEmpty()) {
            setStyleSpans(0, PythonHighlighter.highlight(text));
        }
    }

    private void fitHeight() {
        double height = Math.max(1, getParagraphs().size()) * LINE_HEIGHT + PADDING;
        setMinHeight(height);
        setPrefHeight(height);
        setMaxHeight(height);
    }
}
