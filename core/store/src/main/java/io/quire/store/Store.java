package io.quire.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database store: opened once from a {@link StoreConfig}, it owns a connection pool (HikariCP), brings the
 * schema up to date (Flyway migrations from {@code db/migration}, before any data is touched), and hands out the
 * repositories.
 *
 * <p>Design: one SQL text serves H2, PostgreSQL and CockroachDB; what differs lives in {@link Dialect}, chosen from
 * the configuration or detected from the database. Every repository method is one or a few short SERIALIZABLE
 * transactions run by {@link Transactions}, which retries serialization conflicts. Every method that reads or writes
 * tenant data names the organisation and filters by it, so no row of another organisation is ever returned: to a
 * caller, another organisation's rows do not exist. Thread-safe; close it to release the pool.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final int migrationsApplied;
    private final Transactions transactions;
    private final OrganisationRepository organisations;
    private final UserRepository users;
    private final MembershipRepository memberships;
    private final SpaceRepository spaces;
    private final ProjectRepository projects;
    private final GrantRepository grants;
    private final Permissions permissions;
    private final TokenRepository tokens;
    private final AuditRepository audit;
    private final FileRepository files;
    private final VersionRepository versions;

    private Store(HikariDataSource dataSource, Dialect dialect, int migrationsApplied, StoreConfig config) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.migrationsApplied = migrationsApplied;
        this.transactions = new Transactions(dataSource, dialect, config.retryPolicy());
        StoreContext context = new StoreContext(transactions, dialect, config);
        this.audit = new AuditRepository(context);
        this.organisations = new OrganisationRepository(context);
        this.users = new UserRepository(context, new Passwords(config.passwordPolicy()));
        this.memberships = new MembershipRepository(context, audit);
        this.spaces = new SpaceRepository(context);
        this.projects = new ProjectRepository(context);
        this.grants = new GrantRepository(context, audit);
        this.permissions = new Permissions(context);
        this.tokens = new TokenRepository(context, audit);
        this.files = new FileRepository(context, new BlobStore(context));
        this.versions = new VersionRepository(context);
    }

    /**
     * Opens the store: connects, chooses the dialect (configured, else detected), and migrates the schema.
     *
     * @param config how to open it
     * @return the open store
     * @throws IllegalArgumentException if the configured dialect does not fit the URL or the database is of another
     *                                  kind
     * @throws StoreFailureException    if the database cannot be reached or a migration fails
     */
    public static Store open(StoreConfig config) {
        Objects.requireNonNull(config, "config");
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        config.username().ifPresent(hikari::setUsername);
        config.password().ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setMinimumIdle(Math.min(2, config.maxPoolSize()));
        hikari.setAutoCommit(false);
        hikari.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
        hikari.setPoolName("quire-store");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StoreFailureException("cannot connect to the store database at " + safeUrl(config.jdbcUrl())
                    + ": " + e.getMessage(), e);
        }
        try {
            DialectKind detected;
            try (Connection connection = dataSource.getConnection()) {
                detected = Dialect.detect(connection);
                connection.rollback();
            }
            Dialect dialect = Dialect.of(Dialect.choose(config.jdbcUrl(), config.dialect(), detected));
            if (!dialect.openStatements().isEmpty()) {
                try (Connection connection = dataSource.getConnection();
                     Statement statement = connection.createStatement()) {
                    for (String sql : dialect.openStatements()) {
                        statement.execute(sql);
                    }
                    connection.commit();
                }
            }
            int applied = migrate(dataSource, dialect);
            LOG.info("store opened: {} ({}), {} migration(s) applied", safeUrl(config.jdbcUrl()), dialect, applied);
            return new Store(dataSource, dialect, applied, config);
        } catch (SQLException e) {
            dataSource.close();
            throw new StoreFailureException("cannot open the store database at " + safeUrl(config.jdbcUrl()) + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private static int migrate(HikariDataSource dataSource, Dialect dialect) {
        try {
            MigrateResult result = Flyway.configure(Store.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .placeholders(dialect.migrationPlaceholders())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new StoreFailureException("the store schema could not be migrated: " + e.getMessage(), e);
        }
    }

    /** The URL without anything after {@code ?} or {@code ;} (where credentials could be). */
    private static String safeUrl(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', ';'}) {
            int at = url.indexOf(c);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return url.substring(0, cut);
    }

    /**
     * The dialect in use.
     *
     * @return H2, PostgreSQL or CockroachDB
     */
    public DialectKind dialect() {
        return dialect.kind();
    }

    /**
     * How many schema migrations this store applied when it was opened (0 when the schema was up to date).
     *
     * @return the count
     */
    public int migrationsApplied() {
        return migrationsApplied;
    }

    /** @return the transaction runner, with its retry counters */
    public Transactions transactions() {
        return transactions;
    }

    /** @return organisations */
    public OrganisationRepository organisations() {
        return organisations;
    }

    /** @return users and sign-in */
    public UserRepository users() {
        return users;
    }

    /** @return memberships of organisations */
    public MembershipRepository memberships() {
        return memberships;
    }

    /** @return spaces */
    public SpaceRepository spaces() {
        return spaces;
    }

    /** @return projects */
    public ProjectRepository projects() {
        return projects;
    }

    /** @return grants (sharing) */
    public GrantRepository grants() {
        return grants;
    }

    /** @return effective roles */
    public Permissions permissions() {
        return permissions;
    }

    /** @return API tokens */
    public TokenRepository tokens() {
        return tokens;
    }

    /** @return the audit log */
    public AuditRepository audit() {
        return audit;
    }

    /** @return files, notebooks and directories, and saving them */
    public FileRepository files() {
        return files;
    }

    /** @return version history */
    public VersionRepository versions() {
        return versions;
    }

    /** Closes the connection pool. */
    @Override
    public void close() {
        dataSource.close();
    }
}
