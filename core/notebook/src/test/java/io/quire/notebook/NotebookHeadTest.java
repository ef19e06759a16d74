package io.quire.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link NotebookHead}: the first cells of a notebook read without building the rest. */
class NotebookHeadTest {

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void read_givesTheFirstCellsAsAFullReadHasThem_andCountsAll() {
        byte[] json = LargeNotebooks.generate(7, 300_000);
        Notebook whole = Notebook.read(json);
        assertThat(whole.cells().size()).isGreaterThan(5);

        NotebookHead head = NotebookHead.read(json, 3).orElseThrow();

        assertThat(head.totalCells()).isEqualTo(whole.cells().size());
        assertThat(head.notebook().cells()).isEqualTo(whole.cells().subList(0, 3));
        assertThat(head.notebook().metadata()).isEqualTo(whole.metadata());
        assertThat(head.notebook().nbformatMinor()).isEqualTo(whole.nbformatMinor());
        assertThat(NotebookHead.of(whole, 3)).isEqualTo(head);
    }

    @Test
    void read_readsMetadataWrittenAfterTheCells() {
        String json = """
                {"cells": [{"cell_type": "code", "id": "a", "metadata": {}, "source": "1", "outputs": [],
                            "execution_count": null},
                           {"cell_type": "markdown", "id": "b", "metadata": {}, "source": "# skipped \\" ] }"}],
                 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
                 "nbformat": 4, "nbformat_minor": 5}""";

        NotebookHead head = NotebookHead.read(bytes(json), 1).orElseThrow();

        assertThat(head.totalCells()).isEqualTo(2);
        assertThat(head.notebook().cells()).hasSize(1);
        assertThat(head.notebook().cells().getFirst().id()).contains("a");
        assertThat(head.notebook().kernelName()).contains("python3");
    }

    @Test
    void read_ofMoreCellsThanThereAre_isTheWholeNotebook() {
        byte[] json = LargeNotebooks.generate(3, 50_000);
        Notebook whole = Notebook.read(json);

        NotebookHead head = NotebookHead.read(json, 100_000).orElseThrow();

        assertThat(head.notebook()).isEqualTo(whole);
        assertThat(head.totalCells()).isEqualTo(whole.cells().size());
        assertThat(NotebookHead.read(json, 0).orElseThrow().notebook().cells()).isEmpty();
    }

    @Test
    void read_ofAnNbformat3Notebook_isEmpty_soTheCallerReadsItWhole() {
        String json = """
                {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "old"},
                 "worksheets": [{"cells": [{"cell_type": "code", "input": "1", "outputs": [], "language": "python"}]}]}""";

        assertThat(NotebookHead.read(bytes(json), 5)).isEmpty();
        assertThat(NotebookHead.read(bytes("[1, 2]"), 5)).isEmpty();
    }

    @Test
    void read_ofBrokenJsonOrAnInvalidHead_failsWithAFormatError() {
        byte[] truncated = Arrays.copyOf(LargeNotebooks.generate(5, 50_000), 20_000);
        String badCell = """
                {"cells": [{"cell_type": "code", "id": "a", "metadata": {}, "source": 42, "outputs": [],
                            "execution_count": null}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";
        String duplicate = """
                {"cells": [], "metadata": {}, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""";

        assertThatThrownBy(() -> NotebookHead.read(truncated, 1)).isInstanceOf(NotebookFormatException.class);
        assertThatThrownBy(() -> NotebookHead.read(bytes(badCell), 1)).isInstanceOf(NotebookFormatException.class);
        assertThatThrownBy(() -> NotebookHead.read(bytes(duplicate), 1)).isInstanceOf(NotebookFormatException.class);
        assertThatThrownBy(() -> NotebookHead.read(bytes("{}"), -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
