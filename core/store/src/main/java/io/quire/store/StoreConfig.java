package io.quire.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * How to open a {@link Store}: the database, the dialect, pool size, retry and password policies, and the clock and
 * id source (injected, so tests control time and ids).
 *
 * <p>Create one with {@link #builder(String)}.
 */
public final class StoreConfig {
    private final String jdbcUrl;
    private final Optional<String> username;
    private final Optional<String> password;
    private final Optional<DialectKind> dialect;
    private final int maxPoolSize;
    private final RetryPolicy retryPolicy;
    private final PasswordPolicy passwordPolicy;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final Duration historicalReadLag;
    private final Duration tokenTouchInterval;

    private StoreConfig(Builder builder) {
        this.jdbcUrl = builder.jdbcUrl;
        this.username = builder.username;
        this.password = builder.password;
        this.dialect = builder.dialect;
        this.maxPoolSize = builder.maxPoolSize;
        this.retryPolicy = builder.retryPolicy;
        this.passwordPolicy = builder.passwordPolicy;
        this.clock = builder.clock;
        this.ids = builder.ids;
        this.historicalReadLag = builder.historicalReadLag;
        this.tokenTouchInterval = builder.tokenTouchInterval;
    }

    /**
     * Starts a configuration for a database.
     *
     * @param jdbcUrl {@code jdbc:h2:file:...}, {@code jdbc:h2:mem:...} or {@code jdbc:postgresql://...}
     * @return a builder with defaults for everything else
     * @throws IllegalArgumentException if the URL is of another database
     */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /** @return the JDBC URL */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** @return the database user, if set */
    public Optional<String> username() {
        return username;
    }

    /** @return the database password, if set */
    public Optional<String> password() {
        return password;
    }

    /** @return the dialect chosen explicitly; empty to detect it from the database */
    public Optional<DialectKind> dialect() {
        return dialect;
    }

    /** @return the largest number of pooled connections */
    public int maxPoolSize() {
        return maxPoolSize;
    }

    /** @return how transactions are retried on serialization conflicts */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** @return how passwords are hashed and failures locked out */
    public PasswordPolicy passwordPolicy() {
        return passwordPolicy;
    }

    /** @return the clock that stamps every row */
    public Clock clock() {
        return clock;
    }

    /** @return the source of new row ids */
    public Supplier<UUID> ids() {
        return ids;
    }

    /**
     * How far in the past a state must lie before reads of it may use the database's historical reads
     * ({@code AS OF SYSTEM TIME} on CockroachDB): longer than any transaction that writes a version takes to commit.
     *
     * @return the lag
     */
    public Duration historicalReadLag() {
        return historicalReadLag;
    }

    /**
     * How often a token's {@code last_used_at} is written at most: a token used many times a second must not turn
     * every request into a write of the same row.
     *
     * @return the interval
     */
    public Duration tokenTouchInterval() {
        return tokenTouchInterval;
    }

    /** Builds a {@link StoreConfig}. */
    public static final class Builder {
        private final String jdbcUrl;
        private Optional<String> username = Optional.empty();
        private Optional<String> password = Optional.empty();
        private Optional<DialectKind> dialect = Optional.empty();
        private int maxPoolSize = 10;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private PasswordPolicy passwordPolicy = PasswordPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private Supplier<UUID> ids = UUID::randomUUID;
        private Duration historicalReadLag = Duration.ofSeconds(10);
        private Duration tokenTouchInterval = Duration.ofMinutes(1);

        private Builder(String jdbcUrl) {
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Dialect.fromUrl(jdbcUrl);
        }

        /**
         * Sets the database user.
         *
         * @param value the user name
         * @return this builder
         */
        public Builder username(String value) {
            this.username = Optional.of(value);
            return this;
        }

        /**
         * Sets the database password.
         *
         * @param value the password
         * @return this builder
         */
        public Builder password(String value) {
            this.password = Optional.of(value);
            return this;
        }

        /**
         * Chooses the dialect instead of detecting it (needed for nothing but forcing CockroachDB's behaviour, as
         * CockroachDB is recognised by its version string).
         *
         * @param value the dialect; must fit the URL
         * @return this builder
         */
        public Builder dialect(DialectKind value) {
            this.dialect = Optional.of(value);
            return this;
        }

        /**
         * Sets the pool size.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder maxPoolSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxPoolSize must be at least 1, got " + value);
            }
            this.maxPoolSize = value;
            return this;
        }

        /**
         * Sets the retry policy.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        /**
         * Sets the password policy.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder passwordPolicy(PasswordPolicy value) {
            this.passwordPolicy = Objects.requireNonNull(value, "passwordPolicy");
            return this;
        }

        /**
         * Sets the clock.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Sets the id source.
         *
         * @param value a supplier of unique UUIDs (random ones in production: sequential ids make hotspots on
         *              CockroachDB)
         * @return this builder
         */
        public Builder ids(Supplier<UUID> value) {
            this.ids = Objects.requireNonNull(value, "ids");
            return this;
        }

        /**
         * Sets the historical read lag.
         *
         * @param value not negative
         * @return this builder
         */
        public Builder historicalReadLag(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("historicalReadLag must not be negative, got " + value);
            }
            this.historicalReadLag = value;
            return this;
        }

        /**
         * Sets how often a token's last use is written at most.
         *
         * @param value not negative
         * @return this builder
         */
        public Builder tokenTouchInterval(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("tokenTouchInterval must not be negative, got " + value);
            }
            this.tokenTouchInterval = value;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         */
        public StoreConfig build() {
            return new StoreConfig(this);
        }
    }
}
