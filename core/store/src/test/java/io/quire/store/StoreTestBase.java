package io.quire.store;

import io.quire.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

/**
 * A fresh store per test on the backend the parameterised class runs with, with a mutable clock, and helpers that
 * make the usual tenancy fixtures. Concrete classes are annotated {@code @ParameterizedClass} and
 * {@code @EnumSource(Backend.class)}, so every test runs on H2, on PostgreSQL, and on CockroachDB when
 * {@value TestDatabases#COCKROACH_URL_VARIABLE} names one (otherwise the CockroachDB invocation of the class is
 * skipped as a whole, with the reason).
 *
 * <p>On CockroachDB the historical-read lag is set beyond any time the mutable clock reaches: {@code AS OF SYSTEM
 * TIME} is taken from the store's clock, and the server refuses a system time before the test's database existed
 * (the clock starts in January 2026) or in its future. The historical reads themselves are tested with the real
 * clock in {@code CockroachDbTest}.
 */
abstract class StoreTestBase {
    static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

    @Parameter
    Backend backend;

    final MutableClock clock = new MutableClock(START);
    Store store;

    /** Skips the whole invocation of the class for a backend that is not available (CockroachDB without a URL). */
    @BeforeParameterizedClassInvocation
    static void requireBackend(Backend backend) {
        TestDatabases.requireAvailable(backend);
    }

    @BeforeEach
    void openStore() {
        StoreConfig.Builder config = TestDatabases.config(backend).clock(clock);
        if (backend == Backend.COCKROACHDB) {
            config.historicalReadLag(Duration.ofDays(365L * 1000));
        }
        store = Store.open(configure(config).build());
    }

    /** Lets a test class change the configuration. */
    StoreConfig.Builder configure(StoreConfig.Builder builder) {
        return builder;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** An organisation with a new owner; the owner and org are returned as a pair. */
    Tenant tenant(String slug) {
        Organisation org = store.organisations().create(slug, "Org " + slug);
        User owner = store.users().create("owner@" + slug + ".example", "Owner of " + slug, Optional.empty());
        store.memberships().add(org.id(), owner.id(), OrgRole.OWNER, Optional.empty());
        Space space = store.spaces().create(org.id(), "Main");
        Project project = store.projects().create(org.id(), space.id(), "Analysis");
        return new Tenant(org, owner, space, project);
    }

    /** A new member of an organisation. */
    User member(Tenant tenant, String name) {
        User user = store.users().create(name + "@" + tenant.org().slug() + ".example", name, Optional.empty());
        store.memberships().add(tenant.org().id(), user.id(), OrgRole.MEMBER, Optional.of(tenant.owner().id()));
        return user;
    }

    /** An organisation with its owner, a space and a project in it. */
    record Tenant(Organisation org, User owner, Space space, Project project) {
        OrgId id() {
            return org.id();
        }
    }
}
