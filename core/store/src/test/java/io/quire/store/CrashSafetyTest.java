package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a process saving notebooks on several threads is killed with SIGKILL in the middle of its saves;
 * after it, every save that process acknowledged is readable with the content it saved, each file's versions are
 * numbered 1..n without gaps or duplicates, and the database is consistent (every version's pieces are stored, every
 * blob matches its hash, every file's head is its last version), and the store takes new saves.
 *
 * <p>On H2 (a file database, as on the desktop) the kill takes the database engine down with the process, so this
 * tests H2's recovery and the durability of what it acknowledged. On PostgreSQL the database server survives and the
 * kill cuts the client's connections in the middle of transactions.
 */
class CrashSafetyTest {
    private static final Pattern ACK_LINE = Pattern.compile(CrashSaver.ACK
            + " ([0-9a-f-]{36}) ([0-9a-f-]{36}) (\\d+) ([0-9a-f]{64})");
    /** Acknowledged saves to see before the kill, so that it falls in the middle of a busy run. */
    private static final int ACKS_BEFORE_KILL = 40;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    /** An acknowledged save, as the child printed it. */
    private record Ack(FileId file, VersionId version, long seq, String sha256) {
    }

    @Test
    void h2File_killedDuringConcurrentSaves_keepsEveryAcknowledgedSave() throws Exception {
        crashAndCheck("jdbc:h2:file:" + dir.resolve("quire"));
    }

    @Test
    void postgresql_clientKilledDuringConcurrentSaves_keepsEveryAcknowledgedSave() throws Exception {
        crashAndCheck(TestDatabases.freshUrl(Backend.POSTGRESQL));
    }

    private void crashAndCheck(String url) throws Exception {
        OrgId org;
        ProjectId project;
        UserId user;
        List<String> paths = List.of("a.ipynb", "a.ipynb", "b.ipynb", "b.ipynb", "c.ipynb");
        try (Store store = Store.open(StoreConfig.builder(url).build())) {
            org = store.organisations().create("acme", "Acme").id();
            user = store.users().create("owner@acme.example", "Owner", Optional.empty()).id();
            store.memberships().add(org, user, OrgRole.OWNER, Optional.empty());
            Space space = store.spaces().create(org, "Main");
            project = store.projects().create(org, space.id(), "Analysis").id();
            String[] sources = new String[12];
            for (int i = 0; i < sources.length; i++) {
                sources[i] = "x = " + i + "\n" + "# filler ".repeat(200);
            }
            for (String path : paths.stream().distinct().toList()) {
                store.files().saveNotebook(org, project, path, Notebooks.cells(sources), user, SaveOptions.none());
            }
        }

        List<Ack> acks = runAndKill(url, org, project, user, paths);
        assertThat(acks).as("saves acknowledged before the kill").hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        try (Store store = Store.open(StoreConfig.builder(url).build())) {
            // every acknowledged save is there, with the content that was saved
            for (Ack ack : acks) {
                Version version = store.versions().get(org, ack.version());
                assertThat(version.fileId()).isEqualTo(ack.file());
                assertThat(version.seq()).isEqualTo(ack.seq());
                assertThat(version.sha256()).isEqualTo(ack.sha256());
                assertThat(CrashSaver.sha256(store.versions().read(org, ack.version()).bytes()))
                        .as("content of acknowledged version %s", ack.version()).isEqualTo(ack.sha256());
            }
            // each file's history is 1..n, its head is the last version, and every version reads as it was saved
            Map<FileId, Long> acknowledgedMax = new HashMap<>();
            acks.forEach(ack -> acknowledgedMax.merge(ack.file(), ack.seq(), Math::max));
            for (String path : paths.stream().distinct().toList()) {
                FileEntry file = store.files().find(org, project, path).orElseThrow();
                List<Version> versions = store.versions().list(org, file.id());
                assertThat(versions).extracting(Version::seq).as(path).containsExactlyElementsOf(
                        LongStream.rangeClosed(1, versions.size()).boxed().toList());
                assertThat((long) versions.size()).as(path).isGreaterThanOrEqualTo(
                        acknowledgedMax.getOrDefault(file.id(), 1L));
                assertThat(file.headSeq()).isEqualTo(versions.size());
                assertThat(file.headVersion()).contains(versions.getLast().id());
                assertThat(file.size()).isEqualTo(versions.getLast().size());
                for (Version version : versions) {
                    assertThat(CrashSaver.sha256(store.versions().read(org, version.id()).bytes()))
                            .as("content of version %d of %s", version.seq(), path).isEqualTo(version.sha256());
                }
            }
            assertConsistent(store);

            // and the store goes on
            FileEntry a = store.files().find(org, project, "a.ipynb").orElseThrow();
            SaveResult next = store.files().saveNotebook(org, project, "a.ipynb",
                    Notebooks.cells("after the crash"), user, SaveOptions.none());
            assertThat(next.version().seq()).isEqualTo(a.headSeq() + 1);
        }
    }

    /** Starts the saving process, waits for enough acknowledgements, kills it, and returns all it acknowledged. */
    private List<Ack> runAndKill(String url, OrgId org, ProjectId project, UserId user, List<String> paths)
            throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                CrashSaver.class.getName(), url, org.toString(), project.toString(), user.toString()));
        command.addAll(paths);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        children.add(process);

        List<Ack> acks = new CopyOnWriteArrayList<>();
        CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_KILL);
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("crash-saver-output").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    Matcher ack = ACK_LINE.matcher(line);
                    if (ack.matches()) {
                        acks.add(new Ack(new FileId(UUID.fromString(ack.group(1))),
                                new VersionId(UUID.fromString(ack.group(2))), Long.parseLong(ack.group(3)),
                                ack.group(4)));
                        enough.countDown();
                    } else if (!line.startsWith(CrashSaver.ACK)) {
                        // a line cut by the kill is not an acknowledgement; anything else is the child's log
                        System.out.println("[saver " + process.pid() + "] " + line);
                    }
                }
                ended.complete(null);
            } catch (IOException e) {
                ended.completeExceptionally(e);
            }
        });
        boolean reached = enough.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(process.isAlive()).as("the saving process is still saving when it is killed").isTrue();
        // SIGKILL: no shutdown hooks, no closing of the pool or the database. Through the handle, because
        // Process.destroyForcibly also closes our end of its output, which may still hold acknowledgements.
        assertThat(process.toHandle().destroyForcibly()).isTrue();
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(reached).as("%d saves acknowledged in %s", acks.size(), WAIT).isTrue();
        return List.copyOf(acks);
    }

    /** The schema's invariants, over all rows. */
    private static void assertConsistent(Store store) {
        store.transactions().inTransaction(c -> {
            // every piece a version names is stored, in the version's organisation
            assertThat(Sql.count(c, "SELECT COUNT(*) FROM version_cells vc JOIN versions v ON v.id = vc.version_id"
                    + " WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.org_id = v.org_id AND b.hash = vc.cell_hash)"
                    + " OR (vc.outputs_hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM blobs b"
                    + " WHERE b.org_id = v.org_id AND b.hash = vc.outputs_hash))")).as("cells without blobs").isZero();
            assertThat(Sql.count(c, "SELECT COUNT(*) FROM versions v WHERE v.kind = 'notebook' AND (v.head_hash IS NULL"
                    + " OR NOT EXISTS (SELECT 1 FROM blobs b WHERE b.org_id = v.org_id AND b.hash = v.head_hash))"))
                    .as("notebook versions without a header blob").isZero();
            assertThat(Sql.count(c, "SELECT COUNT(*) FROM versions v WHERE v.kind = 'notebook' AND NOT EXISTS"
                    + " (SELECT 1 FROM version_cells vc WHERE vc.version_id = v.id)"))
                    .as("notebook versions without cells").isZero();
            // cell positions of a version are 0..n-1
            assertThat(Sql.count(c, "SELECT COUNT(*) FROM (SELECT version_id FROM version_cells GROUP BY version_id"
                    + " HAVING MIN(position) <> 0 OR MAX(position) <> COUNT(*) - 1) gaps")).as("cell gaps").isZero();
            // every file's head is its version numbered head_seq, and no version lies beyond it
            assertThat(Sql.count(c, "SELECT COUNT(*) FROM files f WHERE f.type <> 'directory' AND NOT EXISTS"
                    + " (SELECT 1 FROM versions v WHERE v.id = f.head_version_id AND v.file_id = f.id"
                    + " AND v.seq = f.head_seq)")).as("files whose head is not their last version").isZero();
            assertThat(Sql.count(c, "SELECT COUNT(*) FROM versions v JOIN files f ON f.id = v.file_id"
                    + " WHERE v.seq > f.head_seq OR v.org_id <> f.org_id")).as("versions beyond the head").isZero();
            // every blob is what its hash says
            Sql.query(c, "SELECT hash, size, data FROM blobs", rows -> {
                byte[] data = rows.getBytes("data");
                assertThat(data).hasSize((int) rows.getLong("size"));
                assertThat(CrashSaver.sha256(data)).isEqualTo(rows.getString("hash"));
                return null;
            });
            return null;
        });
    }
}
