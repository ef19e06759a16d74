package io.quire.server.team;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quire.store.ApiToken;
import io.quire.store.AuditEntry;
import io.quire.store.CreatedToken;
import io.quire.store.Membership;
import io.quire.store.OrgId;
import io.quire.store.OrgRole;
import io.quire.store.Organisation;
import io.quire.store.Project;
import io.quire.store.ProjectId;
import io.quire.store.Space;
import io.quire.store.Store;
import io.quire.store.StoreBadRequestException;
import io.quire.store.StoreNotFoundException;
import io.quire.store.User;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Operator tasks on the store, as {@code quire admin} runs them: bootstrap an organisation with its owner, make and
 * revoke API tokens. Nothing here sets a password: owners made here sign in with the token they are given.
 *
 * <p>Also owns the team-mode layout rule: every organisation has a default space and in it a default project, both
 * named {@value #DEFAULT_NAME}, which the Jupyter contents API and the v1 files API serve as their root.
 */
public final class TeamAdmin {
    /** The name of each organisation's default space and of the default project in it. */
    public static final String DEFAULT_NAME = "Default";

    private final Store store;
    private final Clock clock;

    /**
     * Administers a store.
     *
     * @param store the store
     * @param clock the time token expiries are counted from
     */
    public TeamAdmin(Store store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What {@link #initOrganisation} made.
     *
     * @param organisation the organisation
     * @param owner        its owner (a new user, or the existing user with that address)
     * @param project      its default project
     * @param token        the owner's first API token, with its secret (shown once)
     */
    public record Bootstrap(Organisation organisation, User owner, ProjectId project, CreatedToken token) {
    }

    /**
     * Creates an organisation, makes a user its owner (creating the user, without a password, if the address is new),
     * creates its default space and project, and makes the owner an API token.
     *
     * @param name       the organisation's display name; its slug is derived from it
     * @param ownerEmail the owner's e-mail address
     * @return what was made
     * @throws StoreBadRequestException           if the name gives no usable slug or the address is malformed
     * @throws io.quire.store.StoreConflictException if the slug is taken
     */
    public Bootstrap initOrganisation(String name, String ownerEmail) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ownerEmail, "ownerEmail");
        Organisation org = store.organisations().create(slugOf(name), name);
        User owner = store.users().findByEmail(ownerEmail).orElseGet(() -> store.users().create(ownerEmail,
                ownerEmail.strip().split("@", 2)[0], Optional.empty()));
        store.memberships().add(org.id(), owner.id(), OrgRole.OWNER, Optional.empty());
        ProjectId project = defaultProject(store, org.id());
        CreatedToken token = store.tokens().create(org.id(), owner.id(), "quire admin init-org", Set.of(),
                Optional.empty(), Optional.empty());
        return new Bootstrap(org, owner, project, token);
    }

    /**
     * Makes an API token for a user.
     *
     * @param email   the user's e-mail address
     * @param orgSlug the organisation the token acts in; may be empty when the user belongs to exactly one
     * @param expiry  how long the token works; empty for no expiry
     * @param scopes  what the token may be used for ({@link TokenScopes}); empty for everything its user may do
     * @return the token with its secret (shown once)
     * @throws StoreNotFoundException   if there is no such user, organisation or membership
     * @throws StoreBadRequestException if the user belongs to several organisations and none is named, or a scope
     *                                  is not one of {@link TokenScopes#ALL}
     */
    public CreatedToken createToken(String email, Optional<String> orgSlug, Optional<Duration> expiry,
            Set<String> scopes) {
        for (String scope : scopes) {
            if (!TokenScopes.ALL.contains(scope)) {
                throw new StoreBadRequestException("unknown token scope '" + scope + "'; the scopes are "
                        + new java.util.TreeSet<>(TokenScopes.ALL));
            }
        }
        User user = store.users().findByEmail(email)
                .orElseThrow(() -> new StoreNotFoundException("no user with e-mail address '" + email + "'"));
        OrgId org;
        if (orgSlug.isPresent()) {
            org = store.organisations().findBySlug(orgSlug.get())
                    .orElseThrow(() -> new StoreNotFoundException("no organisation '" + orgSlug.get() + "'")).id();
        } else {
            List<Membership> memberships = store.memberships().ofUser(user.id());
            if (memberships.isEmpty()) {
                throw new StoreNotFoundException("user '" + email + "' belongs to no organisation");
            }
            if (memberships.size() > 1) {
                throw new StoreBadRequestException("user '" + email + "' belongs to " + memberships.size()
                        + " organisations: name one with --org");
            }
            org = memberships.getFirst().orgId();
        }
        return store.tokens().create(org, user.id(), "quire admin create-token", scopes,
                expiry.map(d -> clock.instant().plus(d)), Optional.empty());
    }

    /**
     * Sets a user's password (and unlocks the account), for password sign-in ({@code POST /api/v1/auth/login}).
     * Recorded in the audit log of each of the user's organisations.
     *
     * @param email    the user's e-mail address
     * @param password the new password (8 to 1024 characters)
     * @throws StoreNotFoundException   if there is no such user
     * @throws StoreBadRequestException if the password is unacceptable
     */
    public void setPassword(String email, String password) {
        Objects.requireNonNull(password, "password");
        User user = store.users().findByEmail(email)
                .orElseThrow(() -> new StoreNotFoundException("no user with e-mail address '" + email + "'"));
        store.users().setPassword(user.id(), password);
        for (Membership membership : store.memberships().ofUser(user.id())) {
            store.audit().record(membership.orgId(), Optional.empty(), "user.password_set",
                    Optional.of(new AuditEntry.Target("user", user.id().toString())),
                    JsonNodeFactory.instance.objectNode());
        }
    }

    /**
     * Revokes a token by its public prefix.
     *
     * @param prefix the 12 hex digits after {@code quire_} (a whole token is accepted too)
     * @return the token as revoked
     * @throws StoreNotFoundException if there is no token with that prefix
     */
    public ApiToken revokeToken(String prefix) {
        String bare = prefix.strip();
        if (bare.startsWith("quire_") && bare.length() >= 18) {
            bare = bare.substring(6, 18);
        }
        ApiToken token = store.tokens().findByPrefix(bare)
                .orElseThrow(() -> new StoreNotFoundException("no token with prefix '" + prefix + "'"));
        return store.tokens().revoke(token.orgId(), token.id(), Optional.empty());
    }

    /**
     * The organisation's default project, created (with its default space) if it has none yet.
     *
     * @param store the store
     * @param org   the organisation
     * @return the project
     */
    public static ProjectId defaultProject(Store store, OrgId org) {
        Space space = store.spaces().list(org).stream().filter(s -> s.name().equals(DEFAULT_NAME)).findFirst()
                .orElseGet(() -> store.spaces().create(org, DEFAULT_NAME));
        return store.projects().list(org, space.id()).stream().filter(p -> p.name().equals(DEFAULT_NAME))
                .findFirst().map(Project::id)
                .orElseGet(() -> store.projects().create(org, space.id(), DEFAULT_NAME).id());
    }

    /**
     * Parses a duration as {@code quire admin} takes it: a number and a unit {@code m}, {@code h} or {@code d}.
     *
     * @param text such as {@code 30d} or {@code 12h}
     * @return the duration
     * @throws IllegalArgumentException for anything else, or a duration that is not positive
     */
    public static Duration duration(String text) {
        var match = java.util.regex.Pattern.compile("(\\d{1,6})([mhd])").matcher(text.strip());
        if (!match.matches() || Long.parseLong(match.group(1)) == 0) {
            throw new IllegalArgumentException("expiry '" + text + "' must be a positive number and a unit m, h or d"
                    + " (such as 30d)");
        }
        long amount = Long.parseLong(match.group(1));
        return switch (match.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** Lower case ASCII letters and digits, other runs of characters as one dash. */
    static String slugOf(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.isEmpty()) {
            throw new StoreBadRequestException("organisation name '" + name + "' has no letters or digits to make"
                    + " a slug of");
        }
        return slug.length() > 64 ? slug.substring(0, 64).replaceAll("-+$", "") : slug;
    }
}
