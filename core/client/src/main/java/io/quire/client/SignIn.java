package io.quire.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a password sign-in on a team server ({@link QuireClient#login}): a new API token, shown once.
 *
 * @param token            the token's secret; give it to {@link QuireClient.Builder#token} to act as the user
 * @param expiresAt        when the token stops working
 * @param organisationId   the organisation the token acts in
 * @param organisationSlug that organisation's slug
 * @param userId           the signed-in user
 * @param email            the user's e-mail address
 */
public record SignIn(String token, Optional<Instant> expiresAt, String organisationId, String organisationSlug,
                     String userId, String email) {

    /** Rejects nulls. */
    public SignIn {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(organisationId, "organisationId");
        Objects.requireNonNull(organisationSlug, "organisationSlug");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(email, "email");
    }

    static SignIn create(JsonNode json) {
        JsonNode expires = json.path("expires_at");
        return new SignIn(Wire.text(json, "token", "sign-in"),
                expires.isTextual() ? Optional.of(Instant.parse(expires.asText())) : Optional.empty(),
                Wire.text(json.path("organisation"), "id", "sign-in's organisation"),
                Wire.text(json.path("organisation"), "slug", "sign-in's organisation"),
                Wire.text(json.path("user"), "id", "sign-in's user"),
                Wire.text(json.path("user"), "email", "sign-in's user"));
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "SignIn[" + email + " in " + organisationSlug + ", expires " + expiresAt.map(Instant::toString)
                .orElse("never") + "]";
    }
}
