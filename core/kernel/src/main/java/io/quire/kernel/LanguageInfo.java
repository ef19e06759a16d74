package io.quire.kernel;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code language_info} of a {@code kernel_info_reply}.
 *
 * @param name              language name, e.g. {@code python}
 * @param version           language version
 * @param mimetype          MIME type of script files
 * @param fileExtension     file extension including the dot, e.g. {@code .py}
 * @param pygmentsLexer     Pygments lexer name, when given
 * @param codemirrorMode    CodeMirror mode (a string or an object by spec), when given
 * @param nbconvertExporter nbconvert exporter name, when given
 */
public record LanguageInfo(String name, String version, String mimetype, String fileExtension,
                           Optional<String> pygmentsLexer, Optional<JsonNode> codemirrorMode,
                           Optional<String> nbconvertExporter) {
    /** Rejects nulls. */
    public LanguageInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(mimetype, "mimetype");
        Objects.requireNonNull(fileExtension, "fileExtension");
        Objects.requireNonNull(pygmentsLexer, "pygmentsLexer");
        Objects.requireNonNull(codemirrorMode, "codemirrorMode");
        Objects.requireNonNull(nbconvertExporter, "nbconvertExporter");
    }

    static LanguageInfo fromJson(JsonNode json) {
        JsonNode mode = json.path("codemirror_mode");
        return new LanguageInfo(Json.text(json, "name"), Json.text(json, "version"), Json.text(json, "mimetype"),
                Json.text(json, "file_extension"), Json.optionalText(json, "pygments_lexer"),
                mode.isMissingNode() || mode.isNull() ? Optional.empty() : Optional.of(mode),
                Json.optionalText(json, "nbconvert_exporter"));
    }
}
