package io.quire.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates notebooks against the official nbformat JSON schemas, with problems that name the JSON path.
 *
 * <p>The schemas are the ones published with Jupyter's {@code nbformat} package; Quire reads them from an installed
 * copy of that package rather than shipping its own, so it always checks against the official text. Beyond the
 * schema, notebooks of version 4.5 and later are checked for duplicate cell ids (which the schema cannot express).
 *
 * <p>Instances are thread-safe; compiled schemas are cached per version.
 */
public final class NotebookValidator {
    /** Environment variable naming an installed {@code nbformat} package folder (with {@code v3/} and {@code v4/}). */
    public static final String SCHEMA_DIR_ENV = "QUIRE_NBFORMAT_DIR";

    private final Path nbformatDir;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private NotebookValidator(Path nbformatDir) {
        this.nbformatDir = nbformatDir;
    }

    /**
     * A validator using the schemas of the {@code nbformat} package installed in a folder.
     *
     * @param nbformatDir the package folder, holding {@code v4/nbformat.v4.N.schema.json}
     * @return the validator
     * @throws IllegalArgumentException if the folder holds no v4 schema
     */
    public static NotebookValidator fromNbformatPackage(Path nbformatDir) {
        Objects.requireNonNull(nbformatDir, "nbformatDir");
        if (!Files.isRegularFile(nbformatDir.resolve("v4").resolve("nbformat.v4.schema.json"))) {
            throw new IllegalArgumentException("no nbformat v4 schema under " + nbformatDir);
        }
        return new NotebookValidator(nbformatDir);
    }

    /**
     * Finds an installed {@code nbformat} package: the folder named by {@value #SCHEMA_DIR_ENV}, else the usual
     * Python package folders ({@code /usr/lib/python3/dist-packages}, {@code /usr/local/lib/python3.*}, the user's
     * {@code ~/.local/lib/python3.*}).
     *
     * @return a validator, or empty if no installed schemas were found
     */
    public static Optional<NotebookValidator> discover() {
        return discover(System.getenv(SCHEMA_DIR_ENV), Path.of(System.getProperty("user.home")));
    }

    static Optional<NotebookValidator> discover(String configured, Path home) {
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("/usr/lib/python3/dist-packages/nbformat"));
        for (Path lib : List.of(Path.of("/usr/local/lib"), Path.of("/usr/lib"), home.resolve(".local/lib"))) {
            for (Path python : children(lib, "python3*")) {
                candidates.add(python.resolve("dist-packages/nbformat"));
                candidates.add(python.resolve("site-packages/nbformat"));
            }
        }
        return candidates.stream()
                .filter(dir -> Files.isRegularFile(dir.resolve("v4").resolve("nbformat.v4.schema.json")))
                .findFirst()
                .map(NotebookValidator::new);
    }

    private static List<Path> children(Path dir, String glob) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(found::add);
        } catch (IOException e) {
            return List.of();
        }
        found.sort(Comparator.reverseOrder());
        return found;
    }

    /**
     * The folder of the nbformat package whose schemas are used.
     *
     * @return the folder
     */
    public Path nbformatDir() {
        return nbformatDir;
    }

    /**
     * Validates a notebook value (as it would be written).
     *
     * @param notebook the notebook
     * @return the problems found, empty if the notebook is valid
     */
    public List<ValidationProblem> validate(Notebook notebook) {
        return validate(notebook.toJson());
    }

    /**
     * Validates a notebook's JSON against the schema of the version it declares.
     *
     * @param json the notebook JSON
     * @return the problems found, empty if the notebook is valid
     * @throws NotebookFormatException if the JSON does not declare a version this validator has a schema for
     */
    public List<ValidationProblem> validate(JsonNode json) {
        Objects.requireNonNull(json, "json");
        JsonNode major = json.path("nbformat");
        JsonNode minor = json.path("nbformat_minor");
        if (!major.isIntegralNumber()) {
            throw new NotebookFormatException("$.nbformat", "not a notebook: no integer 'nbformat' field");
        }
        JsonSchema schema = schema(major.intValue(), minor.isIntegralNumber() ? minor.intValue() : 0);
        List<ValidationProblem> problems = new ArrayList<>();
        for (ValidationMessage message : schema.validate(json)) {
            problems.add(new ValidationProblem(message.getInstanceLocation().toString(), message.getMessage()));
        }
        if (major.intValue() == 4 && minor.isIntegralNumber() && minor.intValue() >= 5) {
            problems.addAll(duplicateIds(json));
        }
        problems.sort(Comparator.comparing(ValidationProblem::jsonPath));
        return problems;
    }

    private static List<ValidationProblem> duplicateIds(JsonNode json) {
        List<ValidationProblem> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int index = 0;
        for (JsonNode cell : json.path("cells")) {
            JsonNode id = cell.get("id");
            if (id != null && id.isTextual()) {
                Integer first = seen.putIfAbsent(id.textValue(), index);
                if (first != null) {
                    problems.add(new ValidationProblem("$.cells[" + index + "].id",
                            "duplicate cell id '" + id.textValue() + "' (first used by $.cells[" + first + "])"));
                }
            }
            index++;
        }
        return problems;
    }

    private JsonSchema schema(int major, int minor) {
        String file = switch (major) {
            case 4 -> {
                Path exact = nbformatDir.resolve("v4").resolve("nbformat.v4." + minor + ".schema.json");
                yield Files.isRegularFile(exact) ? "v4/nbformat.v4." + minor + ".schema.json" : "v4/nbformat.v4.schema.json";
            }
            case 3 -> "v3/nbformat.v3.schema.json";
            default -> throw new NotebookFormatException("$.nbformat",
                    "no schema for nbformat " + major + " (Quire validates 3 and 4.x)");
        };
        return schemas.computeIfAbsent(file, this::load);
    }

    private JsonSchema load(String file) {
        Path path = nbformatDir.resolve(file);
        try (InputStream in = Files.newInputStream(path)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read nbformat schema " + path, e);
        }
    }
}
