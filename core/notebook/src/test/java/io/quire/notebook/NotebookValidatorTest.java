package io.quire.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Validation against the schemas of the nbformat package Debian installs: the corpus and the installed notebooks
 * validate as nbformat says they do, and broken notebooks give problems that name the JSON path.
 */
class NotebookValidatorTest {
    private static final String NBFORMAT_VERDICTS = """
            import json, sys
            from nbformat.validator import get_validator
            verdicts = {}
            for path in sys.argv[1:]:
                nb = json.load(open(path, encoding='utf-8'))
                validator = get_validator(version=nb['nbformat'], version_minor=nb.get('nbformat_minor'))
                verdicts[path] = [e.message for e in validator.iter_errors(nb)]
            json.dump(verdicts, sys.stdout)
            """;
    private static Map<String, List<String>> nbformatVerdicts;

    static Stream<Named<Path>> corpus() {
        return Stream.concat(Corpus.named(Corpus.v4()), Corpus.named(Corpus.v3()));
    }

    static Stream<Named<Path>> installed() {
        return Corpus.namedInstalled();
    }

    private static NotebookValidator validator() {
        Optional<NotebookValidator> validator = NotebookValidator.discover();
        TestEnvironment.require(validator.isPresent(), "the nbformat JSON schemas of an installed Python nbformat");
        return validator.orElseThrow();
    }

    private static synchronized List<String> nbformatVerdict(Path file) {
        PythonOracle.requireNbformat();
        if (nbformatVerdicts == null) {
            List<String> args = Corpus.installed().stream().map(Path::toString).toList();
            JsonNode verdicts = JsonTrees.parse(PythonOracle.run(NBFORMAT_VERDICTS, args.toArray(String[]::new)));
            Map<String, List<String>> map = new HashMap<>();
            verdicts.properties().forEach(entry -> {
                List<String> messages = new ArrayList<>();
                entry.getValue().forEach(message -> messages.add(message.textValue()));
                map.put(entry.getKey(), messages);
            });
            nbformatVerdicts = map;
        }
        return nbformatVerdicts.get(file.toString());
    }

    private static JsonNode json(String text) {
        return JsonTrees.parse(text);
    }

    private static ObjectNode notebook45(String cells) {
        return (ObjectNode) json("""
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [%s]}
                """.formatted(cells));
    }

    private static final String MARKDOWN_CELL = """
            {"id": "intro", "cell_type": "markdown", "metadata": {}, "source": "# Title"}""";

    // ---------------------------------------------------------------------------------------------- valid files

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void validate_corpusFileHasNoProblemsBesidesItsDeliberateExtensions(Path file) {
        JsonNode json = JsonTrees.withoutExtensions(JsonTrees.parse(Corpus.bytes(file)));

        assertThat(validator().validate(json)).isEmpty();
    }

