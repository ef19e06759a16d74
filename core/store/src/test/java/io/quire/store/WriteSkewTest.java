package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The retry layer against a real serialization failure (SQLSTATE 40001) on PostgreSQL, and on CockroachDB when
 * {@value TestDatabases#COCKROACH_URL_VARIABLE} names one. Not run on H2: there the store runs transactions one at a
 * time, so two transactions cannot both read before either writes.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Backend.class, names = {"POSTGRESQL", "COCKROACHDB"})
class WriteSkewTest extends StoreTestBase {

    /**
     * Write skew: two transactions each demote one of two owners after checking that the other is still an owner.
     * Each check passes on its own snapshot; SERIALIZABLE must fail one of them (SQLSTATE 40001), and its retry must
     * then see the other's commit and refuse, so the organisation keeps an owner. 
     */
    @Test
    void writeSkew_isDetected_andTheRetrySeesTheOtherCommit() throws Exception {
        Tenant acme = tenant("acme");
        User second = member(acme, "second");
        store.memberships().changeRole(acme.id(), second.id(), OrgRole.OWNER, Optional.empty());
        CyclicBarrier bothRead = new CyclicBarrier(2);
        long retriesBefore = store.transactions().retries();

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> a = pool.submit(() -> demote(acme.id(), acme.owner().id(), bothRead));
            Future<Boolean> b = pool.submit(() -> demote(acme.id(), second.id(), bothRead));
            List<Boolean> outcomes = List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));

            assertThat(outcomes).containsExactlyInAnyOrder(true, false);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.memberships().list(acme.id())).filteredOn(m -> m.role() == OrgRole.OWNER).hasSize(1);
        assertThat(store.transactions().retries() - retriesBefore).isGreaterThanOrEqualTo(1);
    }

    private boolean demote(OrgId org, UserId who, CyclicBarrier bothRead) {
        AtomicInteger attempts = new AtomicInteger();
        return store.transactions().inTransaction(c -> {
            long otherOwners = Sql.count(c, "SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'owner'"
                    + " AND user_id <> ?", org, who);
            if (attempts.incrementAndGet() == 1) {
                try {
                    // the first attempts of both transactions read before either writes
                    bothRead.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the other transaction did not arrive", e);
                }
            }
            if (otherOwners == 0) {
                return false;
            }
            Sql.update(c, "UPDATE memberships SET role = 'member' WHERE org_id = ? AND user_id = ?", org, who);
            return true;
        });
    }
}
