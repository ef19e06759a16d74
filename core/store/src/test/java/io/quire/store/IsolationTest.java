package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Organisation B, knowing every id of organisation A, can read none of it: every attempt is "not found". */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class IsolationTest extends StoreTestBase {
    private Tenant a;
    private Tenant b;
    private FileEntry file;
    private Version version;
    private CreatedToken token;

    @BeforeEach
    void fixtures() {
        a = tenant("org-a");
        b = tenant("org-b");
        SaveResult saved = store.files().saveNotebook(a.id(), a.project().id(), "secret.ipynb",
                Notebooks.cells("secret = 42"), a.owner().id(), SaveOptions.none());
        file = saved.entry();
        version = saved.version();
        token = store.tokens().create(a.id(), a.owner().id(), "a's", Set.of(), Optional.empty(), Optional.empty());
    }

    private void notFound(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void readsByIdWithAnotherOrganisation_areNotFound() {
        notFound(() -> store.spaces().get(b.id(), a.space().id()));
        notFound(() -> store.projects().get(b.id(), a.project().id()));
        notFound(() -> store.users().get(b.id(), a.owner().id()));
        notFound(() -> store.files().get(b.id(), file.id()));
        notFound(() -> store.files().readHead(b.id(), file.id()));
        notFound(() -> store.files().list(b.id(), a.project().id(), ""));
        notFound(() -> store.versions().get(b.id(), version.id()));
        notFound(() -> store.versions().read(b.id(), version.id()));
        notFound(() -> store.versions().list(b.id(), file.id()));
        notFound(() -> store.versions().asOf(b.id(), file.id(), START.plus(Duration.ofDays(1))));
        notFound(() -> store.versions().listAsOf(b.id(), file.id(), START.plus(Duration.ofDays(1))));
        notFound(() -> store.versions().diff(b.id(), version.id(), version.id()));
    }

    @Test
    void lookupsByPathAndListingsWithAnotherOrganisation_findNothing() {
        assertThat(store.files().find(b.id(), a.project().id(), "secret.ipynb")).isEmpty();
        assertThat(store.projects().list(b.id(), a.space().id())).isEmpty();
        assertThat(store.grants().list(b.id(), ResourceRef.file(file.id()))).isEmpty();
        assertThat(store.tokens().list(b.id(), a.owner().id())).isEmpty();
        assertThat(store.audit().list(b.id(), 100)).extracting(AuditEntry::orgId).containsOnly(b.id());
        assertThat(store.memberships().list(b.id())).extracting(Membership::userId).doesNotContain(a.owner().id());
    }

    @Test
    void writesWithAnotherOrganisation_areNotFound_andChangeNothing() {
        notFound(() -> store.files().saveNotebook(b.id(), a.project().id(), "secret.ipynb", Notebooks.cells("x"),
                b.owner().id(), SaveOptions.none()));
        notFound(() -> store.files().delete(b.id(), a.project().id(), "secret.ipynb", false));
        notFound(() -> store.files().move(b.id(), a.project().id(), "secret.ipynb", "mine.ipynb", b.owner().id()));
        notFound(() -> store.files().createDirectory(b.id(), a.project().id(), "d", b.owner().id()));
        notFound(() -> store.versions().restore(b.id(), version.id(), b.owner().id()));
        notFound(() -> store.versions().name(b.id(), version.id(), Optional.of("mine")));
        notFound(() -> store.tokens().revoke(b.id(), token.token().id(), Optional.empty()));
        notFound(() -> store.projects().create(b.id(), a.space().id(), "Mine"));
        notFound(() -> store.grants().grant(b.id(), ResourceRef.file(file.id()), b.owner().id(),
                ResourceRole.OWNER, Optional.empty()));

        assertThat(store.versions().list(a.id(), file.id())).containsExactly(version);
        assertThat(store.tokens().verify(token.secret())).isPresent();
        assertThat(store.files().get(a.id(), file.id()).path()).isEqualTo("secret.ipynb");
    }

    @Test
    void ownersOfAnotherOrganisation_haveNoRoleHere() {
        assertThat(store.permissions().effectiveRole(b.id(), b.owner().id(), ResourceRef.file(file.id()))).isEmpty();
        assertThat(store.permissions().effectiveRole(a.id(), b.owner().id(), ResourceRef.file(file.id()))).isEmpty();
        assertThat(store.permissions().projectAccess(a.id(), b.owner().id(), a.project().id()).seesAnything())
                .isFalse();
    }

    @Test
    void contentBlobs_areNotSharedAcrossOrganisations() {
        SaveResult same = store.files().saveNotebook(b.id(), b.project().id(), "copy.ipynb",
                Notebooks.cells("secret = 42"), b.owner().id(), SaveOptions.none());

        // equal content is stored again for B: no row of A is referenced from B
        assertThat(same.blobsWritten()).isEqualTo(3);
    }
}
