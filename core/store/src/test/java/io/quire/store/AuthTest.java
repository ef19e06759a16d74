package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Passwords (Argon2id, lockout) and API tokens. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class AuthTest extends StoreTestBase {

    @Override
    StoreConfig.Builder configure(StoreConfig.Builder builder) {
        return builder.passwordPolicy(PasswordPolicy.defaults().withArgon2(256, 1, 1)
                .withLockout(3, Duration.ofMinutes(10)));
    }

    @Test
    void password_isStoredAsArgon2id_andVerifies() throws Exception {
        User ada = store.users().create("ada@example.org", "Ada", Optional.of("correct horse"));

        assertThat(ada.hasPassword()).isTrue();
        assertThat(store.users().authenticate("ADA@example.org", "correct horse"))
                .isEqualTo(new LoginResult.Success(store.users().findByEmail("ada@example.org").orElseThrow()));
        assertThat(store.users().authenticate("ada@example.org", "wrong horse"))
                .isInstanceOf(LoginResult.Failure.class);
        String hash = store.transactions().inTransaction(c -> Sql.queryOne(c,
                "SELECT password_hash FROM users WHERE id = ?", rows -> rows.getString(1), ada.id())).orElseThrow();
        assertThat(hash).startsWith("$argon2id$v=19$m=256,t=1,p=1$").doesNotContain("correct horse");
    }

    @Test
    void password_tooShort_isBadRequest() {
        assertThatThrownBy(() -> store.users().create("ada@example.org", "Ada", Optional.of("short")))
                .isInstanceOf(StoreBadRequestException.class).hasMessageContaining("8 characters");
    }

    @Test
    void authenticate_unknownUserOrNoPassword_isAPlainFailure() {
        store.users().create("nopass@example.org", "No password", Optional.empty());

        assertThat(store.users().authenticate("nobody@example.org", "whatever1")).isInstanceOf(LoginResult.Failure.class);
        assertThat(store.users().authenticate("nopass@example.org", "whatever1")).isInstanceOf(LoginResult.Failure.class);
        assertThat(store.users().authenticate("not an address", "whatever1")).isInstanceOf(LoginResult.Failure.class);
    }

    @Test
    void lockout_afterRepeatedFailures_refusesEvenTheRightPassword_untilItEnds() {
        store.users().create("ada@example.org", "Ada", Optional.of("correct horse"));

        assertThat(store.users().authenticate("ada@example.org", "bad one 1")).isInstanceOf(LoginResult.Failure.class);
        assertThat(store.users().authenticate("ada@example.org", "bad one 2")).isInstanceOf(LoginResult.Failure.class);
        assertThat(store.users().authenticate("ada@example.org", "bad one 3"))
                .isEqualTo(new LoginResult.Locked(START.plus(Duration.ofMinutes(10))));
        assertThat(store.users().authenticate("ada@example.org", "correct horse"))
                .isInstanceOf(LoginResult.Locked.class);

        clock.advance(Duration.ofMinutes(10));
        LoginResult after = store.users().authenticate("ada@example.org", "correct horse");
        assertThat(after).isInstanceOf(LoginResult.Success.class);
        assertThat(((LoginResult.Success) after).user().failedLogins()).isZero();
        assertThat(((LoginResult.Success) after).user().lockedUntil()).isEmpty();
    }

    @Test
    void setPassword_replacesTheHashAndUnlocks() {
        User ada = store.users().create("ada@example.org", "Ada", Optional.of("correct horse"));
        for (int i = 0; i < 3; i++) {
            store.users().authenticate("ada@example.org", "bad password");
        }

        store.users().setPassword(ada.id(), "battery staple");

        assertThat(store.users().authenticate("ada@example.org", "battery staple"))
                .isInstanceOf(LoginResult.Success.class);
        assertThat(store.users().authenticate("ada@example.org", "correct horse"))
                .isInstanceOf(LoginResult.Failure.class);
    }

    @Test
    void token_createVerifyAndList_storesOnlyAHash() throws Exception {
        Tenant acme = tenant("acme");
        CreatedToken created = store.tokens().create(acme.id(), acme.owner().id(), "laptop",
                Set.of("contents:read"), Optional.empty(), Optional.of(acme.owner().id()));

        assertThat(created.secret()).matches("quire_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        assertThat(created.toString()).doesNotContain(created.secret());
        ApiToken verified = store.tokens().verify(created.secret()).orElseThrow();
        assertThat(verified.id()).isEqualTo(created.token().id());
        assertThat(verified.orgId()).isEqualTo(acme.id());
        assertThat(verified.allows("contents:read")).isTrue();
        assertThat(verified.allows("contents:write")).isFalse();
        assertThat(store.tokens().list(acme.id(), acme.owner().id())).extracting(ApiToken::name)
                .containsExactly("laptop");
        String stored = store.transactions().inTransaction(c -> Sql.queryOne(c,
                "SELECT secret_hash FROM api_tokens WHERE id = ?", rows -> rows.getString(1),
                created.token().id())).orElseThrow();
        assertThat(stored).hasSize(64).isNotEqualTo(created.secret());
        assertThat(store.audit().list(acme.id(), 10)).extracting(AuditEntry::action).contains("token.create");
    }

    @Test
    void token_wrongOrMalformedSecret_isRefused() {
        Tenant acme = tenant("acme");
        CreatedToken created = store.tokens().create(acme.id(), acme.owner().id(), "ci", Set.of(), Optional.empty(),
                Optional.empty());
        String secret = created.secret();
        char last = secret.charAt(secret.length() - 1);
        String tampered = secret.substring(0, secret.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(store.tokens().verify(tampered)).isEmpty();
        assertThat(store.tokens().verify("quire_nothex")).isEmpty();
        assertThat(store.tokens().verify("")).isEmpty();
    }

    @Test
    void token_revoked_isRefused_andRevokingAgainChangesNothing() {
        Tenant acme = tenant("acme");
        CreatedToken created = store.tokens().create(acme.id(), acme.owner().id(), "ci", Set.of(), Optional.empty(),
                Optional.empty());
        clock.advance(Duration.ofSeconds(5));

        ApiToken revoked = store.tokens().revoke(acme.id(), created.token().id(), Optional.of(acme.owner().id()));
        clock.advance(Duration.ofSeconds(5));

        assertThat(revoked.revokedAt()).contains(START.plusSeconds(5));
        assertThat(store.tokens().verify(created.secret())).isEmpty();
        assertThat(store.tokens().revoke(acme.id(), created.token().id(), Optional.empty()).revokedAt())
                .contains(START.plusSeconds(5));
        assertThat(store.audit().list(acme.id(), 10)).filteredOn(e -> e.action().equals("token.revoke")).hasSize(1);
    }

    @Test
    void token_expired_isRefused_andExpiryMustBeInTheFuture() {
        Tenant acme = tenant("acme");
        CreatedToken created = store.tokens().create(acme.id(), acme.owner().id(), "short", Set.of(),
                Optional.of(START.plus(Duration.ofHours(1))), Optional.empty());

        assertThat(store.tokens().verify(created.secret())).isPresent();
        clock.advance(Duration.ofHours(1));
        assertThat(store.tokens().verify(created.secret())).isEmpty();
        assertThatThrownBy(() -> store.tokens().create(acme.id(), acme.owner().id(), "past", Set.of(),
                Optional.of(START), Optional.empty())).isInstanceOf(StoreBadRequestException.class);
    }

    @Test
    void token_lastUsed_isWrittenAtMostOncePerInterval() {
        Tenant acme = tenant("acme");
        CreatedToken created = store.tokens().create(acme.id(), acme.owner().id(), "ci", Set.of(), Optional.empty(),
                Optional.empty());
        assertThat(created.token().lastUsedAt()).isEmpty();

        clock.advance(Duration.ofSeconds(10));
        assertThat(store.tokens().verify(created.secret()).orElseThrow().lastUsedAt()).contains(START.plusSeconds(10));
        clock.advance(Duration.ofSeconds(30));
        store.tokens().verify(created.secret());
        assertThat(lastUsed(acme, created)).contains(START.plusSeconds(10));
        clock.advance(Duration.ofSeconds(30));
        store.tokens().verify(created.secret());
        assertThat(lastUsed(acme, created)).contains(START.plusSeconds(70));
    }

    private Optional<Instant> lastUsed(Tenant tenant, CreatedToken created) {
        return store.tokens().list(tenant.id(), tenant.owner().id()).getFirst().lastUsedAt();
    }

    @Test
    void token_ofARemovedMember_isRevoked() {
        Tenant acme = tenant("acme");
        User bob = member(acme, "bob");
        CreatedToken created = store.tokens().create(acme.id(), bob.id(), "bob's", Set.of(), Optional.empty(),
                Optional.empty());

        store.memberships().remove(acme.id(), bob.id(), Optional.of(acme.owner().id()));

        assertThat(store.tokens().verify(created.secret())).isEmpty();
        assertThat(store.tokens().list(acme.id(), bob.id()).getFirst().revokedAt()).isPresent();
    }

    @Test
    void token_forANonMember_orWithABadScope_isRefused() {
        Tenant acme = tenant("acme");
        User outsider = store.users().create("out@example.org", "Out", Optional.empty());

        assertThatThrownBy(() -> store.tokens().create(acme.id(), outsider.id(), "x", Set.of(), Optional.empty(),
                Optional.empty())).isInstanceOf(StoreNotFoundException.class);
        assertThatThrownBy(() -> store.tokens().create(acme.id(), acme.owner().id(), "x", Set.of("Bad Scope"),
                Optional.empty(), Optional.empty())).isInstanceOf(StoreBadRequestException.class);
    }
}
