package io.quire.server.team;

import io.quire.server.ConfigFile;
import io.quire.store.DialectKind;
import io.quire.store.StoreConfig;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code store:} section of the configuration: where the database is. Present, the server runs in team mode;
 * absent, it serves a folder to the holder of one shared token.
 *
 * <pre>{@code
 * store:
 *   url: jdbc:postgresql://db:5432/quire     # or jdbc:h2:file:/var/lib/quire/quire
 *   user: quire
 *   password: secret                        # better: QUIRE_STORE_PASSWORD
 *   dialect: cockroachdb                    # optional: h2, postgresql or cockroachdb; detected when absent
 * }</pre>
 * The environment variables {@code QUIRE_STORE_URL}, {@code QUIRE_STORE_USER}, {@code QUIRE_STORE_PASSWORD} and
 * {@code QUIRE_STORE_DIALECT} override the file; {@code QUIRE_STORE_URL} alone turns team mode on.
 *
 * @param url      the JDBC URL
 * @param user     the database user, if any
 * @param password the database password, if any
 * @param dialect  the dialect, or empty to detect it
 */
public record StoreSettings(String url, Optional<String> user, Optional<String> password,
                            Optional<DialectKind> dialect) {
    private static final Set<String> KEYS = Set.of("url", "user", "password", "dialect");

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the URL is blank or not of a supported database
     */
    public StoreSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(dialect, "dialect");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("store.url must start with jdbc:h2: or jdbc:postgresql:, got '"
                    + redacted(url) + "'");
        }
    }

    /**
     * Reads the {@code store:} section of a YAML file (if given), then the environment.
     *
     * @param file        the configuration file, or empty
     * @param environment the environment variables
     * @return the settings, or empty when neither the file nor the environment names a store (single-user mode)
     * @throws IllegalArgumentException when a value is invalid; the message names the key
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static Optional<StoreSettings> load(Optional<Path> file, Map<String, String> environment) {
        String url = null;
        String user = null;
        String password = null;
        String dialect = null;
        if (file.isPresent()) {
            Optional<Object> found = ConfigFile.section(file.get(), "store");
            if (found.isPresent()) {
                if (!(found.get() instanceof Map<?, ?> section)) {
                    throw new IllegalArgumentException(file.get() + ": 'store' must be a map with url, user,"
                            + " password and dialect");
                }
                for (Object key : section.keySet()) {
                    if (!KEYS.contains(String.valueOf(key))) {
                        throw new IllegalArgumentException(file.get() + ": unknown key 'store." + key
                                + "'; known: dialect, password, url, user");
                    }
                }
                url = text(section.get("url"));
                user = text(section.get("user"));
                password = text(section.get("password"));
                dialect = text(section.get("dialect"));
            }
        }
        url = env(environment, "QUIRE_STORE_URL", url);
        user = env(environment, "QUIRE_STORE_USER", user);
        password = env(environment, "QUIRE_STORE_PASSWORD", password);
        dialect = env(environment, "QUIRE_STORE_DIALECT", dialect);
        if (url == null) {
            if (user != null || password != null || dialect != null) {
                throw new IllegalArgumentException("store.url (or QUIRE_STORE_URL) is required when the store's user,"
                        + " password or dialect is set");
            }
            return Optional.empty();
        }
        return Optional.of(new StoreSettings(url, Optional.ofNullable(user), Optional.ofNullable(password),
                Optional.ofNullable(dialect).map(StoreSettings::dialect)));
    }

    /**
     * The store configuration these settings describe (pool, retry and password policies at their defaults).
     *
     * @return a builder, to adjust further or build
     */
    public StoreConfig.Builder storeConfig() {
        StoreConfig.Builder builder = StoreConfig.builder(url);
        user.ifPresent(builder::username);
        password.ifPresent(builder::password);
        dialect.ifPresent(builder::dialect);
        return builder;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "StoreSettings[url=" + redacted(url) + ", user=" + user.orElse("-") + ", dialect="
                + dialect.map(DialectKind::configName).orElse("detected") + "]";
    }

    private static DialectKind dialect(String name) {
        try {
            return DialectKind.fromConfigName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store.dialect: " + e.getMessage(), e);
        }
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static String env(Map<String, String> environment, String name, String fallback) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The URL without anything after {@code ?} or {@code ;}, where credentials could be. */
    private static String redacted(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', ';'}) {
            int at = url.indexOf(c);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return url.substring(0, cut);
    }
}
