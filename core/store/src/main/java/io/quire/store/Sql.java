package io.quire.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Small JDBC helpers shared by the repositories: parameters bound by type (typed ids as UUIDs, instants as UTC
 * {@code TIMESTAMP WITH TIME ZONE} truncated to microseconds, empty optionals as NULL) and rows mapped by a function.
 */
final class Sql {

    /**
     * Maps the current row of a result set.
     *
     * @param <T> the row type
     */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rows) throws SQLException;
    }

    private Sql() {
    }

    static <T> List<T> query(Connection connection, String sql, Row<T> row, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(row.map(rows));
                }
                return result;
            }
        }
    }

    static <T> Optional<T> queryOne(Connection connection, String sql, Row<T> row, Object... parameters)
            throws SQLException {
        List<T> rows = query(connection, sql, row, parameters);
        if (rows.size() > 1) {
            throw new SQLException("expected at most one row, got " + rows.size() + " from: " + sql);
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    static long count(Connection connection, String sql, Object... parameters) throws SQLException {
        return queryOne(connection, sql, rows -> rows.getLong(1), parameters).orElse(0L);
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            bind(statement, i + 1, parameters[i]);
        }
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        switch (value) {
            case null -> statement.setNull(index, Types.NULL);
            case Optional<?> optional -> bind(statement, index, optional.orElse(null));
            case OrgId id -> statement.setObject(index, id.value());
            case UserId id -> statement.setObject(index, id.value());
            case SpaceId id -> statement.setObject(index, id.value());
            case ProjectId id -> statement.setObject(index, id.value());
            case FileId id -> statement.setObject(index, id.value());
            case VersionId id -> statement.setObject(index, id.value());
            case TokenId id -> statement.setObject(index, id.value());
            case UUID uuid -> statement.setObject(index, uuid);
            case Instant instant -> statement.setObject(index, timestamp(instant));
            case byte[] bytes -> statement.setBytes(index, bytes);
            case String text -> statement.setString(index, text);
            case Integer number -> statement.setInt(index, number);
            case Long number -> statement.setLong(index, number);
            case Boolean flag -> statement.setBoolean(index, flag);
            default -> throw new IllegalArgumentException("cannot bind a " + value.getClass().getName());
        }
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        if (time == null) {
            throw new SQLException("column " + column + " is unexpectedly NULL");
        }
        return time.toInstant();
    }

    static Optional<Instant> optionalInstant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? Optional.empty() : Optional.of(time.toInstant());
    }

    static UUID uuid(ResultSet rows, String column) throws SQLException {
        UUID uuid = rows.getObject(column, UUID.class);
        if (uuid == null) {
            throw new SQLException("column " + column + " is unexpectedly NULL");
        }
        return uuid;
    }

    static Optional<UUID> optionalUuid(ResultSet rows, String column) throws SQLException {
        return Optional.ofNullable(rows.getObject(column, UUID.class));
    }

    static Optional<String> optionalString(ResultSet rows, String column) throws SQLException {
        return Optional.ofNullable(rows.getString(column));
    }

    /** {@code ?, ?, ?} for a list of parameters. */
    static String placeholders(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("an IN list needs at least one value");
        }
        return "?" + ", ?".repeat(count - 1);
    }

    /** A {@code LIKE} pattern matching every string that starts with a prefix (escaped with {@code !}). */
    static String startsWith(String prefix) {
        return escapeLike(prefix) + "%";
    }

    static String escapeLike(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == '%' || c == '_' || c == Dialect.LIKE_ESCAPE) {
                escaped.append(Dialect.LIKE_ESCAPE);
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** Splits values into chunks for {@code IN} lists of bounded length. */
    static <T> List<List<T>> chunks(Collection<T> values, int size) {
        List<List<T>> chunks = new ArrayList<>();
        List<T> current = new ArrayList<>(size);
        for (T value : values) {
            current.add(value);
            if (current.size() == size) {
                chunks.add(current);
                current = new ArrayList<>(size);
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }
}
