package io.quire.contents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SaveRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fromJson_readsTextFileBody() throws Exception {
        SaveRequest request = SaveRequest.fromJson("a.txt",
                JSON.readTree("{\"type\": \"file\", \"format\": \"text\", \"content\": \"hi\"}"));

        assertThat(request).isEqualTo(new SaveRequest.TextContent("hi"));
    }

    @Test
    void fromJson_readsDirectoryBodyWithoutContent() throws Exception {
        assertThat(SaveRequest.fromJson("d", JSON.readTree("{\"type\": \"directory\"}")))
                .isInstanceOf(SaveRequest.DirectoryContent.class);
    }

    @Test
    void fromJson_refusesFileWithoutFormat() throws Exception {
        assertThatThrownBy(() -> SaveRequest.fromJson("a.txt",
                JSON.readTree("{\"type\": \"file\", \"content\": \"hi\"}")))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("'text' or 'base64'");
    }

    @Test
    void fromJson_refusesMissingTypeOrContent() throws Exception {
        assertThatThrownBy(() -> SaveRequest.fromJson("a", JSON.readTree("{\"content\": \"hi\"}")))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("type");
        assertThatThrownBy(() -> SaveRequest.fromJson("a", JSON.readTree("{\"type\": \"notebook\"}")))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("content");
    }

    @Test
    void notebookParse_namesTheJsonPathOfTheProblem() throws Exception {
        SaveRequest.NotebookContent request = new SaveRequest.NotebookContent(JSON.readTree(
                "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [7]}"));

        assertThatThrownBy(() -> request.parse("nb.ipynb"))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("nb.ipynb")
                .hasMessageContaining("$.cells[0]");
    }
}
