package io.quire.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * API tokens: random secrets shown once, stored as SHA-256 hashes, looked up by a public prefix.
 *
 * <p>A token reads {@code quire_<prefix>_<secret>}: 12 hex digits of prefix (unique, indexed, shown in listings)
 * and 32 random bytes of secret in base64url. The store keeps the SHA-256 of the whole text; a fast hash is enough
 * because the secret has 256 bits of entropy (there is nothing to brute-force), and it keeps verification cheap
 * on every request. Hashes are compared in constant time. Creating and revoking tokens is audited.
 */
public final class TokenRepository {
    private static final String PREFIX = "quire_";
    private static final Pattern TOKEN = Pattern.compile("quire_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");
    private static final Pattern SCOPE = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");
    private static final String COLUMNS = "id, org_id, user_id, name, prefix, secret_hash, scopes, created_at,"
            + " expires_at, revoked_at, last_used_at";

    private final StoreContext context;
    private final AuditRepository audit;
    private final SecureRandom random = new SecureRandom();

    TokenRepository(StoreContext context, AuditRepository audit) {
        this.context = context;
        this.audit = audit;
    }

    /**
     * Makes a token for a member.
     *
     * @param org       the organisation the token acts in
     * @param user      the member it acts as
     * @param name      what to call it
     * @param scopes    what it may be used for; empty for no restriction
     * @param expiresAt when it stops working; empty for never
     * @param actor     who makes it (usually the member)
     * @return the token with its secret, to be shown once
     * @throws StoreNotFoundException   if the user is not a member of the organisation
     * @throws StoreBadRequestException if the name or a scope is malformed, or the expiry is not in the future
     */
    public CreatedToken create(OrgId org, UserId user, String name, Set<String> scopes, Optional<Instant> expiresAt,
            Optional<UserId> actor) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(user, "user");
        String checkedName = Names.name("token name", name, 200);
        Set<String> checkedScopes = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (!SCOPE.matcher(scope).matches()) {
                throw new StoreBadRequestException("token scope '" + scope + "' must match " + SCOPE.pattern());
            }
            checkedScopes.add(scope);
        }
        Instant now = context.now();
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
            throw new StoreBadRequestException("token expiry " + expiresAt.get() + " is not in the future");
        }
        return context.tx().inTransaction(c -> {
            if (MembershipRepository.find(c, org, user).isEmpty()) {
                throw new StoreNotFoundException("user " + user + " is not a member of organisation " + org);
            }
            // the secret is drawn inside the transaction: a retried attempt makes a new one, never reuses it
            String prefix = HexFormat.of().formatHex(randomBytes(6));
            String secret = PREFIX + prefix + "_" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(randomBytes(32));
            ApiToken token = new ApiToken(new TokenId(context.newId()), org, user, checkedName, prefix,
                    checkedScopes, now, expiresAt.map(t -> Sql.timestamp(t).toInstant()), Optional.empty(),
                    Optional.empty());
            Sql.update(c, "INSERT INTO api_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                    token.id(), org, user, checkedName, prefix, sha256(secret), String.join(" ", checkedScopes), now,
                    token.expiresAt());
            audit.append(c, org, actor, "token.create", "token", token.id(), "user", user.toString(), "name",
                    checkedName);
            return new CreatedToken(token, secret);
        });
    }

    /**
     * Checks a token presented by a client and records its use.
     *
     * @param presented the full token text
     * @return the token, if it exists, matches, is not revoked, has not expired, and its user is still a member of
     *         its organisation; empty otherwise (malformed text included)
     */
    public Optional<ApiToken> verify(String presented) {
        Objects.requireNonNull(presented, "presented");
        var match = TOKEN.matcher(presented);
        if (!match.matches()) {
            return Optional.empty();
        }
        String prefix = match.group(1);
        byte[] hash = sha256(presented).getBytes(StandardCharsets.US_ASCII);
        Instant now = context.now();
        return context.tx().inTransaction(c -> {
            record Stored(ApiToken token, String hash) {
            }
            Optional<Stored> stored = Sql.queryOne(c, "SELECT " + COLUMNS + " FROM api_tokens WHERE prefix = ?",
                    rows -> new Stored(map(rows), rows.getString("secret_hash")), prefix);
            if (stored.isEmpty()
                    || !MessageDigest.isEqual(hash, stored.get().hash().getBytes(StandardCharsets.US_ASCII))) {
                return Optional.<ApiToken>empty();
            }
            ApiToken token = stored.get().token();
            if (!token.activeAt(now) || MembershipRepository.find(c, token.orgId(), token.userId()).isEmpty()) {
                return Optional.<ApiToken>empty();
            }
            boolean stale = token.lastUsedAt()
                    .map(last -> !last.plus(context.config().tokenTouchInterval()).isAfter(now)).orElse(true);
            if (!stale) {
                return Optional.of(token);
            }
            Sql.update(c, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, token.id());
            return Optional.of(new ApiToken(token.id(), token.orgId(), token.userId(), token.name(), token.prefix(),
                    token.scopes(), token.createdAt(), token.expiresAt(), token.revokedAt(), Optional.of(now)));
        });
    }

    /**
     * Revokes a token. Revoking a revoked token changes nothing.
     *
     * @param org   the organisation
     * @param token the token
     * @param actor who revokes it
     * @return the token as revoked
     * @throws StoreNotFoundException if the organisation has no such token
     */
    public ApiToken revoke(OrgId org, TokenId token, Optional<UserId> actor) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(token, "token");
        return context.tx().inTransaction(c -> {
            ApiToken current = Sql.queryOne(c, "SELECT " + COLUMNS + " FROM api_tokens WHERE org_id = ? AND id = ?",
                            TokenRepository::map, org, token)
                    .orElseThrow(() -> new StoreNotFoundException("no token " + token));
            if (current.revokedAt().isPresent()) {
                return current;
            }
            Instant now = context.now();
            Sql.update(c, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", now, token);
            audit.append(c, org, actor, "token.revoke", "token", token, "user", current.userId().toString());
            return new ApiToken(current.id(), org, current.userId(), current.name(), current.prefix(),
                    current.scopes(), current.createdAt(), current.expiresAt(), Optional.of(now),
                    current.lastUsedAt());
        });
    }

    /**
     * Looks a token up by its public prefix (as listings and {@code quire admin revoke-token} show it), in whatever
     * organisation it acts: for operators, who administer the whole store.
     *
     * @param prefix the 12 hex digits after {@code quire_}
     * @return the token, revoked or expired ones included; empty if there is none (or the text is no prefix)
     */
    public Optional<ApiToken> findByPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.matches("[0-9a-f]{12}")) {
            return Optional.empty();
        }
        return context.tx().inTransaction(c -> Sql.queryOne(c, "SELECT " + COLUMNS
                + " FROM api_tokens WHERE prefix = ?", TokenRepository::map, prefix));
    }

    /**
     * A member's tokens in an organisation, newest first, revoked and expired ones included.
     *
     * @param org  the organisation
     * @param user the member
     * @return the tokens
     */
    public List<ApiToken> list(OrgId org, UserId user) {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(user, "user");
        return context.tx().inTransaction(c -> Sql.query(c, "SELECT " + COLUMNS
                        + " FROM api_tokens WHERE org_id = ? AND user_id = ? ORDER BY created_at DESC, id",
                TokenRepository::map, org, user));
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static ApiToken map(ResultSet rows) throws SQLException {
        String scopes = rows.getString("scopes");
        return new ApiToken(new TokenId(Sql.uuid(rows, "id")), new OrgId(Sql.uuid(rows, "org_id")),
                new UserId(Sql.uuid(rows, "user_id")), rows.getString("name"), rows.getString("prefix"),
                scopes.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(scopes.split(" "))),
                Sql.instant(rows, "created_at"), Sql.optionalInstant(rows, "expires_at"),
                Sql.optionalInstant(rows, "revoked_at"), Sql.optionalInstant(rows, "last_used_at"));
    }
}
