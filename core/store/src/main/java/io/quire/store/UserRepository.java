package io.quire.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Users and password sign-in.
 *
 * <p>A user exists across organisations, so creating a user, signing in and changing a password are not scoped by
 * an organisation; reading users <em>through</em> an organisation ({@link #get}, {@link #listMembers}) is, and sees
 * only that organisation's members.
 *
 * <p>Sign-in counts consecutive failures; at {@link PasswordPolicy#maxFailures()} the account is locked for
 * {@link PasswordPolicy#lockout()}, during which the password is not even checked. Only a success resets the count,
 * so after a lock ends the next failure locks the account again at once.
 */
public final class UserRepository {
    private static final String COLUMNS =
            "u.id, u.email, u.display_name, u.password_hash, u.failed_logins, u.locked_until, u.created_at";

    private final StoreContext context;
    private final Passwords passwords;

    UserRepository(StoreContext context, Passwords passwords) {
        this.context = context;
        this.passwords = passwords;
    }

    /**
     * Creates a user.
     *
     * @param email       the e-mail address (stored lower case)
     * @param displayName the name shown to others
     * @param password    the password, or empty for a user who signs in otherwise (tokens, OIDC)
     * @return the user
     * @throws StoreBadRequestException if the address, name or password is unacceptable (passwords need 8 to 1024
     *                                  characters)
     * @throws StoreConflictException   if the address is taken
     */
    public User create(String email, String displayName, Optional<String> password) {
        String checkedEmail = Names.email(email);
        String checkedName = Names.name("display name", displayName, 200);
        Optional<String> hash = password.map(passwords::hash);
        return context.tx().inTransaction(c -> {
            if (Sql.count(c, "SELECT COUNT(*) FROM users WHERE email = ?", checkedEmail) > 0) {
                throw new StoreConflictException("a user with e-mail address '" + checkedEmail + "' exists");
            }
            User user = new User(new UserId(context.newId()), checkedEmail, checkedName, hash.isPresent(), 0,
                    Optional.empty(), context.now());
            Sql.update(c, "INSERT INTO users (id, email, display_name, password_hash, failed_logins, locked_until,"
                            + " created_at) VALUES (?, ?, ?, ?, 0, NULL, ?)",
                    user.id(), user.email(), user.displayName(), hash, user.createdAt());
            return user;
        });
    }

    /**
     * Reads a member of an organisation.
     *
     * @param org  the organisation
     * @param user the user
     * @return the user
     * @throws StoreNotFoundException if the user does not exist or is not a member of the organisation
     */
    public User get(OrgId org, UserId user) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(user, "user");
        return context.tx().inTransaction(c -> Sql.queryOne(c, "SELECT " + COLUMNS
                        + " FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.org_id = ? AND u.id = ?",
                UserRepository::map, org, user))
                .orElseThrow(() -> new StoreNotFoundException("no user " + user + " in organisation " + org));
    }

    /**
     * The members of an organisation, ordered by e-mail address.
     *
     * @param org the organisation
     * @return the users
     */
    public List<User> listMembers(OrgId org) {
        Objects.requireNonNull(org, "org");
        return context.tx().inTransaction(c -> Sql.query(c, "SELECT " + COLUMNS
                + " FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.org_id = ? ORDER BY u.email",
                UserRepository::map, org));
    }

    /**
     * Looks a user up by e-mail address, for sign-in and invitations (not scoped: the address is the user's own).
     *
     * @param email the address, in any case
     * @return the user, or empty
     */
    public Optional<User> findByEmail(String email) {
        String checkedEmail = Names.email(email);
        return context.tx().inTransaction(c -> Sql.queryOne(c, "SELECT " + COLUMNS + " FROM users u WHERE u.email = ?",
                UserRepository::map, checkedEmail));
    }

    /**
     * Sets a user's password and unlocks the account.
     *
     * @param user     the user
     * @param password the new password (8 to 1024 characters)
     * @throws StoreNotFoundException   if the user does not exist
     * @throws StoreBadRequestException if the password is unacceptable
     */
    public void setPassword(UserId user, String password) {
        Objects.requireNonNull(user, "user");
        String hash = passwords.hash(password);
        context.tx().inTransaction(c -> {
            int updated = Sql.update(c, "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL"
                    + " WHERE id = ?", hash, user);
            if (updated == 0) {
                throw new StoreNotFoundException("no user " + user);
            }
            return null;
        });
    }

    /**
     * Signs in with an e-mail address and a password.
     *
     * @param email    the address
     * @param password the password
     * @return success with the user; failure (unknown address, no password set, or a wrong password, which counts
     *         towards the lockout); or locked, with the time the lock ends
     */
    public LoginResult authenticate(String email, String password) {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(password, "password");
        String checkedEmail;
        try {
            checkedEmail = Names.email(email);
        } catch (StoreBadRequestException e) {
            passwords.verifyDummy(password);
            return new LoginResult.Failure();
        }
        record Stored(User user, Optional<String> hash) {
        }
        Optional<Stored> stored = context.tx().inTransaction(c -> Sql.queryOne(c,
                "SELECT " + COLUMNS + " FROM users u WHERE u.email = ?",
                rows -> new Stored(map(rows), Optional.ofNullable(rows.getString("password_hash"))), checkedEmail));
        Instant now = context.now();
        if (stored.isEmpty() || stored.get().hash().isEmpty()) {
            passwords.verifyDummy(password);
            return new LoginResult.Failure();
        }
        User user = stored.get().user();
        Optional<Instant> locked = user.lockedUntil().filter(now::isBefore);
        if (locked.isPresent()) {
            return new LoginResult.Locked(locked.get());
        }
        boolean matches = passwords.verify(password, stored.get().hash().get());
        if (matches) {
            return context.tx().inTransaction(c -> {
                Sql.update(c, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", user.id());
                return new LoginResult.Success(read(c, user.id()));
            });
        }
        PasswordPolicy policy = context.config().passwordPolicy();
        Instant lockEnd = now.plus(policy.lockout());
        return context.tx().inTransaction(c -> {
            // one statement: concurrent failures each count, and the one reaching the limit sets the lock
            Sql.update(c, "UPDATE users SET failed_logins = failed_logins + 1,"
                            + " locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END"
                            + " WHERE id = ?",
                    policy.maxFailures(), lockEnd, user.id());
            User after = read(c, user.id());
            return after.lockedUntil().filter(now::isBefore).<LoginResult>map(LoginResult.Locked::new)
                    .orElseGet(LoginResult.Failure::new);
        });
    }

    private static User read(Connection c, UserId id) throws SQLException {
        return Sql.queryOne(c, "SELECT " + COLUMNS + " FROM users u WHERE u.id = ?", UserRepository::map, id)
                .orElseThrow(() -> new StoreNotFoundException("no user " + id));
    }

    static boolean exists(Connection c, UserId id) throws SQLException {
        return Sql.count(c, "SELECT COUNT(*) FROM users WHERE id = ?", id) > 0;
    }

    private static User map(ResultSet rows) throws SQLException {
        return new User(new UserId(Sql.uuid(rows, "id")), rows.getString("email"), rows.getString("display_name"),
                rows.getString("password_hash") != null, rows.getInt("failed_logins"),
                Sql.optionalInstant(rows, "locked_until"), Sql.instant(rows, "created_at"));
    }
}