    @Test
    void validate_reportsTheDeliberateExtensionsOfTheCorpus() {
        JsonNode json = JsonTrees.parse(Corpus.bytes(Corpus.file("v4.5-extensions.ipynb")));

        List<ValidationProblem> problems = validator().validate(json);

        assertThat(problems).extracting(ValidationProblem::jsonPath)
                .contains("$", "$.cells[0]", "$.cells[1]", "$.cells[1].outputs[0]", "$.cells[3]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void validate_notebookReadFromCorpusFileIsValidAsWritten(Path file) {
        Notebook notebook = Notebook.read(JsonTrees.bytes(JsonTrees.withoutExtensions(JsonTrees.parse(Corpus.bytes(file)))));

        assertThat(validator().validate(notebook)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("installed")
    void validate_installedNotebookIsValidExactlyWhenNbformatSaysSo(Path file) {
        List<String> nbformatErrors = nbformatVerdict(file);

        List<ValidationProblem> problems = validator().validate(JsonTrees.parse(Corpus.bytes(file)));

        if (nbformatErrors.isEmpty()) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).as("nbformat reports %s", nbformatErrors).isNotEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------- broken files

    @Test
    void validate_codeCellWithoutOutputsIsReportedAtTheCell() {
        ObjectNode nb = notebook45(MARKDOWN_CELL + """
                , {"id": "code", "cell_type": "code", "metadata": {}, "source": "1", "execution_count": null}""");

        assertThat(validator().validate(nb)).extracting(ValidationProblem::jsonPath).contains("$.cells[1]");
    }

    @Test
    void validate_streamWithNumericNameIsReportedAtTheOutput() {
        ObjectNode nb = notebook45("""
                {"id": "code", "cell_type": "code", "metadata": {}, "source": "1", "execution_count": 1,
                 "outputs": [{"output_type": "stream", "name": 1, "text": "x"}]}""");

        assertThat(validator().validate(nb)).extracting(ValidationProblem::jsonPath)
                .anyMatch(path -> path.startsWith("$.cells[0].outputs[0]"));
    }

    @Test
    void validate_cellIdWithForbiddenCharactersIsReportedOn45() {
        ObjectNode nb = notebook45("""
                {"id": "no spaces allowed!", "cell_type": "markdown", "metadata": {}, "source": "x"}""");

        assertThat(validator().validate(nb)).extracting(ValidationProblem::jsonPath)
                .anyMatch(path -> path.startsWith("$.cells[0]"));
    }

    @Test
    void validate_missingCellIdIsReportedOn45() {
        ObjectNode nb = notebook45("""
                {"cell_type": "markdown", "metadata": {}, "source": "x"}""");

        assertThat(validator().validate(nb)).extracting(ValidationProblem::jsonPath).contains("$.cells[0]");
    }

    @Test
    void validate_missingCellIdIsFineOn44() {
        ObjectNode nb = notebook45("""
                {"cell_type": "markdown", "metadata": {}, "source": "x"}""");
        nb.put("nbformat_minor", 4);

        assertThat(validator().validate(nb)).isEmpty();
    }

    @Test
    void validate_cellIdIsAnUnknownFieldOn44() {
        ObjectNode nb = notebook45(MARKDOWN_CELL);
        nb.put("nbformat_minor", 4);

        assertThat(validator().validate(nb)).extracting(ValidationProblem::jsonPath).contains("$.cells[0]");
    }

    @Test
    void validate_duplicateCellIdsAreReportedAtTheSecondCell() {
        ObjectNode nb = notebook45(MARKDOWN_CELL + ", " + MARKDOWN_CELL + ", " + MARKDOWN_CELL.replace("intro", "other"));

        List<ValidationProblem> problems = validator().validate(nb);

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.jsonPath()).isEqualTo("$.cells[1].id");
            assertThat(problem.message()).contains("duplicate cell id 'intro'", "$.cells[0]");
        });
    }

    @Test
    void validate_duplicateCellIdsAreAllowedBefore45() {
        ObjectNode nb = notebook45("""
                {"cell_type": "markdown", "metadata": {"name": "a"}, "source": "x"},
                {"cell_type": "markdown", "metadata": {"name": "b"}, "source": "y"}""");
        nb.put("nbformat_minor", 4);

        assertThat(validator().validate(nb)).isEmpty();
    }

    @Test
    void validate_missingTopLevelMetadataIsReportedAtTheRoot() {
        ObjectNode nb = notebook45(MARKDOWN_CELL);
        nb.remove("metadata");

        assertThat(validator().validate(nb)).extracting(ValidationProblem::jsonPath).containsExactly("$");
    }

    @Test
    void validate_nbformat5HasNoSchema() {
        ObjectNode nb = notebook45(MARKDOWN_CELL);
        nb.put("nbformat", 5);

        assertThatThrownBy(() -> validator().validate(nb))
                .isInstanceOf(NotebookFormatException.class)
                .hasMessageContaining("nbformat 5");
    }

    @Test
    void validate_v3NotebookIsCheckedAgainstTheV3Schema() {
        JsonNode v3 = json("""
                {"metadata": {}, "nbformat": 3, "nbformat_minor": 0,
                 "worksheets": [{"metadata": {}, "cells": [{"cell_type": "heading", "metadata": {}, "source": "x"}]}]}
                """);

        assertThat(validator().validate(v3)).extracting(ValidationProblem::jsonPath)
                .anyMatch(path -> path.startsWith("$.worksheets[0].cells[0]"));
    }

    @Test
    void validate_eachProblemNamesAPathAndAMessage() {
        List<ValidationProblem> problems = validator().validate(notebook45("{\"cell_type\": \"code\"}"));

        assertThat(problems).isNotEmpty().allSatisfy(problem -> {
            assertThat(problem.jsonPath()).startsWith("$");
            assertThat(problem.message()).isNotBlank();
        });
    }

    // ---------------------------------------------------------------------------------------------- discovery

    @Test
    void discover_prefersTheFolderNamedByTheEnvironmentVariable(@TempDir Path home) {
        Path installed = validator().nbformatDir();

        Optional<NotebookValidator> found = NotebookValidator.discover(installed.toString(), home);

        assertThat(found).map(NotebookValidator::nbformatDir).contains(installed);
    }

    @Test
    void fromNbformatPackage_refusesAFolderWithoutSchemas(@TempDir Path empty) {
        assertThatThrownBy(() -> NotebookValidator.fromNbformatPackage(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString());
    }
}
