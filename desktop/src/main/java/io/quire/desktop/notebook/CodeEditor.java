package io.quire.desktop.notebook;

import org.fxmisc.richtext.CodeArea;
import org.fxmisc.richtext.LineNumberFactory;

/**
 * A cell's source editor: a RichTextFX {@link CodeArea} with line numbers, highlighting (Python by regular
 * expression; other languages plain), the bracket matching the one at the caret marked ({@link BracketMatcher}) and a
 * height that follows its line count, so the notebook's list, not the editor, scrolls.
 */
final class CodeEditor extends CodeArea {
    private static final double LINE_HEIGHT = 18.5;
    private static final double PADDING = 10;

    private static final String MATCH = "bracket-match";

    private boolean python = true;
    /** The offsets marked as a matching pair, or null. */
    private BracketMatcher.Pair marked;
    /** Other people's carets shown in this editor. */
    private final java.util.List<org.fxmisc.richtext.CaretNode> remoteCarets = new java.util.ArrayList<>();

    /**
     * Someone else's caret in this editor.
     *
     * @param position the offset
     * @param colour   a CSS colour
     * @param name     who it is (shown as the caret's tooltip-like name)
     */
    record RemoteCaret(int position, String colour, String name) {
    }

    CodeEditor() {
        getStyleClass().add("cell-editor");
        setParagraphGraphicFactory(LineNumberFactory.get(this));
        setWrapText(false);
        textProperty().addListener((observable, before, after) -> {
            restyle(after);
            fitHeight();
        });
        caretPositionProperty().addListener((observable, before, after) -> markBrackets());
        focusedProperty().addListener((observable, was, focused) -> markBrackets());
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
        marked = null; // the new spans replaced any mark
        if (python && !text.isEmpty()) {
            setStyleSpans(0, PythonHighlighter.highlight(text));
        }
        markBrackets();
    }

    /** Marks the pair of brackets at the caret while the editor has the focus; unmarks the pair marked before. */
    private void markBrackets() {
        BracketMatcher.Pair now = isFocused() ? BracketMatcher.at(getText(), getCaretPosition()).orElse(null) : null;
        if (java.util.Objects.equals(now, marked)) {
            return;
        }
        if (marked != null) {
            mark(marked.open(), false);
            mark(marked.close(), false);
        }
        marked = now;
        if (now != null) {
            mark(now.open(), true);
            mark(now.close(), true);
        }
    }

    private void mark(int offset, boolean on) {
        if (offset < 0 || offset >= getLength()) {
            return;
        }
        java.util.List<String> style = new java.util.ArrayList<>(getStyleOfChar(offset));
        style.remove(MATCH);
        if (on) {
            style.add(MATCH);
        }
        setStyle(offset, offset + 1, style);
    }

    /**
     * Shows other people's carets (a coloured, steady caret each), replacing those shown before.
     *
     * @param carets the carets; positions past the end are put at the end
     */
    void showRemoteCarets(java.util.List<RemoteCaret> carets) {
        remoteCarets.forEach(caret -> {
            removeCaret(caret);
            caret.dispose();
        });
        remoteCarets.clear();
        for (RemoteCaret remote : carets) {
            org.fxmisc.richtext.CaretNode caret = new org.fxmisc.richtext.CaretNode("remote " + remote.name(), this,
                    Math.max(0, Math.min(remote.position(), getLength())));
            caret.getStyleClass().add("remote-caret");
            caret.setStyle("-fx-stroke: " + remote.colour() + "; -fx-stroke-width: 2;");
            caret.setBlinkRate(javafx.util.Duration.ZERO);
            caret.setShowCaret(org.fxmisc.richtext.Caret.CaretVisibility.ON);
            if (addCaret(caret)) {
                remoteCarets.add(caret);
            }
        }
    }

    /**
     * The positions of the other people's carets shown, for tests.
     *
     * @return the offsets, in the order given
     */
    java.util.List<Integer> remoteCaretPositions() {
        return remoteCarets.stream().map(org.fxmisc.richtext.CaretNode::getPosition).toList();
    }

    /**
     * The offsets of the bracket pair marked now, for tests.
     *
     * @return the pair, or empty
     */
    java.util.Optional<BracketMatcher.Pair> markedBrackets() {
        return java.util.Optional.ofNullable(marked);
    }

    private void fitHeight() {
        double height = Math.max(1, getParagraphs().size()) * LINE_HEIGHT + PADDING;
        setMinHeight(height);
        setPrefHeight(height);
        setMaxHeight(height);
    }
}
