package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class TenancyTest extends StoreTestBase {

    @Test
    void organisation_createGetAndFindBySlug() {
        Organisation org = store.organisations().create("acme", "  Acme Ltd ");

        assertThat(org.name()).isEqualTo("Acme Ltd");
        assertThat(org.createdAt()).isEqualTo(START);
        assertThat(store.organisations().get(org.id())).isEqualTo(org);
        assertThat(store.organisations().findBySlug("acme")).contains(org);
        assertThat(store.organisations().findBySlug("other")).isEmpty();
    }

    @Test
    void organisation_takenSlug_isConflict_andBadSlug_isBadRequest() {
        store.organisations().create("acme", "Acme");

        assertThatThrownBy(() -> store.organisations().create("acme", "Another"))
                .isInstanceOf(StoreConflictException.class).hasMessageContaining("acme");
        assertThatThrownBy(() -> store.organisations().create("Not A Slug", "x"))
                .isInstanceOf(StoreBadRequestException.class).hasMessageContaining("Not A Slug");
        assertThatThrownBy(() -> store.organisations().create("ok", " "))
                .isInstanceOf(StoreBadRequestException.class);
    }

    @Test
    void organisation_unknownId_isNotFound() {
        assertThatThrownBy(() -> store.organisations().get(OrgId.parse("00000000-0000-4000-8000-000000000001")))
                .isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void ids_malformedText_isBadRequestNamingIt() {
        assertThatThrownBy(() -> OrgId.parse("1-2-3-4-5"))
                .isInstanceOf(StoreBadRequestException.class).hasMessageContaining("1-2-3-4-5");
    }

    @Test
    void user_emailIsUniqueWithoutCase_andStoredLowerCase() {
        User user = store.users().create("Ada@Example.ORG", "Ada", Optional.empty());

        assertThat(user.email()).isEqualTo("ada@example.org");
        assertThat(user.hasPassword()).isFalse();
        assertThat(store.users().findByEmail("ADA@example.org")).contains(user);
        assertThatThrownBy(() -> store.users().create("ada@example.org", "Other", Optional.empty()))
                .isInstanceOf(StoreConflictException.class);
        assertThatThrownBy(() -> store.users().create("not-an-address", "X", Optional.empty()))
                .isInstanceOf(StoreBadRequestException.class);
    }

    @Test
    void user_get_seesOnlyMembersOfTheOrganisation() {
        Tenant acme = tenant("acme");
        User outsider = store.users().create("outsider@example.org", "Out", Optional.empty());

        assertThat(store.users().get(acme.id(), acme.owner().id()).email()).isEqualTo("owner@acme.example");
        assertThatThrownBy(() -> store.users().get(acme.id(), outsider.id()))
                .isInstanceOf(StoreNotFoundException.class);
        assertThat(store.users().listMembers(acme.id())).extracting(User::id).containsExactly(acme.owner().id());
    }

    @Test
    void membership_addChangeRemove_areAudited() {
        Tenant acme = tenant("acme");
        User bob = member(acme, "bob");

        store.memberships().changeRole(acme.id(), bob.id(), OrgRole.ADMIN, Optional.of(acme.owner().id()));
        assertThat(store.memberships().find(acme.id(), bob.id()).map(Membership::role)).contains(OrgRole.ADMIN);
        store.memberships().remove(acme.id(), bob.id(), Optional.of(acme.owner().id()));

        assertThat(store.memberships().find(acme.id(), bob.id())).isEmpty();
        assertThat(store.audit().list(acme.id(), 10)).extracting(AuditEntry::action)
                .containsExactlyInAnyOrder("membership.add", "membership.add", "membership.role", "membership.remove");
        AuditEntry role = store.audit().list(acme.id(), 10).stream()
                .filter(e -> e.action().equals("membership.role")).findFirst().orElseThrow();
        assertThat(role.actor()).contains(acme.owner().id());
        assertThat(role.resource()).contains(new AuditEntry.Target("user", bob.id().toString()));
        assertThat(role.details().get("to").asText()).isEqualTo("admin");
    }

    @Test
    void membership_addingTwice_isConflict() {
        Tenant acme = tenant("acme");

        assertThatThrownBy(() -> store.memberships().add(acme.id(), acme.owner().id(), OrgRole.MEMBER,
                Optional.empty())).isInstanceOf(StoreConflictException.class);
    }

    @Test
    void membership_lastOwner_cannotBeDemotedOrRemoved() {
        Tenant acme = tenant("acme");

        assertThatThrownBy(() -> store.memberships().changeRole(acme.id(), acme.owner().id(), OrgRole.MEMBER,
                Optional.empty())).isInstanceOf(StoreConflictException.class).hasMessageContaining("last owner");
        assertThatThrownBy(() -> store.memberships().remove(acme.id(), acme.owner().id(), Optional.empty()))
                .isInstanceOf(StoreConflictException.class);

        User second = member(acme, "second");
        store.memberships().changeRole(acme.id(), second.id(), OrgRole.OWNER, Optional.empty());
        store.memberships().remove(acme.id(), acme.owner().id(), Optional.empty());
        assertThat(store.memberships().list(acme.id())).extracting(Membership::userId).containsExactly(second.id());
    }

    @Test
    void membership_ofUser_listsTheUsersOrganisations() {
        Tenant acme = tenant("acme");
        Tenant globex = tenant("globex");
        clock.advance(java.time.Duration.ofSeconds(1));
        store.memberships().add(globex.id(), acme.owner().id(), OrgRole.MEMBER, Optional.empty());

        assertThat(store.memberships().ofUser(acme.owner().id())).extracting(Membership::orgId)
                .containsExactly(acme.id(), globex.id());
    }

    @Test
    void spacesAndProjects_createGetListAndNameConflicts() {
        Tenant acme = tenant("acme");
        Space research = store.spaces().create(acme.id(), "Research");
        Project p1 = store.projects().create(acme.id(), research.id(), "Study");

        assertThat(store.spaces().list(acme.id())).extracting(Space::name).containsExactly("Main", "Research");
        assertThat(store.spaces().get(acme.id(), research.id())).isEqualTo(research);
        assertThat(store.projects().get(acme.id(), p1.id())).isEqualTo(p1);
        assertThat(store.projects().list(acme.id(), research.id())).containsExactly(p1);
        assertThatThrownBy(() -> store.spaces().create(acme.id(), "Research"))
                .isInstanceOf(StoreConflictException.class);
        assertThatThrownBy(() -> store.projects().create(acme.id(), research.id(), "Study"))
                .isInstanceOf(StoreConflictException.class);
        // the same project name in another space is fine
        assertThat(store.projects().create(acme.id(), acme.space().id(), "Study").name()).isEqualTo("Study");
    }

    @Test
    void audit_record_andListNewestFirstWithLimit() {
        Tenant acme = tenant("acme");
        var details = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("ip", "127.0.0.1");
        clock.advance(java.time.Duration.ofSeconds(1));

        AuditEntry entry = store.audit().record(acme.id(), Optional.of(acme.owner().id()), "login.success",
                Optional.empty(), details);

        assertThat(store.audit().list(acme.id(), 1)).containsExactly(entry);
        assertThat(entry.details().get("ip").asText()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> store.audit().record(acme.id(), Optional.empty(), "Bad Action", Optional.empty(),
                details)).isInstanceOf(StoreBadRequestException.class);
    }
}
