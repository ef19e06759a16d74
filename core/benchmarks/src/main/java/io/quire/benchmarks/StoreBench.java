package io.quire.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.notebook.Notebook;
import io.quire.store.DialectKind;
import io.quire.store.FileId;
import io.quire.store.OrgId;
import io.quire.store.OrgRole;
import io.quire.store.ProjectId;
import io.quire.store.RetryPolicy;
import io.quire.store.SaveOptions;
import io.quire.store.SaveResult;
import io.quire.store.Store;
import io.quire.store.StoreConfig;
import io.quire.store.StoreContentionException;
import io.quire.store.UserId;
import io.quire.store.VersionId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Throughput of the database store (core/store) for the case issue 4 names: a 1 MB notebook saved with one cell
 * changed per save, on H2 (a file database, as on the desktop) and on PostgreSQL (a real server from the embedded
 * binaries, or one given by URL).
 *
 * <ul>
 *   <li><b>saves/s</b> at each concurrency: that many threads, each saving its own notebook over and over, every save
 *       with one cell's source changed; a save includes building the notebook from its JSON tree, splitting and
 *       hashing it, writing the new blob and the version rows;</li>
 *   <li><b>version reads/s</b> at each concurrency: the same threads reading random versions of their notebook
 *       back (the whole notebook assembled from its pieces);</li>
 *   <li><b>storage growth per version</b>, on a fresh database with one writer: stored bytes before and after N
 *       one-cell saves, divided by N and compared with the notebook's size. Measured as logical bytes (the values
 *       stored: blob bytes plus the version and cell rows) on both databases, and as physical bytes
 *       ({@code pg_total_relation_size} of the store's tables, with indexes and TOAST) on PostgreSQL. H2's file size
 *       says little per save: its MVStore appends chunks and compacts them in the background.</li>
 * </ul>
 *
 * <p>Run: {@code java -cp core/benchmarks/target/quire-benchmarks.jar io.quire.benchmarks.StoreBench [--db=h2,postgresql]
 * [--concurrency=1,16] [--seconds=10] [--warmup=3] [--storage-saves=20] [--cells=40] [--retries=10]}; see
 * {@code scripts/store-bench.sh}. Every measurement runs on a database of its own. {@code --retries} is the store's
 * attempts per transaction on serialization conflicts (default: the store's default); a save that gives up is counted
 * apart, not as a save.
 */
public final class StoreBench {
    /** Flyway logs each migration through java.util.logging when no SLF4J binding is present. */
    private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");
    private static final List<String> STORE_TABLES = List.of("blobs", "versions", "version_cells", "files");

    private final Map<String, String> options;
    private final ObjectNode notebookTree;
    private final long notebookBytes;

    private StoreBench(Map<String, String> options) {
        this.options = options;
        this.notebookTree = bigNotebook(Integer.parseInt(options.getOrDefault("cells", "40")));
        this.notebookBytes = Notebook.fromJson(notebookTree).toBytes().length;
    }

    /**
     * Entry point.
     *
     * @param args {@code --name=value} options, see the class comment
     * @throws Exception on any failure (the benchmark stops)
     */
    public static void main(String[] args) throws Exception {
        FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        new StoreBench(options).run();
    }

    private void run() throws Exception {
        List<String> databases = List.of(options.getOrDefault("db", "h2,postgresql").split(","));
        List<Integer> concurrencies = Stream.of(options.getOrDefault("concurrency", "1,16").split(","))
                .map(Integer::parseInt).toList();
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "3"));
        int storageSaves = Integer.parseInt(options.getOrDefault("storage-saves", "20"));
        System.out.printf(Locale.ROOT, "notebook: %d cells, %d bytes as nbformat JSON; %d s measured after %d s"
                + " warm-up; %d cores%n", notebookTree.get("cells").size(), notebookBytes, seconds, warmup,
                Runtime.getRuntime().availableProcessors());
        EmbeddedPostgres postgres = null;
        Path work = Files.createTempDirectory("quire-store-bench");
        try {
            for (String database : databases) {
                for (int concurrency : concurrencies) {
                    String url;
                    switch (database) {
                        case "h2" -> url = "jdbc:h2:file:" + work.resolve("throughput-" + concurrency);
                        case "postgresql" -> {
                            if (postgres == null) {
                                postgres = EmbeddedPostgres.builder().start();
                            }
                            url = postgresUrl(postgres, "throughput_" + concurrency);
                        }
                        default -> throw new IllegalArgumentException("--db takes h2 and postgresql, got " + database);
                    }
                    throughput(url, concurrency, seconds, warmup);
                }
                String url = database.equals("h2") ? "jdbc:h2:file:" + work.resolve("storage")
                        : postgresUrl(postgres, "storage");
                storage(database, url, storageSaves);
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** A fresh database on the embedded server. */
    private static String postgresUrl(EmbeddedPostgres postgres, String name) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    /** An organisation, its owner and a project, for the files of one run. */
    private record Fixture(OrgId org, UserId user, ProjectId project) {
        static Fixture create(Store store) {
            OrgId org = store.organisations().create("bench", "Benchmark").id();
            UserId user = store.users().create("bench@example.org", "Bench", Optional.empty()).id();
            store.memberships().add(org, user, OrgRole.OWNER, Optional.empty());
            ProjectId project = store.projects().create(org, store.spaces().create(org, "Main").id(), "Bench").id();
            return new Fixture(org, user, project);
        }
    }

    private Store open(String url, int pool) {
        int attempts = Integer.parseInt(options.getOrDefault("retries", "10"));
        return Store.open(StoreConfig.builder(url).maxPoolSize(pool).retryPolicy(new RetryPolicy(attempts,
                RetryPolicy.defaults().initialBackoff(), RetryPolicy.defaults().maxBackoff())).build());
    }

    private void throughput(String url, int concurrency, int seconds, int warmup) throws Exception {
        try (Store store = open(url, concurrency + 2)) {
            Fixture fixture = Fixture.create(store);
            List<Writer> writers = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                writers.add(new Writer(store, fixture, "nb-" + t + ".ipynb", notebookTree.deepCopy(), t));
                writers.getLast().save(); // the first version, outside the measurement
            }
            long retriesBefore = store.transactions().retries();
            Result saves = measure(concurrency, warmup, seconds, t -> writers.get(t)::trySave);
            long retries = store.transactions().retries() - retriesBefore;
            Result reads = measure(concurrency, warmup, seconds, t -> writers.get(t)::readRandomVersion);
            System.out.printf(Locale.ROOT, "%-10s x%-2d  saves/s %8.1f  (p50 %6.1f ms, p99 %6.1f ms, %d saves,"
                            + " %d transaction retries, %d saves gave up after %d attempts)   version reads/s %8.1f"
                            + "  (p50 %6.1f ms, p99 %6.1f ms)%n",
                    store.dialect(), concurrency, saves.perSecond(), saves.p50Millis(), saves.p99Millis(),
                    saves.count(), retries, saves.failed(), store.transactions().policy().maxAttempts(),
                    reads.perSecond(), reads.p50Millis(), reads.p99Millis());
        }
    }

    private void storage(String database, String url, int saves) throws Exception {
        try (Store store = open(url, 2)) {
            Fixture fixture = Fixture.create(store);
            Writer writer = new Writer(store, fixture, "storage.ipynb", notebookTree.deepCopy(), 0);
            writer.save();
            Sizes before = sizes(store);
            for (int i = 0; i < saves; i++) {
                writer.save();
            }
            Sizes after = sizes(store);
            double logical = (after.logical() - before.logical()) / (double) saves;
            System.out.printf(Locale.ROOT, "%-10s storage per one-cell save of the %d-byte notebook (%d saves):"
                            + " logical %.0f bytes (%.3f%% of the notebook)", database, notebookBytes, saves, logical,
                    100 * logical / notebookBytes);
            if (after.physical().isPresent()) {
                double physical = (after.physical().get() - before.physical().orElseThrow()) / (double) saves;
                System.out.printf(Locale.ROOT, "; physical (tables, indexes, TOAST) %.0f bytes (%.3f%%)", physical,
                        100 * physical / notebookBytes);
            }
            System.out.printf(Locale.ROOT, "; the first version took %d logical bytes%n", before.logical());
        }
    }

    /** Stored bytes: logical (values) and, on PostgreSQL, physical. */
    private record Sizes(long logical, Optional<Long> physical) {
    }

    private static Sizes sizes(Store store) {
        return store.transactions().inTransaction(c -> {
            // a UUID is 16 bytes, a hash 64 characters, BIGINT and timestamps 8, INT 4
            long logical = single(c, "SELECT COALESCE(SUM(size), 0) + COUNT(*) * (16 + 64 + 8 + 8) FROM blobs")
                    + single(c, "SELECT COUNT(*) * (16 * 4 + 8 + 8 + 8 + 4 + 4 + 64 + 8 + 64)"
                    + " + COALESCE(SUM(OCTET_LENGTH(kind)), 0) FROM versions")
                    + single(c, "SELECT COUNT(*) * (16 + 4 + 64 + 64) + COALESCE(SUM(OCTET_LENGTH(cell_key)), 0)"
                    + " FROM version_cells");
            Optional<Long> physical = Optional.empty();
            if (store.dialect() != DialectKind.H2) {
                physical = Optional.of(single(c, "SELECT " + String.join(" + ", STORE_TABLES.stream()
                        .map(t -> "pg_total_relation_size('" + t + "')").toList())));
            }
            return new Sizes(logical, physical);
        });
    }

    private static long single(Connection c, String sql) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** One thread's notebook: saved with one cell changed each time, and its versions read back. */
    private static final class Writer {
        private Store store;
        private final Fixture fixture;
        private final String path;
        private final ObjectNode tree;
        private final int id;
        private final List<VersionId> versions = Collections.synchronizedList(new ArrayList<>());
        private final SplittableRandom random;
        private FileId file;
        private long saves;

        Writer(Store store, Fixture fixture, String path, ObjectNode tree, int id) {
            this.store = store;
            this.fixture = fixture;
            this.path = path;
            this.tree = tree;
            this.id = id;
            this.random = new SplittableRandom(id);
        }

        void save() {
            ArrayNode cells = (ArrayNode) tree.get("cells");
            int cell = (int) (saves % cells.size());
            ((ObjectNode) cells.get(cell)).put("source", "plot(" + cell + ")  # writer " + id + ", save " + saves);
            saves++;
            SaveResult saved = store.files().saveNotebook(fixture.org(), fixture.project(), path,
                    Notebook.fromJson(tree), fixture.user(), SaveOptions.none());
            file = saved.entry().id();
            versions.add(saved.version().id());
        }

        /** Saves; false if the store gave up on serialization conflicts (the cell change is kept for the next). */
        boolean trySave() {
            try {
                save();
                return true;
            } catch (StoreContentionException e) {
                return false;
            }
        }

        boolean readRandomVersion() {
            VersionId version = versions.get(random.nextInt(versions.size()));
            if (store.versions().read(fixture.org(), version).bytes().length < 1000) {
                throw new IllegalStateException("version " + version + " of " + file + " read back too small");
            }
            return true;
        }
    }

    /** Operations per second and latency percentiles of one measurement, and the operations that failed. */
    private record Result(long count, double perSecond, double p50Millis, double p99Millis, long failed) {
    }

    /** Runs an operation on a number of threads: a warm-up, then the measured seconds. */
    private static Result measure(int threads, int warmupSeconds, int seconds,
            java.util.function.IntFunction<BooleanSupplier> operation) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<Long>>> futures = new ArrayList<>();
            LongAdder failed = new LongAdder();
            long begin = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            long measureFrom = begin + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            for (int t = 0; t < threads; t++) {
                BooleanSupplier op = operation.apply(t);
                Callable<List<Long>> task = () -> {
                    start.await(60, TimeUnit.SECONDS);
                    List<Long> latencies = new ArrayList<>();
                    while (true) {
                        long before = System.nanoTime();
                        if (before >= end) {
                            return latencies;
                        }
                        boolean done = op.getAsBoolean();
                        long after = System.nanoTime();
                        if (before >= measureFrom && after <= end) {
                            if (done) {
                                latencies.add(after - before);
                            } else {
                                failed.increment();
                            }
                        }
                    }
                };
                futures.add(pool.submit(task));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> future : futures) {
                all.addAll(future.get(warmupSeconds + seconds + 600L, TimeUnit.SECONDS));
            }
            Collections.sort(all);
            if (all.isEmpty()) {
                return new Result(0, 0, Double.NaN, Double.NaN, failed.sum());
            }
            return new Result(all.size(), all.size() / (double) seconds, all.get(all.size() / 2) / 1e6,
                    all.get(Math.min(all.size() - 1, (int) (all.size() * 0.99))) / 1e6, failed.sum());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A notebook of about 1 MB for 40 cells: each cell a short source and a 24 KB image output (base64). */
    private static ObjectNode bigNotebook(int cellCount) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        SplittableRandom random = new SplittableRandom(1);
        ObjectNode root = json.objectNode();
        root.put("nbformat", 4).put("nbformat_minor", 5);
        root.putObject("metadata").putObject("kernelspec").put("name", "python3").put("display_name", "Python 3")
                .put("language", "python");
        ArrayNode cells = root.putArray("cells");
        for (int i = 0; i < cellCount; i++) {
            byte[] image = new byte[18000];
            random.nextBytes(image);
            ObjectNode cell = cells.addObject();
            cell.put("id", "c" + i).put("cell_type", "code").put("execution_count", i + 1).putObject("metadata");
            cell.put("source", "plot(" + i + ")");
            ObjectNode output = cell.putArray("outputs").addObject();
            output.put("output_type", "display_data").putObject("metadata");
            output.putObject("data").put("image/png", Base64.getEncoder().encodeToString(image))
                    .put("text/plain", "<Figure>");
        }
        return root;
    }
}
