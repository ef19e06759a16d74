package io.quire.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units of work as database transactions: at SERIALIZABLE isolation unless the caller asks for a weaker
 * {@link Isolation} for work argued correct without it (writing blobs; saving a version of an existing file), committed
 * at the end,
 * rolled back on any failure, and run again from the start when the database reports a serialization conflict
 * (SQLSTATE 40001, or the dialect's equivalent), with jittered exponential backoff, up to
 * {@link RetryPolicy#maxAttempts()} times.
 *
 * <p>Design: a unit of work is a function of the connection only. It may run several times, so it must not have
 * effects outside the transaction (no I/O, no counters, no ids chosen before it starts that must be unique per
 * attempt); everything it writes is rolled back before the next attempt. Expensive, idempotent preparation (hashing a
 * notebook, hashing a password) belongs before the call. Conflicts are counted, so that retry pressure can be
 * exported as a metric. A failure that is not a conflict is not retried: a {@link StoreException} thrown by the work
 * passes through unchanged, a unique-constraint violation becomes {@link StoreConflictException}, and any other
 * {@link SQLException} becomes {@link StoreFailureException}.
 *
 * <p>H2's SERIALIZABLE level does not prevent write skew (two transactions that each read what the other writes both
 * commit; shown by {@code ConcurrencyTest}). H2 is embedded, so this store is its only client in the process: on H2
 * every transaction runs under one lock, one at a time, which is serializable by construction. H2 transactions are
 * short, and the embedded store serves one person or a small team.
 */
public final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    /**
     * A unit of work inside one transaction.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work. Called again, on a fresh transaction, after a serialization conflict.
         *
         * @param connection the connection, inside the transaction; do not commit, roll back or close it
         * @return the result
         * @throws SQLException when a statement fails
         */
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final RetryPolicy policy;
    private final Optional<ReentrantLock> serial;
    private final LongAdder retries = new LongAdder();
    private final LongAdder exhausted = new LongAdder();

    Transactions(DataSource dataSource, Dialect dialect, RetryPolicy policy) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.serial = dialect.kind() == DialectKind.H2 ? Optional.of(new ReentrantLock(true)) : Optional.empty();
    }

    /**
     * Runs work in a SERIALIZABLE transaction, retrying it on serialization conflicts.
     *
     * @param work the unit of work
     * @param <T>  what it returns
     * @return what the work returned in the attempt that committed
     * @throws StoreContentionException if every attempt met a conflict
     * @throws StoreConflictException   if a unique constraint was violated
     * @throws StoreFailureException    if the database failed otherwise
     * @throws StoreException           as thrown by the work (the transaction is rolled back)
     */
    public <T> T inTransaction(Work<T> work) {
        return run(Optional.empty(), Isolation.SERIALIZABLE, work);
    }

    /**
     * An isolation level below the default SERIALIZABLE, for units of work whose correctness is argued without it.
     * Where the database runs every transaction serializably (CockroachDB unless weaker levels are enabled there, and
     * H2, whose transactions run one at a time here) asking for one changes nothing.
     */
    public enum Isolation {
        /**
         * The default: the database guarantees that the outcome is that of some serial order.
         */
        SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE),
        /**
         * One snapshot for the whole transaction; on PostgreSQL, of two transactions that write the same row the
         * second fails with SQLSTATE 40001 (and is retried). For work whose reads are all of rows that every
         * concurrent writer of them also writes, such as saving a version of an existing file: the file row's
         * compare-and-set orders it against every other change of that file, without the predicate locks of
         * SERIALIZABLE, which on PostgreSQL are page- or table-granular and make unrelated saves fail each other.
         */
        REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
        /**
         * Each statement sees what was committed before it. For idempotent inserts of immutable rows, such as
         * content-addressed blobs: a row found present stays present and unchanged, and one found absent is inserted
         * if absent.
         */
        READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED);

        private final int jdbcLevel;

        Isolation(int jdbcLevel) {
            this.jdbcLevel = jdbcLevel;
        }
    }

    /**
     * Runs work at a given isolation level, retrying it on the same conflicts as {@link #inTransaction(Work)}.
     *
     * @param isolation the isolation level; see {@link Isolation} for what each one is for
     * @param work      the unit of work
     * @param <T>       what it returns
     * @return what the work returned in the attempt that committed
     * @throws StoreContentionException if every attempt met a conflict
     * @throws StoreConflictException   if a unique constraint was violated
     * @throws StoreFailureException    if the database failed otherwise
     * @throws StoreException           as thrown by the work (the transaction is rolled back)
     */
    public <T> T inTransaction(Isolation isolation, Work<T> work) {
        Objects.requireNonNull(isolation, "isolation");
        return run(Optional.empty(), isolation, work);
    }

    /**
     * Runs read-only work against the data as it was at a past time where the database can read history
     * ({@code AS OF SYSTEM TIME} on CockroachDB, which then serves the read without conflicting with writers and
     * from any replica); elsewhere it is an ordinary transaction reading current data. Callers use it only where the
     * answer is the same either way: for data that no longer changes once that time has passed.
     *
     * @param systemTime the time to read at; must lie in the past, within the database's history retention
     * @param work       the unit of work; it must only read
     * @param <T>        what it returns
     * @return what the work returned
     * @throws StoreContentionException if every attempt met a conflict
     * @throws StoreFailureException    if the database failed
     */
    public <T> T historicalRead(Instant systemTime, Work<T> work) {
        Objects.requireNonNull(systemTime, "systemTime");
        return run(dialect.historicalReadStatement(systemTime), Isolation.SERIALIZABLE, work);
    }

    private <T> T run(Optional<String> firstStatement, Isolation isolation, Work<T> work) {
        Objects.requireNonNull(work, "work");
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(firstStatement, isolation, work);
            } catch (SQLException e) {
                if (!dialect.isRetryable(e)) {
                    throw translate(e);
                }
                if (attempt >= policy.maxAttempts()) {
                    exhausted.increment();
                    throw new StoreContentionException("transaction gave up after " + attempt
                            + " attempts, each ending in a serialization conflict (last: SQLSTATE "
                            + e.getSQLState() + ")", e);
                }
                retries.increment();
                Duration pause = policy.backoff(attempt, ThreadLocalRandom.current());
                LOG.debug("serialization conflict (SQLSTATE {}) in attempt {}; retrying in {} ms", e.getSQLState(),
                        attempt, pause.toMillis());
                sleep(pause);
            }
        }
    }

    private <T> T attempt(Optional<String> firstStatement, Isolation isolation, Work<T> work)
            throws SQLException {
        serial.ifPresent(ReentrantLock::lock);
        try {
            return attemptUnlocked(firstStatement, isolation, work);
        } finally {
            serial.ifPresent(ReentrantLock::unlock);
        }
    }

    private <T> T attemptUnlocked(Optional<String> firstStatement, Isolation isolation, Work<T> work)
            throws SQLException {
        // the pool hands out connections with auto-commit off and SERIALIZABLE isolation (see Store)
        try (Connection connection = dataSource.getConnection()) {
            if (isolation != Isolation.SERIALIZABLE) {
                // outside any transaction: the connection has just come from the pool, where it was committed or
                // rolled back; the pool restores the isolation when the connection returns to it
                connection.setTransactionIsolation(isolation.jdbcLevel);
            }
            try {
                if (firstStatement.isPresent()) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(firstStatement.get());
                    }
                }
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreFailureException("interrupted while waiting to retry a transaction", e);
        }
    }

    static StoreException translate(SQLException e) {
        if (Dialect.isUniqueViolation(e)) {
            return new StoreConflictException("a uniqueness rule of the store was violated: " + e.getMessage(), e);
        }
        return new StoreFailureException("database failure (SQLSTATE " + e.getSQLState() + "): " + e.getMessage(), e);
    }

    /**
     * The retry policy in force.
     *
     * @return the policy
     */
    public RetryPolicy policy() {
        return policy;
    }

    /**
     * How many times a transaction has been run again after a serialization conflict, since the store was opened.
     *
     * @return the count of retries
     */
    public long retries() {
        return retries.sum();
    }

    /**
     * How many transactions gave up with {@link StoreContentionException}, since the store was opened.
     *
     * @return the count
     */
    public long exhausted() {
        return exhausted.sum();
    }
}
