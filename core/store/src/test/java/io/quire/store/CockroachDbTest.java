package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only CockroachDB does, against a real server named by {@value TestDatabases#COCKROACH_URL_VARIABLE}: the
 * dialect is detected from the version string, and historical reads run {@code AS OF SYSTEM TIME} (with the real
 * clock, which the server's system time must agree with). Skipped without the variable, on CI too (no CockroachDB
 * is installed there); the SQL itself is pinned by {@link DialectTest}, and the shared suites run on CockroachDB as
 * their {@link Backend#COCKROACHDB} invocation.
 */
class CockroachDbTest {
    private static final Duration LAG = Duration.ofMillis(500);

    private Store store;

    @BeforeEach
    void openStore() {
        TestDatabases.requireAvailable(Backend.COCKROACHDB);
        // no dialect configured: it must be detected from SELECT version()
        store = Store.open(TestDatabases.config(Backend.COCKROACHDB).historicalReadLag(LAG).build());
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void open_detectsCockroachDb_fromItsVersionString() {
        assertThat(store.dialect()).isEqualTo(DialectKind.COCKROACHDB);
    }

    /**
     * A historical read sees the data as it was at the system time it names, not as it is: an organisation created
     * after that time is not there in it, and is in an ordinary transaction.
     */
    @Test
    void historicalRead_seesThePast_throughAsOfSystemTime() throws InterruptedException {
        Thread.sleep(1000); // the migrations' schema must exist at the time read
        Instant before = Instant.now();
        Thread.sleep(500);
        OrgId org = store.organisations().create("acme", "Acme").id();

        long then = store.transactions().historicalRead(before,
                c -> Sql.count(c, "SELECT COUNT(*) FROM organisations WHERE id = ?", org));
        long now = store.transactions().inTransaction(
                c -> Sql.count(c, "SELECT COUNT(*) FROM organisations WHERE id = ?", org));

        assertThat(then).isZero();
        assertThat(now).isEqualTo(1);
    }

    /** Reading a file as of a settled time goes through {@code AS OF SYSTEM TIME} and gives that time's content. */
    @Test
    void readAsOf_aSettledTime_givesThatTimesVersion() throws InterruptedException {
        OrgId org = store.organisations().create("acme", "Acme").id();
        User owner = store.users().create("owner@acme.example", "Owner", Optional.empty());
        store.memberships().add(org, owner.id(), OrgRole.OWNER, Optional.empty());
        Space space = store.spaces().create(org, "Main");
        Project project = store.projects().create(org, space.id(), "Analysis");
        SaveResult first = store.files().saveFile(org, project.id(), "a.txt", bytes("one"), owner.id(),
                SaveOptions.none());
        Thread.sleep(LAG.multipliedBy(3).toMillis());
        Instant between = Instant.now();
        Thread.sleep(LAG.multipliedBy(3).toMillis());
        store.files().saveFile(org, project.id(), "a.txt", bytes("two"), owner.id(), SaveOptions.none());

        // between is older than twice the lag now, so the read is historical
        assertThat(store.versions().readAsOf(org, first.entry().id(), between).orElseThrow().bytes())
                .isEqualTo(bytes("one"));
        assertThat(store.versions().asOf(org, first.entry().id(), between)).contains(first.version());
        assertThat(store.versions().listAsOf(org, first.entry().id(), Instant.now())).hasSize(2);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
