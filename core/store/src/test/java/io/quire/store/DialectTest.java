package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The dialects' SQL and error classification, checked without a database: every statement text a dialect emits is
 * pinned here, because CockroachDB's paths run against a real server only where {@code QUIRE_TEST_COCKROACH_URL} is
 * set ({@link CockroachDbTest}, and the shared suites' CockroachDB invocations).
 */
class DialectTest {
    private static final String COCKROACH_VERSION = "CockroachDB CCL v24.1.0 (x86_64-pc-linux-gnu, built 2024/05/15"
            + " 20:02:49, go1.22.3)";

    @Test
    void detect_recognisesEachDatabase() {
        assertThat(Dialect.detect("H2", () -> "unused")).isEqualTo(DialectKind.H2);
        assertThat(Dialect.detect("PostgreSQL", () -> "PostgreSQL 17.6 on x86_64-pc-linux-gnu"))
                .isEqualTo(DialectKind.POSTGRESQL);
        assertThat(Dialect.detect("PostgreSQL", () -> COCKROACH_VERSION)).isEqualTo(DialectKind.COCKROACHDB);
        assertThatThrownBy(() -> Dialect.detect("MySQL", () -> "8.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MySQL");
    }

    @Test
    void fromUrl_knowsTheFamilyAndRefusesOtherDatabases() {
        assertThat(Dialect.fromUrl("jdbc:h2:mem:x")).isEqualTo(DialectKind.H2);
        assertThat(Dialect.fromUrl("jdbc:postgresql://db:26257/quire")).isEqualTo(DialectKind.POSTGRESQL);
        assertThatThrownBy(() -> StoreConfig.builder("jdbc:mysql://db/quire"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mysql");
    }

    @Test
    void choose_prefersTheConfiguredDialect_butOnlyWhereItFitsTheUrl() {
        String pg = "jdbc:postgresql://db/quire";
        assertThat(Dialect.choose(pg, Optional.empty(), DialectKind.POSTGRESQL)).isEqualTo(DialectKind.POSTGRESQL);
        assertThat(Dialect.choose(pg, Optional.of(DialectKind.COCKROACHDB), DialectKind.POSTGRESQL))
                .isEqualTo(DialectKind.COCKROACHDB);
        assertThatThrownBy(() -> Dialect.choose("jdbc:h2:mem:x", Optional.of(DialectKind.COCKROACHDB),
                DialectKind.H2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cockroachdb");
        assertThatThrownBy(() -> Dialect.choose(pg, Optional.of(DialectKind.H2), DialectKind.POSTGRESQL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configName_readsTheUsualSpellings() {
        assertThat(DialectKind.fromConfigName("CockroachDB")).isEqualTo(DialectKind.COCKROACHDB);
        assertThat(DialectKind.fromConfigName("postgres")).isEqualTo(DialectKind.POSTGRESQL);
        assertThatThrownBy(() -> DialectKind.fromConfigName("oracle")).hasMessageContaining("oracle");
    }

    @Test
    void historicalReads_onlyCockroachDb_asTheTransactionsFirstStatement() {
        Instant time = Instant.parse("2026-01-05T10:00:00.123456789Z");

        assertThat(Dialect.of(DialectKind.COCKROACHDB).historicalReadStatement(time))
                .contains("SET TRANSACTION AS OF SYSTEM TIME '2026-01-05 10:00:00.123456+00:00'");
        assertThat(Dialect.of(DialectKind.POSTGRESQL).historicalReadStatement(time)).isEmpty();
        assertThat(Dialect.of(DialectKind.H2).historicalReadStatement(time)).isEmpty();
        assertThat(Dialect.of(DialectKind.COCKROACHDB).hasHistoricalReads()).isTrue();
        assertThat(Dialect.of(DialectKind.POSTGRESQL).hasHistoricalReads()).isFalse();
        assertThat(Dialect.of(DialectKind.H2).hasHistoricalReads()).isFalse();
    }

    @Test
    void historicalReads_onCockroachDb_areAConstantUtcLiteralWithMicroseconds() {
        // CockroachDB needs a constant; microseconds are its precision, and whole seconds keep their zeros
        assertThat(Dialect.of(DialectKind.COCKROACHDB).historicalReadStatement(Instant.parse("2026-11-26T00:00:00Z")))
                .contains("SET TRANSACTION AS OF SYSTEM TIME '2026-11-26 00:00:00.000000+00:00'");
        assertThat(Dialect.of(DialectKind.COCKROACHDB).historicalReadStatement(
                Instant.parse("2026-03-07T08:09:10.000001999Z")))
                .contains("SET TRANSACTION AS OF SYSTEM TIME '2026-03-07 08:09:10.000001+00:00'");
    }

    @Test
    void insertBlobIfAbsent_usesOnConflictOnThePostgresFamily_andNotExistsOnH2() {
        assertThat(Dialect.of(DialectKind.COCKROACHDB).insertBlobIfAbsent())
                .isEqualTo("INSERT INTO blobs (org_id, hash, size, data, created_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (org_id, hash) DO NOTHING")
                .doesNotContain("UPSERT").doesNotContain("RETURNING");
        assertThat(Dialect.of(DialectKind.POSTGRESQL).insertBlobIfAbsent())
                .isEqualTo(Dialect.of(DialectKind.COCKROACHDB).insertBlobIfAbsent());
        assertThat(Dialect.of(DialectKind.H2).insertBlobIfAbsent()).contains("WHERE NOT EXISTS");
        assertThat(Dialect.of(DialectKind.H2).insertBlobRepeatsKey()).isTrue();
        assertThat(Dialect.of(DialectKind.POSTGRESQL).insertBlobRepeatsKey()).isFalse();
        assertThat(Dialect.of(DialectKind.COCKROACHDB).insertBlobRepeatsKey()).isFalse();
    }

    @Test
    void openStatements_makeH2WriteEveryCommitBeforeItReturns() {
        assertThat(Dialect.of(DialectKind.H2).openStatements()).containsExactly("SET WRITE_DELAY 0");
        assertThat(Dialect.of(DialectKind.POSTGRESQL).openStatements()).isEmpty();
        assertThat(Dialect.of(DialectKind.COCKROACHDB).openStatements()).isEmpty();
    }

    @Test
    void migrationPlaceholders_giveEachDatabaseItsLargeTypes() {
        assertThat(Dialect.of(DialectKind.H2).migrationPlaceholders())
                .isEqualTo(java.util.Map.of("blob_type", "BLOB", "text_type", "CLOB"));
        assertThat(Dialect.of(DialectKind.POSTGRESQL).migrationPlaceholders())
                .isEqualTo(java.util.Map.of("blob_type", "BYTEA", "text_type", "TEXT"));
        assertThat(Dialect.of(DialectKind.COCKROACHDB).migrationPlaceholders())
                .isEqualTo(Dialect.of(DialectKind.POSTGRESQL).migrationPlaceholders());
    }

    @Test
    void isRetryable_findsSerializationFailuresInCausesAndChains() {
        SQLException serialization = new SQLException("restart transaction", "40001");
        SQLException wrapped = new SQLException("batch failed", "XX000", new SQLException("inner", "40001"));
        SQLException chained = new SQLException("batch failed", "XX000");
        chained.setNextException(new SQLException("next", "40001"));
        SQLException deadlock = new SQLException("deadlock detected", "40P01");
        SQLException h2Concurrent = new SQLException("concurrent update", "90131");
        SQLException unique = new SQLException("duplicate key", "23505");

        for (DialectKind kind : DialectKind.values()) {
            Dialect dialect = Dialect.of(kind);
            assertThat(dialect.isRetryable(serialization)).isTrue();
            assertThat(dialect.isRetryable(wrapped)).isTrue();
            assertThat(dialect.isRetryable(chained)).isTrue();
            assertThat(dialect.isRetryable(unique)).isFalse();
        }
        assertThat(Dialect.of(DialectKind.POSTGRESQL).isRetryable(deadlock)).isTrue();
        assertThat(Dialect.of(DialectKind.H2).isRetryable(h2Concurrent)).isTrue();
        assertThat(Dialect.of(DialectKind.COCKROACHDB).isRetryable(h2Concurrent)).isFalse();
        assertThat(Dialect.isUniqueViolation(unique)).isTrue();
    }

    @Test
    void isRetryable_onCockroachDb_retriesItsRestartErrors_butNotAnAmbiguousCommit() {
        Dialect cockroach = Dialect.of(DialectKind.COCKROACHDB);
        // what CockroachDB reports for its retryable errors: all of them SQLSTATE 40001
        for (String reason : new String[] {"RETRY_SERIALIZABLE", "RETRY_WRITE_TOO_OLD",
                "ReadWithinUncertaintyIntervalError", "TransactionAbortedError(ABORT_REASON_PUSHER_ABORTED)"}) {
            assertThat(cockroach.isRetryable(new SQLException("restart transaction: TransactionRetryWithProtoRefresh"
                    + "Error: " + reason, "40001"))).as(reason).isTrue();
        }
        // 40003 "result is ambiguous": the commit may have happened, so running the unit again could repeat it
        assertThat(cockroach.isRetryable(new SQLException("result is ambiguous", "40003"))).isFalse();
        assertThat(Dialect.of(DialectKind.POSTGRESQL).isRetryable(new SQLException("ambiguous", "40003"))).isFalse();
        // a connection failure is not a conflict either
        assertThat(cockroach.isRetryable(new SQLException("connection refused", "08001"))).isFalse();
    }

    @Test
    void retryPolicy_backoffIsJitteredWithinAnExponentialBound() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(10), Duration.ofMillis(200));
        SplittableRandom random = new SplittableRandom(7);
        for (int attempt = 1; attempt <= 10; attempt++) {
            long bound = Math.min(200, 10L << (attempt - 1));
            for (int i = 0; i < 50; i++) {
                Duration pause = policy.backoff(attempt, random);
                assertThat(pause).isBetween(Duration.ZERO, Duration.ofMillis(bound));
            }
        }
        assertThat(policy.backoff(1000, random)).isLessThanOrEqualTo(Duration.ofMillis(200));
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void likePatterns_escapeWildcards() {
        assertThat(Sql.startsWith("a_b%c!/")).isEqualTo("a!_b!%c!!/%");
    }
}
