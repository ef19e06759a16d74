package io.quire.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The notebooks the tests run over: Quire's generated corpus (test resources, made by
 * {@code src/test/corpus/make_corpus.py}) and the real-world notebooks that Debian's Python packages install (found
 * at test time; none are copied into the repository).
 */
final class Corpus {
    /** Folders searched recursively for installed {@code *.ipynb} files. */
    static final List<Path> INSTALLED_ROOTS = List.of(Path.of("/usr/lib/python3/dist-packages"), Path.of("/usr/share"));

    private static List<Path> installed;

    private Corpus() {
    }

    /** The corpus folder (copied to the test class path by Maven). */
    static Path dir() {
        URL url = Corpus.class.getResource("/corpus");
        if (url == null) {
            throw new IllegalStateException("test resource folder /corpus is missing from the class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One corpus file by name. */
    static Path file(String name) {
        return dir().resolve(name);
    }

    /** The corpus's nbformat 4 files ({@code v4.*.ipynb}), sorted by name. */
    static List<Path> v4() {
        return list("v4.");
    }

    /** The corpus's nbformat 3 files ({@code v3-*.ipynb}), sorted by name. */
    static List<Path> v3() {
        return list("v3-");
    }

    private static List<Path> list(String prefix) {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .filter(f -> f.getFileName().toString().endsWith(".ipynb"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code *.ipynb} under {@link #INSTALLED_ROOTS}, deduplicated by real path, sorted; possibly empty. */
    static synchronized List<Path> installed() {
        if (installed == null) {
            Set<Path> found = new LinkedHashSet<>();
            for (Path root : INSTALLED_ROOTS) {
                if (Files.isDirectory(root)) {
                    walk(root, found);
                }
            }
            installed = found.stream().sorted(Comparator.comparing(Path::toString)).toList();
        }
        return installed;
    }

    private static void walk(Path root, Set<Path> found) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".ipynb")) {
                        try {
                            found.add(file.toRealPath());
                        } catch (IOException e) {
                            found.add(file);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Corpus files as named test arguments (the file name). */
    static Stream<Named<Path>> named(List<Path> files) {
        return files.stream().map(f -> Named.of(f.getFileName().toString(), f));
    }

    /** Installed files as named test arguments (the path below its search root). */
    static Stream<Named<Path>> namedInstalled() {
        List<Named<Path>> named = new ArrayList<>();
        for (Path file : installed()) {
            named.add(Named.of(displayName(file), file));
        }
        return named.stream();
    }

    private static String displayName(Path file) {
        for (Path root : INSTALLED_ROOTS) {
            if (file.startsWith(root)) {
                return "installed:" + root.relativize(file);
            }
        }
        return "installed:" + file;
    }

    /** The bytes of a file. */
    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
