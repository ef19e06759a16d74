package io.quire.collab;

import io.quire.notebook.Cell;
import io.quire.notebook.CodeCell;
import io.quire.notebook.MarkdownCell;
import io.quire.notebook.Notebook;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Documents and deltas for tests. */
final class Fixtures {
    static final UUID FILE = UUID.fromString("00000000-0000-4000-8000-00000000f11e");

    private Fixtures() {
    }

    /** Three cells: code "a" = "x = 1\n", markdown "b" = "# Title", code "c" = "print(x)". */
    static Notebook notebook() {
        List<Cell> cells = List.of(CodeCell.of(Optional.of("a"), "x = 1\n"),
                MarkdownCell.of(Optional.of("b"), "# Title"), CodeCell.of(Optional.of("c"), "print(x)"));
        return Notebook.empty().withCells(cells);
    }

    static DeltaHeader header(String author, long base) {
        return new DeltaHeader(UUID.randomUUID(), FILE, author, base);
    }

    static TextOperation insertAt(String text, int at, String inserted) {
        return TextOperation.builder().retain(at).insert(inserted).retain(text.length() - at).build();
    }

    static String source(Notebook notebook, String cellId) {
        return notebook.cell(notebook.indexOf(cellId).orElseThrow()).source().text();
    }

    static List<String> ids(Notebook notebook) {
        return notebook.cells().stream().map(cell -> cell.id().orElseThrow()).toList();
    }
}
