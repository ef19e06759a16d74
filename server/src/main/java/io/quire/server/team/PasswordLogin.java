package io.quire.server.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.quire.server.http.ApiException;
import io.quire.server.http.JsonBodies;
import io.quire.store.AuditEntry;
import io.quire.store.CreatedToken;
import io.quire.store.LoginResult;
import io.quire.store.Membership;
import io.quire.store.OrgId;
import io.quire.store.Organisation;
import io.quire.store.Store;
import io.quire.store.StoreException;
import io.quire.store.User;
import io.quire.store.UserId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/auth/login} and {@code POST /api/v1/auth/logout}: password sign-in for team mode.
 *
 * <p>Design. The password check, the failure counter and the lockout are the store's
 * ({@link io.quire.store.UserRepository#authenticate}: Argon2id, a dummy verification for unknown addresses, a lock
 * after repeated failures during which the password is not even checked). A successful sign-in makes an ordinary
 * API token of the chosen organisation (shown once, stored hashed, expiring after {@link #SESSION_LIFETIME}), so
 * every other route authenticates it exactly like a token made by {@code quire admin create-token}; signing out
 * revokes the token the request presented. Every outcome is written to the audit log of the organisations concerned
 * (an unknown address concerns none and is only logged).
 */
final class PasswordLogin {
    /** How long a token made by signing in works. */
    static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    /** The name of tokens made by signing in. */
    static final String TOKEN_NAME = "password login";

    private static final Logger LOG = LoggerFactory.getLogger(PasswordLogin.class);

    private final Store store;
    private final Clock clock;

    PasswordLogin(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** {@code POST /api/v1/auth/login {email, password, organisation?}}: 201 with the new token. */
    void login(ServerRequest request, ServerResponse response) {
        ObjectNode body = JsonBodies.readObject(request);
        String email = text(body, "email");
        String password = text(body, "password");
        Optional<String> slug = Optional.ofNullable(body.get("organisation")).filter(node -> !node.isNull())
                .map(node -> {
                    if (!node.isTextual() || node.textValue().isBlank()) {
                        throw ApiException.badRequest("'organisation' must be an organisation's slug (a string)");
                    }
                    return node.textValue();
                });
        LoginResult result = store.users().authenticate(email, password);
        switch (result) {
            case LoginResult.Failure ignored -> {
                audit(email, "auth.login_failed");
                throw new ApiException(401, "invalid_credentials", "wrong e-mail address or password");
            }
            case LoginResult.Locked(Instant until) -> {
                audit(email, "auth.login_locked");
                long seconds = Math.max(1, Duration.between(clock.instant(), until).toSeconds());
                response.header(HeaderNames.RETRY_AFTER, Long.toString(seconds));
                throw new ApiException(429, "account_locked", "too many failed sign-ins: this account is locked"
                        + " until " + until + "; try again then");
            }
            case LoginResult.Success(User user) -> {
                Organisation org = organisation(user, slug);
                CreatedToken token = store.tokens().create(org.id(), user.id(), TOKEN_NAME, Set.of(),
                        Optional.of(clock.instant().plus(SESSION_LIFETIME)), Optional.of(user.id()));
                record(org.id(), Optional.of(user.id()), "auth.login", Optional.of(new AuditEntry.Target("token",
                        token.token().id().toString())));
                ObjectNode json = JsonBodies.MAPPER.createObjectNode();
                json.put("token", token.secret());
                json.put("prefix", token.token().prefix());
                json.put("expires_at", token.token().expiresAt().map(Instant::toString).orElse(null));
                json.putObject("organisation").put("id", org.id().toString()).put("slug", org.slug())
                        .put("name", org.name());
                json.putObject("user").put("id", user.id().toString()).put("email", user.email())
                        .put("display_name", user.displayName());
                JsonBodies.send(response, Status.CREATED_201, json);
            }
        }
    }

    /** {@code POST /api/v1/auth/logout}: revokes the token the request presented; 204. */
    void logout(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.require(request);
        store.tokens().revoke(caller.organisation(), caller.token(), Optional.of(caller.user()));
        response.status(Status.NO_CONTENT_204).send();
    }

    /** The organisation a signed-in user asked for, or their only one. */
    private Organisation organisation(User user, Optional<String> slug) {
        List<Membership> memberships = store.memberships().ofUser(user.id());
        if (slug.isPresent()) {
            // the same answer whether the organisation does not exist or the user is not in it
            return store.organisations().findBySlug(slug.get())
                    .filter(org -> memberships.stream().anyMatch(m -> m.orgId().equals(org.id())))
                    .orElseThrow(() -> new ApiException(403, "not_a_member", "you are not a member of an"
                            + " organisation '" + slug.get() + "'"));
        }
        if (memberships.isEmpty()) {
            throw new ApiException(403, "not_a_member", "you belong to no organisation yet; ask an owner to add you");
        }
        if (memberships.size() > 1) {
            List<String> slugs = memberships.stream().map(m -> store.organisations().get(m.orgId()).slug())
                    .sorted().toList();
            throw new ApiException(400, "organisation_required", "you belong to several organisations; name one"
                    + " with 'organisation': " + String.join(", ", slugs));
        }
        return store.organisations().get(memberships.getFirst().orgId());
    }

    /** Audits a failed or locked sign-in in every organisation of the address's user (none for an unknown one). */
    private void audit(String email, String action) {
        Optional<User> user;
        try {
            user = store.users().findByEmail(email);
        } catch (StoreException e) {
            user = Optional.empty(); // a malformed address: nobody's
        }
        if (user.isEmpty()) {
            LOG.info("{} for an unknown e-mail address", action);
            return;
        }
        UserId id = user.get().id();
        for (Membership membership : store.memberships().ofUser(id)) {
            record(membership.orgId(), Optional.empty(), action, Optional.of(new AuditEntry.Target("user",
                    id.toString())));
        }
    }

    private void record(OrgId org, Optional<UserId> actor, String action, Optional<AuditEntry.Target> target) {
        try {
            store.audit().record(org, actor, action, target, JsonBodies.MAPPER.createObjectNode());
        } catch (StoreException e) {
            LOG.warn("could not write audit entry {} for organisation {}: {}", action, org, e.getMessage());
        }
    }

    private static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw ApiException.badRequest("'" + field + "' is required (a non-empty string)");
        }
        return Objects.requireNonNull(value.textValue());
    }
}
