package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.notebook.Notebook;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class NotebookStorageTest extends StoreTestBase {
    private Tenant acme;

    @BeforeEach
    void fixtures() {
        acme = tenant("acme");
    }

    private SaveResult save(String path, Notebook notebook) {
        return store.files().saveNotebook(acme.id(), acme.project().id(), path, notebook, acme.owner().id(),
                SaveOptions.none());
    }

    private Notebook load(FileEntry entry) {
        return ((VersionContent.NotebookBody) store.files().readHead(acme.id(), entry.id())).notebook();
    }

    private long count(String sql) {
        return store.transactions().inTransaction(c -> Sql.count(c, sql, acme.id()));
    }

    @Test
    void corpus_roundTripsByteForByteAsTheCodecWritesIt() {
        Map<String, byte[]> corpus = Notebooks.corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(11);
        SoftAssertions softly = new SoftAssertions();
        int i = 0;
        for (Map.Entry<String, byte[]> file : corpus.entrySet()) {
            Notebook original = Notebook.read(file.getValue());
            SaveResult saved = save("nb" + i++ + ".ipynb", original);
            byte[] expected = original.toBytes();
            byte[] actual = load(saved.entry()).toBytes();
            softly.assertThat(new String(actual, StandardCharsets.UTF_8)).as(file.getKey())
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            softly.assertThat(Arrays.equals(actual, expected)).as(file.getKey() + " bytes").isTrue();
            softly.assertThat(saved.entry().size()).as(file.getKey() + " size").isEqualTo(expected.length);
            softly.assertThat(saved.version().sha256()).as(file.getKey() + " sha256")
                    .isEqualTo(io.quire.contents.spi.FileEncodings.sha256Hex(expected));
        }
        softly.assertAll();
    }

    @Test
    void firstSave_storesTheHeaderAndEachCellAndOutputOnce() {
        SaveResult first = save("nb.ipynb", Notebooks.cells("a = 1", "b = 2", "print(a + b)"));

        assertThat(first.blobsWritten()).isEqualTo(7);
        assertThat(count("SELECT COUNT(*) FROM blobs WHERE org_id = ?")).isEqualTo(7);
        assertThat(first.version().seq()).isEqualTo(1);
    }

    @Test
    void savingOneChangedCell_writesOnlyThatCellsBlob() {
        Notebook v1 = Notebooks.cells("a = 1", "b = 2", "print(a + b)");
        save("nb.ipynb", v1);
        long before = count("SELECT COUNT(*) FROM blobs WHERE org_id = ?");

        SaveResult second = save("nb.ipynb", Notebooks.withSource(v1, 1, "b = 3"));

        assertThat(second.blobsWritten()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM blobs WHERE org_id = ?")).isEqualTo(before + 1);
        assertThat(second.version().seq()).isEqualTo(2);
    }

    @Test
    void savingNewOutputsOfOneCell_writesOnlyThoseOutputs() {
        Notebook v1 = Notebooks.cells("a = 1", "b = 2");
        save("nb.ipynb", v1);

        SaveResult second = save("nb.ipynb", Notebooks.withOutput(v1, 0, "x".repeat(100_000)));

        assertThat(second.blobsWritten()).isEqualTo(1);
        assertThat(second.bytesWritten()).isGreaterThan(100_000).isLessThan(100_100);
    }

    @Test
    void savingTheSameNotebook_writesNoBlob_butStillAVersion() {
        Notebook v1 = Notebooks.cells("a = 1");
        save("nb.ipynb", v1);

        SaveResult again = save("nb.ipynb", v1);

        assertThat(again.blobsWritten()).isZero();
        assertThat(again.version().seq()).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM versions WHERE org_id = ?")).isEqualTo(2);
    }

    @Test
    void largeOutputs_stayOutOfTheHotRows() {
        Notebook big = Notebooks.withOutput(Notebooks.cells("plot()"), 0, "y".repeat(1_000_000));
        SaveResult saved = save("big.ipynb", big);

        assertThat(saved.entry().size()).isGreaterThan(1_000_000);
        // the file row and the version rows hold hashes and counters only
        long widest = store.transactions().inTransaction(c -> Sql.count(c,
                "SELECT MAX(LENGTH(cell_key) + LENGTH(cell_hash)) FROM version_cells"));
        assertThat(widest).isLessThan(100);
        assertThat(load(saved.entry()).toBytes()).isEqualTo(big.toBytes());
    }

    @Test
    void cellsWithoutIds_andDuplicateIds_roundTrip() {
        Notebook old = Notebook.parse("""
                {"nbformat": 4, "nbformat_minor": 4, "metadata": {},
                 "cells": [{"cell_type": "markdown", "metadata": {}, "source": "one"},
                           {"cell_type": "markdown", "metadata": {}, "source": "two"}]}
                """);
        Notebook duplicate = Notebook.parse("""
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [{"id": "x", "cell_type": "raw", "metadata": {}, "source": "one"},
                           {"id": "x", "cell_type": "raw", "metadata": {}, "source": "two"}]}
                """);

        assertThat(load(save("old.ipynb", old).entry()).toBytes()).isEqualTo(old.toBytes());
        assertThat(load(save("dup.ipynb", duplicate).entry()).toBytes()).isEqualTo(duplicate.toBytes());
    }

    @Test
    void plainFiles_roundTripTheirBytes_andShareEqualContent() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        SaveResult a = store.files().saveFile(acme.id(), acme.project().id(), "a.bin", bytes, acme.owner().id(),
                SaveOptions.none());
        SaveResult b = store.files().saveFile(acme.id(), acme.project().id(), "b.bin", bytes, acme.owner().id(),
                SaveOptions.none());

        assertThat(((VersionContent.FileBody) store.files().readHead(acme.id(), a.entry().id())).content())
                .isEqualTo(bytes);
        assertThat(a.blobsWritten()).isEqualTo(1);
        assertThat(b.blobsWritten()).isZero();
        assertThat(b.entry().type()).isEqualTo(EntryType.FILE);
    }
}
