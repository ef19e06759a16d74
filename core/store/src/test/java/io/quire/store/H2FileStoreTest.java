package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desktop's store: an H2 file under the user's data directory. */
class H2FileStoreTest {

    @Test
    void open_h2FileDatabase_keepsDataAcrossRestarts(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("quire");
        try (Store store = Store.open(StoreConfig.builder(url).build())) {
            assertThat(store.dialect()).isEqualTo(DialectKind.H2);
            store.users().create("ada@example.org", "Ada", Optional.empty());
        }
        try (Store store = Store.open(StoreConfig.builder(url).build())) {
            assertThat(store.migrationsApplied()).isZero();
            assertThat(store.users().findByEmail("ada@example.org")).isPresent();
        }
    }
}
