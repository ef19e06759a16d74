package io.quire.store;

import io.quire.notebook.Notebook;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A process that saves notebooks concurrently until it is killed, for {@link CrashSafetyTest}: it opens the store,
 * prints {@value #READY}, then runs one thread per path argument, each saving its notebook over and over with one
 * cell changed. After every save the store acknowledged it prints one line {@value #ACK} {@code <file id> <version id>
 * <seq> <sha256 of the notebook bytes>} and flushes, so that the parent knows every save it must find again.
 *
 * <p>Arguments: JDBC URL, organisation id, project id, user id, then the notebook paths (one writer each; a path may
 * repeat, so that writers contend for one file).
 */
final class CrashSaver {
    static final String READY = "CRASH-SAVER-READY";
    static final String ACK = "ACK";

    private CrashSaver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            throw new IllegalArgumentException("usage: CrashSaver JDBC_URL ORG PROJECT USER PATH...");
        }
        OrgId org = new OrgId(UUID.fromString(args[1]));
        ProjectId project = new ProjectId(UUID.fromString(args[2]));
        UserId user = new UserId(UUID.fromString(args[3]));
        List<String> paths = List.of(args).subList(4, args.length);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        Store store = Store.open(StoreConfig.builder(args[0]).maxPoolSize(paths.size() + 2)
                .retryPolicy(new RetryPolicy(50, Duration.ofMillis(2), Duration.ofMillis(200))).build());
        synchronized (out) {
            out.println(READY);
            out.flush();
        }
        for (int w = 0; w < paths.size(); w++) {
            int writer = w;
            String path = paths.get(w);
            Thread.ofPlatform().name("saver-" + w).start(() -> {
                FileEntry file = store.files().find(org, project, path).orElseThrow();
                Notebook notebook = ((VersionContent.NotebookBody) store.files().readHead(org, file.id())).notebook();
                for (int i = 0; ; i++) {
                    // each writer edits its own cell, so a writer's save is one cell away from its previous one
                    notebook = Notebooks.withSource(notebook, writer, "writer " + writer + " save " + i);
                    byte[] bytes = notebook.toBytes();
                    SaveResult saved = store.files().saveNotebook(org, project, path, notebook, user,
                            SaveOptions.none());
                    String line = ACK + " " + saved.entry().id() + " " + saved.version().id() + " "
                            + saved.version().seq() + " " + sha256(bytes);
                    synchronized (out) {
                        out.println(line);
                        out.flush();
                    }
                }
            });
        }
        Thread.sleep(Duration.ofMinutes(10)); // the parent kills this process long before
        System.exit(3);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
