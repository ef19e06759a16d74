package io.quire.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds kernel specs in Jupyter data directories: each directory {@code D} contributes
 * {@code D/kernels/<name>/kernel.json}. Directories are searched in order and the first spec found wins
 * per name (names compare case-insensitively), as in Jupyter. A bad {@code kernel.json} is reported as a
 * {@link Problem} and skipped, never fatal; like in Jupyter it still shadows specs of the same name in
 * later directories, so what runs never silently depends on which file happens to be valid. The registry re-reads the disk on every call, so newly
 * installed kernels appear without a restart.
 *
 * <p>A registry may also hold <em>declared</em> specs, given in memory (e.g. kernel images declared in a server's
 * configuration, see {@link #withDeclared(List)}). They come first and shadow discovered specs of the same name.
 */
public final class KernelSpecRegistry {

    /**
     * A spec that could not be used.
     *
     * @param file   the {@code kernel.json} (or directory) concerned
     * @param reason why it was skipped
     */
    public record Problem(Path file, String reason) {
        /** Rejects nulls. */
        public Problem {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The result of a scan.
     *
     * @param specs    usable specs by name, in discovery order
     * @param problems specs skipped, with reasons
     */
    public record Discovery(Map<String, KernelSpec> specs, List<Problem> problems) {
        /** Copies, keeping the order of specs. */
        public Discovery {
            specs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(specs));
            problems = List.copyOf(problems);
        }
    }

    private final List<Path> dataDirs;
    private final List<KernelSpec> declared;

    private KernelSpecRegistry(List<Path> dataDirs, List<KernelSpec> declared) {
        this.dataDirs = List.copyOf(dataDirs);
        this.declared = List.copyOf(declared);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (KernelSpec spec : this.declared) {
            if (!names.add(spec.name().toLowerCase(Locale.ROOT))) {
                throw new KernelSpecException("kernel spec '" + spec.name() + "' is declared twice");
            }
        }
    }

    /**
     * A registry over the standard Jupyter data path of this process's environment.
     *
     * @return the registry
     * @see #standardDataPath(Map, Path)
     */
    public static KernelSpecRegistry create() {
        return new KernelSpecRegistry(standardDataPath(System.getenv(), Path.of(System.getProperty("user.home"))),
                List.of());
    }

    /**
     * A registry over the given data directories, searched in order (for tests and custom installs).
     *
     * @param dataDirs data directories; each is searched under {@code kernels/}
     * @return the registry
     */
    public static KernelSpecRegistry of(List<Path> dataDirs) {
        return new KernelSpecRegistry(dataDirs, List.of());
    }

    /**
     * This registry with specs given in memory, searched before the data directories (they shadow discovered specs
     * of the same name, compared case-insensitively).
     *
     * @param specs the declared specs; names must be unique
     * @return the new registry
     * @throws KernelSpecException when two declared specs share a name
     */
    public KernelSpecRegistry withDeclared(List<KernelSpec> specs) {
        List<KernelSpec> all = new ArrayList<>(declared);
        all.addAll(specs);
        return new KernelSpecRegistry(dataDirs, all);
    }

    /** @return the declared specs, in order */
    public List<KernelSpec> declared() {
        return declared;
    }

    /**
     * The Jupyter data path: the entries of {@code JUPYTER_PATH}; the user data dir
     * ({@code JUPYTER_DATA_DIR}, else {@code ~/.local/share/jupyter}); then {@code /usr/local/share/jupyter}
     * and {@code /usr/share/jupyter}.
     *
     * @param env  environment variables
     * @param home the user's home directory
     * @return the directories in search order
     */
    public static List<Path> standardDataPath(Map<String, String> env, Path home) {
        List<Path> dirs = new ArrayList<>();
        String jupyterPath = env.getOrDefault("JUPYTER_PATH", "");
        for (String entry : jupyterPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        String dataDir = env.getOrDefault("JUPYTER_DATA_DIR", "");
        dirs.add(dataDir.isBlank() ? home.resolve(".local/share/jupyter") : Path.of(dataDir));
        dirs.add(Path.of("/usr/local/share/jupyter"));
        dirs.add(Path.of("/usr/share/jupyter"));
        return dirs.stream().distinct().toList();
    }

    /** @return the data directories searched, in order */
    public List<Path> dataDirs() {
        return dataDirs;
    }

    /**
     * Scans every data directory.
     *
     * @return the usable specs and the problems found
     */
    public Discovery discover() {
        Map<String, KernelSpec> specs = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (KernelSpec spec : declared) {
            String name = spec.name().toLowerCase(Locale.ROOT);
            seen.add(name);
            specs.put(name, spec);
        }
        for (Path dataDir : dataDirs) {
            Path kernels = dataDir.resolve("kernels");
            if (!Files.isDirectory(kernels)) {
                continue;
            }
            List<Path> candidates;
            try (Stream<Path> entries = Files.list(kernels)) {
                candidates = entries.filter(Files::isDirectory).sorted().toList();
            } catch (IOException e) {
                problems.add(new Problem(kernels, "cannot list: " + e.getMessage()));
                continue;
            }
            for (Path dir : candidates) {
                String name = dir.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!Files.exists(dir.resolve("kernel.json")) || !seen.add(name)) {
                    continue; // the first directory holding a kernel.json for a name shadows later ones
                }
                try {
                    specs.put(name, KernelSpec.read(dir));
                } catch (KernelSpecException e) {
                    problems.add(new Problem(dir.resolve("kernel.json"), e.getMessage()));
                }
            }
        }
        return new Discovery(specs, problems);
    }

    /**
     * Finds a spec by name (case-insensitive).
     *
     * @param name the spec name
     * @return the spec, when a usable one exists
     */
    public Optional<KernelSpec> find(String name) {
        return Optional.ofNullable(discover().specs().get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Finds a spec by name or fails.
     *
     * @param name the spec name
     * @return the spec
     * @throws KernelSpecException when there is no usable spec of that name, naming the searched dirs
     *                             and any problem found for it
     */
    public KernelSpec require(String name) {
        Discovery discovery = discover();
        KernelSpec spec = discovery.specs().get(name.toLowerCase(Locale.ROOT));
        if (spec != null) {
            return spec;
        }
        String problems = discovery.problems().stream()
                .filter(p -> p.file().getParent().getFileName().toString().equalsIgnoreCase(name))
                .map(p -> "; " + p.reason())
                .reduce("", String::concat);
        String where = declared.isEmpty() ? dataDirs.toString()
                : "the declared specs " + declared.stream().map(KernelSpec::name).toList() + " or " + dataDirs;
        throw new KernelSpecException("no kernel spec named '" + name + "' in " + where + problems);
    }
}
