package io.quire.notebook;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A string value that {@link JsonTreeReader} found to be ASCII with nothing to escape (no quote, backslash or control
 * character): {@link CanonicalJsonWriter} copies such a string's characters as they are, without looking at them
 * again. Equal to, and otherwise the same as, a {@link TextNode} of the same text; only long strings get one.
 */
final class PlainText extends TextNode {
    private static final long serialVersionUID = 1L;

    PlainText(String text) {
        super(text);
    }
}
