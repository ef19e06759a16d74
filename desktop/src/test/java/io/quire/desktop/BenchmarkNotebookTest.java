package io.quire.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark notebook generator: the size asked for, the cell mix, real images. */
class BenchmarkNotebookTest {
    @TempDir
    Path dir;

    @Test
    void write_comesOutAtAboutTheSizeAskedFor_withTheCellsAskedFor() throws Exception {
        Path file = dir.resolve("nb.ipynb");
        BenchmarkNotebook.write(file, 200, 5_000_000);
        assertThat(Files.size(file)).isBetween(4_750_000L, 5_250_000L);
        JsonNode notebook = new ObjectMapper().readTree(file.toFile());
        assertThat(notebook.path("cells")).hasSize(200);
        assertThat(notebook.path("cells").get(0).path("cell_type").asText()).isEqualTo("markdown");
        assertThat(notebook.path("cells").get(1).path("cell_type").asText()).isEqualTo("code");
    }

    @Test
    void write_putsRealPngFiguresAndPandasTablesIntoTheOutputs() throws Exception {
        Path file = dir.resolve("nb.ipynb");
        BenchmarkNotebook.write(file, 20, 1);
        JsonNode cells = new ObjectMapper().readTree(file.toFile()).path("cells");
        String png = null;
        String html = null;
        for (JsonNode cell : cells) {
            for (JsonNode output : cell.path("outputs")) {
                if (output.path("data").has("image/png")) {
                    png = output.path("data").path("image/png").asText();
                }
                if (output.path("data").has("text/html")) {
                    StringBuilder text = new StringBuilder();
                    output.path("data").path("text/html").forEach(line -> text.append(line.asText()));
                    html = text.toString();
                }
            }
        }
        assertThat(png).isNotNull();
        byte[] bytes = Base64.getMimeDecoder().decode(png);
        assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
        assertThat(html).contains("class=\"dataframe\"").contains("<tbody>");
    }

    @Test
    void parseSize_readsBytesKilobytesAndMegabytes_andRejectsNonsense() {
        assertThat(BenchmarkNotebook.parseSize("20MB")).isEqualTo(20_000_000);
        assertThat(BenchmarkNotebook.parseSize("500kb")).isEqualTo(500_000);
        assertThat(BenchmarkNotebook.parseSize("1234")).isEqualTo(1234);
        assertThatThrownBy(() -> BenchmarkNotebook.parseSize("big")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("big");
        assertThatThrownBy(() -> BenchmarkNotebook.parseSize("-1MB")).isInstanceOf(IllegalArgumentException.class);
    }
}
