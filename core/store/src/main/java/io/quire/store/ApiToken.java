package io.quire.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An API token as stored: everything but the secret, of which only a SHA-256 hash is kept.
 *
 * @param id         the id
 * @param orgId      the organisation the token acts in
 * @param userId     the user the token acts as
 * @param name       what the user called it
 * @param prefix     the public part of the token, shown in listings so users can tell tokens apart
 * @param scopes     what the token may be used for (such as {@code contents:read}); empty means no restriction
 * @param createdAt  when it was made
 * @param expiresAt  when it stops working, if ever
 * @param revokedAt  when it was revoked, if it was
 * @param lastUsedAt when it was last accepted (written at most once per configured interval), if ever
 */
public record ApiToken(TokenId id, OrgId orgId, UserId userId, String name, String prefix, Set<String> scopes,
        Instant createdAt, Optional<Instant> expiresAt, Optional<Instant> revokedAt, Optional<Instant> lastUsedAt) {

    /** Checks the components and copies the scopes. */
    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }

    /**
     * Whether the token is accepted at a time: not revoked and not expired.
     *
     * @param now the time
     * @return true if usable
     */
    public boolean activeAt(Instant now) {
        return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
    }

    /**
     * Whether the token may be used for a scope.
     *
     * @param scope a scope, such as {@code contents:write}
     * @return true if the token has no scopes (unrestricted) or has this one
     */
    public boolean allows(String scope) {
        return scopes.isEmpty() || scopes.contains(scope);
    }
}
