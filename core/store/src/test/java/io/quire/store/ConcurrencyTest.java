package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.notebook.Notebook;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Serialization conflicts on real concurrent transactions, absorbed by the retry layer. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ConcurrencyTest extends StoreTestBase {

    @Override
    StoreConfig.Builder configure(StoreConfig.Builder builder) {
        return builder.clock(java.time.Clock.systemUTC());
    }

    /**
     * Many writers save one notebook at once: every acknowledged save is a version, numbered without gaps or
     * duplicates, and the file's head is the last of them.
     */
    @Test
    void concurrentSavesOfOneFile_loseNoVersion() throws Exception {
        Tenant acme = tenant("acme");
        store.files().saveNotebook(acme.id(), acme.project().id(), "shared.ipynb", Notebooks.cells("start"),
                acme.owner().id(), SaveOptions.none());
        int writers = 6;
        int savesEach = 5;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<VersionId>>> futures = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(writers);
        try {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    List<VersionId> acknowledged = new ArrayList<>();
                    for (int i = 0; i < savesEach; i++) {
                        Notebook notebook = Notebooks.cells("writer " + writer + " save " + i, "shared cell");
                        acknowledged.add(store.files().saveNotebook(acme.id(), acme.project().id(), "shared.ipynb",
                                notebook, acme.owner().id(), SaveOptions.none()).version().id());
                    }
                    return acknowledged;
                }));
            }
            List<VersionId> acknowledged = new ArrayList<>();
            for (Future<List<VersionId>> future : futures) {
                acknowledged.addAll(future.get(120, TimeUnit.SECONDS));
            }

            FileEntry file = store.files().find(acme.id(), acme.project().id(), "shared.ipynb").orElseThrow();
            List<Version> versions = store.versions().list(acme.id(), file.id());
            assertThat(versions).hasSize(1 + writers * savesEach);
            assertThat(versions).extracting(Version::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 1 + writers * savesEach)
                            .boxed().toList());
            assertThat(versions).extracting(Version::id).containsAll(acknowledged);
            assertThat(file.headVersion()).contains(versions.getLast().id());
            assertThat(file.headSeq()).isEqualTo(1 + writers * savesEach);
        } finally {
            pool.shutdownNow();
        }
    }
}
