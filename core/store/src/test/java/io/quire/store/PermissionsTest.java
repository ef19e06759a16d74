package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.notebook.Notebook;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class PermissionsTest extends StoreTestBase {
    private Tenant acme;
    private User alice;
    private FileEntry notebook;

    @BeforeEach
    void fixtures() {
        acme = tenant("acme");
        alice = member(acme, "alice");
        notebook = store.files().saveNotebook(acme.id(), acme.project().id(), "nb.ipynb", Notebook.empty(),
                acme.owner().id(), SaveOptions.none()).entry();
    }

    private Optional<ResourceRole> role(UserId user, ResourceRef resource) {
        return store.permissions().effectiveRole(acme.id(), user, resource);
    }

    @Test
    void memberWithoutGrants_hasNoRole() {
        assertThat(role(alice.id(), ResourceRef.space(acme.space().id()))).isEmpty();
        assertThat(role(alice.id(), ResourceRef.project(acme.project().id()))).isEmpty();
        assertThat(role(alice.id(), ResourceRef.file(notebook.id()))).isEmpty();
    }

    @Test
    void orgOwnersAndAdmins_ownEverything() {
        store.memberships().changeRole(acme.id(), alice.id(), OrgRole.ADMIN, Optional.empty());

        assertThat(role(acme.owner().id(), ResourceRef.file(notebook.id()))).contains(ResourceRole.OWNER);
        assertThat(role(alice.id(), ResourceRef.project(acme.project().id()))).contains(ResourceRole.OWNER);
    }

    @Test
    void grants_areInheritedSpaceToProjectToFile() {
        store.grants().grant(acme.id(), ResourceRef.space(acme.space().id()), alice.id(), ResourceRole.VIEWER,
                Optional.of(acme.owner().id()));

        assertThat(role(alice.id(), ResourceRef.space(acme.space().id()))).contains(ResourceRole.VIEWER);
        assertThat(role(alice.id(), ResourceRef.project(acme.project().id()))).contains(ResourceRole.VIEWER);
        assertThat(role(alice.id(), ResourceRef.file(notebook.id()))).contains(ResourceRole.VIEWER);
    }

    @Test
    void strongestApplicableGrantWins_andGrantsBelowDoNotRiseAbove() {
        store.grants().grant(acme.id(), ResourceRef.space(acme.space().id()), alice.id(), ResourceRole.VIEWER,
                Optional.empty());
        store.grants().grant(acme.id(), ResourceRef.file(notebook.id()), alice.id(), ResourceRole.EDITOR,
                Optional.empty());
        store.grants().grant(acme.id(), ResourceRef.project(acme.project().id()), alice.id(), ResourceRole.EXECUTOR,
                Optional.empty());

        assertThat(role(alice.id(), ResourceRef.file(notebook.id()))).contains(ResourceRole.EDITOR);
        assertThat(role(alice.id(), ResourceRef.project(acme.project().id()))).contains(ResourceRole.EXECUTOR);
        assertThat(role(alice.id(), ResourceRef.space(acme.space().id()))).contains(ResourceRole.VIEWER);
    }

    @Test
    void grantingAgain_replacesTheRole_andRevokeRemovesIt() {
        ResourceRef project = ResourceRef.project(acme.project().id());
        store.grants().grant(acme.id(), project, alice.id(), ResourceRole.EDITOR, Optional.empty());
        store.grants().grant(acme.id(), project, alice.id(), ResourceRole.COMMENTER, Optional.empty());

        assertThat(store.grants().list(acme.id(), project)).singleElement()
                .extracting(Grant::role).isEqualTo(ResourceRole.COMMENTER);
        store.grants().revoke(acme.id(), project, alice.id(), Optional.of(acme.owner().id()));
        assertThat(role(alice.id(), project)).isEmpty();
        assertThatThrownBy(() -> store.grants().revoke(acme.id(), project, alice.id(), Optional.empty()))
                .isInstanceOf(StoreNotFoundException.class);
        assertThat(store.audit().list(acme.id(), 20)).extracting(AuditEntry::action)
                .contains("grant.set", "grant.revoke");
    }

    @Test
    void grant_toANonMember_orOnAMissingResource_isNotFound() {
        User outsider = store.users().create("out@example.org", "Out", Optional.empty());

        assertThatThrownBy(() -> store.grants().grant(acme.id(), ResourceRef.project(acme.project().id()),
                outsider.id(), ResourceRole.VIEWER, Optional.empty())).isInstanceOf(StoreNotFoundException.class);
        assertThatThrownBy(() -> store.grants().grant(acme.id(),
                ResourceRef.file(FileId.parse("00000000-0000-4000-8000-000000000009")), alice.id(),
                ResourceRole.VIEWER, Optional.empty())).isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void removingAMember_removesTheirGrants() {
        store.grants().grant(acme.id(), ResourceRef.project(acme.project().id()), alice.id(), ResourceRole.EDITOR,
                Optional.empty());
        store.memberships().remove(acme.id(), alice.id(), Optional.empty());

        assertThat(store.grants().list(acme.id(), ResourceRef.project(acme.project().id()))).isEmpty();
        assertThat(role(alice.id(), ResourceRef.project(acme.project().id()))).isEmpty();
    }

    @Test
    void require_isNotFoundWithoutRole_andForbiddenWithAWeakerOne() {
        ResourceRef file = ResourceRef.file(notebook.id());
        assertThatThrownBy(() -> store.permissions().require(acme.id(), alice.id(), file, ResourceRole.VIEWER))
                .isInstanceOf(StoreNotFoundException.class);

        store.grants().grant(acme.id(), file, alice.id(), ResourceRole.EXECUTOR, Optional.empty());

        assertThat(store.permissions().require(acme.id(), alice.id(), file, ResourceRole.COMMENTER))
                .isEqualTo(ResourceRole.EXECUTOR);
        assertThatThrownBy(() -> store.permissions().require(acme.id(), alice.id(), file, ResourceRole.EDITOR))
                .isInstanceOf(StoreForbiddenException.class).hasMessageContaining("executor");
    }

    @Test
    void projectAccess_combinesTheProjectRoleWithFileGrants() {
        FileEntry other = store.files().saveFile(acme.id(), acme.project().id(), "data.csv", new byte[] {1},
                acme.owner().id(), SaveOptions.none()).entry();
        store.grants().grant(acme.id(), ResourceRef.file(notebook.id()), alice.id(), ResourceRole.EDITOR,
                Optional.empty());

        ProjectAccess access = store.permissions().projectAccess(acme.id(), alice.id(), acme.project().id());

        assertThat(access.projectRole()).isEmpty();
        assertThat(access.seesAnything()).isTrue();
        assertThat(access.roleOn(notebook.id())).contains(ResourceRole.EDITOR);
        assertThat(access.roleOn(other.id())).isEmpty();

        store.grants().grant(acme.id(), ResourceRef.project(acme.project().id()), alice.id(), ResourceRole.VIEWER,
                Optional.empty());
        access = store.permissions().projectAccess(acme.id(), alice.id(), acme.project().id());
        assertThat(access.roleOn(other.id())).contains(ResourceRole.VIEWER);
        assertThat(access.roleOn(notebook.id())).contains(ResourceRole.EDITOR);
    }

    @Test
    void roles_formALadder() {
        assertThat(ResourceRole.EXECUTOR.atLeast(ResourceRole.COMMENTER)).isTrue();
        assertThat(ResourceRole.EXECUTOR.atLeast(ResourceRole.EDITOR)).isFalse();
        assertThat(ResourceRole.fromName("Viewer")).isEqualTo(ResourceRole.VIEWER);
        assertThatThrownBy(() -> ResourceRole.fromName("admin")).isInstanceOf(StoreBadRequestException.class);
    }
}
