package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.notebook.Notebook;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class VersionsTest extends StoreTestBase {
    private Tenant acme;
    private final Notebook v1 = Notebooks.cells("a = 1", "b = 2", "c = 3");

    @BeforeEach
    void fixtures() {
        acme = tenant("acme");
    }

    private Version save(Notebook notebook) {
        clock.advance(Duration.ofMinutes(1));
        return store.files().saveNotebook(acme.id(), acme.project().id(), "nb.ipynb", notebook, acme.owner().id(),
                SaveOptions.none()).version();
    }

    private Notebook read(VersionId version) {
        return ((VersionContent.NotebookBody) store.versions().read(acme.id(), version)).notebook();
    }

    @Test
    void everySave_addsAVersion_listedOldestFirst() {
        Version first = save(v1);
        Version second = save(Notebooks.withSource(v1, 0, "a = 10"));

        List<Version> versions = store.versions().list(acme.id(), first.fileId());

        assertThat(versions).containsExactly(first, second);
        assertThat(versions).extracting(Version::seq).containsExactly(1L, 2L);
        assertThat(second.author()).isEqualTo(acme.owner().id());
        assertThat(second.createdAt()).isEqualTo(START.plus(Duration.ofMinutes(2)));
        assertThat(store.versions().get(acme.id(), first.id())).isEqualTo(first);
    }

    @Test
    void read_anyVersion_givesItsContent() {
        Version first = save(v1);
        Notebook changed = Notebooks.withSource(v1, 2, "c = 30");
        save(changed);

        assertThat(read(first.id()).toBytes()).isEqualTo(v1.toBytes());
        assertThat(((VersionContent.NotebookBody) store.files().readHead(acme.id(), first.fileId())).notebook()
                .toBytes()).isEqualTo(changed.toBytes());
    }

    @Test
    void asOf_givesTheLatestVersionCreatedAtOrBeforeTheTime() {
        Version first = save(v1);
        Version second = save(Notebooks.withSource(v1, 0, "a = 10"));
        FileId file = first.fileId();

        assertThat(store.versions().asOf(acme.id(), file, START)).isEmpty();
        assertThat(store.versions().asOf(acme.id(), file, first.createdAt())).contains(first);
        assertThat(store.versions().asOf(acme.id(), file, second.createdAt().minusNanos(1000))).contains(first);
        assertThat(store.versions().asOf(acme.id(), file, second.createdAt().plusSeconds(5))).contains(second);
        assertThat(store.versions().readAsOf(acme.id(), file, first.createdAt().plusSeconds(1)))
                .hasValueSatisfying(c -> assertThat(c.bytes()).isEqualTo(v1.toBytes()));
        assertThat(store.versions().listAsOf(acme.id(), file, first.createdAt().plusSeconds(1)))
                .containsExactly(first);
    }

    @Test
    void asOf_longAgo_answersTheSame() {
        Version first = save(v1);
        clock.advance(Duration.ofHours(1));

        // settled times go through the historical-read path (a plain read on H2 and PostgreSQL)
        assertThat(store.versions().asOf(acme.id(), first.fileId(), first.createdAt())).contains(first);
        assertThat(store.versions().listAsOf(acme.id(), first.fileId(), Instant.now().plusSeconds(3600)))
                .containsExactly(first);
    }

    @Test
    void diff_reportsCellsAddedRemovedChangedAndMoved() {
        Version first = save(v1);
        Notebook next = Notebooks.withSource(v1, 1, "b = 20");
        next = Notebooks.withOutput(next, 2, "new output\n");
        next = Notebooks.reordered(next, 2, 0, 1);
        next = Notebooks.inserted(next, 1, "md1", "# Notes");
        Version second = save(next);
        Version third = save(Notebooks.removed(next, 1));

        VersionDiff diff = store.versions().diff(acme.id(), first.id(), second.id());

        assertThat(diff.contentChanged()).isTrue();
        assertThat(diff.metadataChanged()).isFalse();
        assertThat(diff.added()).containsExactly(new VersionDiff.CellRef("md1", 1));
        assertThat(diff.removed()).isEmpty();
        assertThat(diff.changed()).containsExactlyInAnyOrder(
                new VersionDiff.ChangedCell("c1", 1, 3, true, false),
                new VersionDiff.ChangedCell("c2", 2, 0, false, true));
        assertThat(diff.moved()).containsExactly(new VersionDiff.MovedCell("c2", 2, 0));
        VersionDiff removal = store.versions().diff(acme.id(), second.id(), third.id());
        assertThat(removal.removed()).containsExactly(new VersionDiff.CellRef("md1", 1));
        assertThat(removal.moved()).isEmpty();
        assertThat(removal.changed()).isEmpty();
    }

    @Test
    void diff_ofEqualVersions_isEmpty_andMetadataChangesAreSeen() {
        Version first = save(v1);
        Version same = save(v1);
        Version retitled = save(v1.withMetadata(v1.metadata().put("title", "x")));

        assertThat(store.versions().diff(acme.id(), first.id(), same.id()).isEmpty()).isTrue();
        VersionDiff diff = store.versions().diff(acme.id(), same.id(), retitled.id());
        assertThat(diff.metadataChanged()).isTrue();
        assertThat(diff.changed()).isEmpty();
    }

    @Test
    void diff_acrossFiles_isBadRequest() {
        Version first = save(v1);
        Version other = store.files().saveNotebook(acme.id(), acme.project().id(), "other.ipynb", v1,
                acme.owner().id(), SaveOptions.none()).version();

        assertThatThrownBy(() -> store.versions().diff(acme.id(), first.id(), other.id()))
                .isInstanceOf(StoreBadRequestException.class);
    }

    @Test
    void restore_addsANewVersionEqualToTheOld_andKeepsHistory() {
        Version first = save(v1);
        Version second = save(Notebooks.withSource(v1, 0, "a = 10"));
        clock.advance(Duration.ofMinutes(1));

        Version restored = store.versions().restore(acme.id(), first.id(), acme.owner().id());

        assertThat(restored.seq()).isEqualTo(3);
        assertThat(restored.restoredFrom()).contains(first.id());
        assertThat(restored.sha256()).isEqualTo(first.sha256());
        assertThat(read(restored.id()).toBytes()).isEqualTo(v1.toBytes());
        assertThat(store.versions().list(acme.id(), first.fileId())).extracting(Version::id)
                .containsExactly(first.id(), second.id(), restored.id());
        FileEntry entry = store.files().get(acme.id(), first.fileId());
        assertThat(entry.headVersion()).contains(restored.id());
        assertThat(entry.headSeq()).isEqualTo(3);
        assertThat(store.versions().diff(acme.id(), first.id(), restored.id()).isEmpty()).isTrue();
    }

    @Test
    void name_setsAndClearsAVersionsName() {
        Version first = save(v1);

        assertThat(store.versions().name(acme.id(), first.id(), Optional.of(" Submitted ")).name())
                .contains("Submitted");
        assertThat(store.versions().get(acme.id(), first.id()).name()).contains("Submitted");
        assertThat(store.versions().name(acme.id(), first.id(), Optional.empty()).name()).isEmpty();
        assertThatThrownBy(() -> store.versions().name(acme.id(), first.id(), Optional.of("")))
                .isInstanceOf(StoreBadRequestException.class);
    }

    @Test
    void saveOptions_namedIfFirst_namesOnlyWhileNoVersionHasAName() {
        Version first = store.files().saveNotebook(acme.id(), acme.project().id(), "nb.ipynb", v1,
                acme.owner().id(), SaveOptions.namedIfFirst("checkpoint")).version();
        Version second = store.files().saveNotebook(acme.id(), acme.project().id(), "nb.ipynb", v1,
                acme.owner().id(), SaveOptions.namedIfFirst("checkpoint")).version();

        assertThat(first.name()).contains("checkpoint");
        assertThat(second.name()).isEmpty();
    }

    @Test
    void versionsOfADeletedFile_areGone() {
        Version first = save(v1);
        store.files().delete(acme.id(), acme.project().id(), "nb.ipynb", false);

        assertThatThrownBy(() -> store.versions().get(acme.id(), first.id()))
                .isInstanceOf(StoreNotFoundException.class);
        assertThatThrownBy(() -> store.versions().list(acme.id(), first.fileId()))
                .isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void longestIncreasing_findsTheCellsThatStayedInOrder() {
        assertThat(VersionRepository.longestIncreasing(new int[] {2, 0, 1})).containsExactlyInAnyOrder(1, 2);
        assertThat(VersionRepository.longestIncreasing(new int[] {0, 1, 2})).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(VersionRepository.longestIncreasing(new int[] {})).isEmpty();
    }

    @Test
    void saveFromLog_addsAVersionOnlyForANewerLogSeq_andRecordsIt() {
        Version first = save(v1);
        FileId file = first.fileId();
        Notebook at5 = Notebooks.withSource(v1, 0, "a = 5");
        clock.advance(Duration.ofMinutes(1));

        Optional<SaveResult> written = store.files().saveNotebookFromLog(acme.id(), file, at5, Optional.empty(), 5,
                SaveOptions.none());
        Optional<SaveResult> again = store.files().saveNotebookFromLog(acme.id(), file, at5, Optional.empty(), 5,
                SaveOptions.none());
        Optional<SaveResult> older = store.files().saveNotebookFromLog(acme.id(), file, v1, Optional.empty(), 3,
                SaveOptions.none());

        assertThat(written).hasValueSatisfying(result -> {
            assertThat(result.version().logSeq()).contains(5L);
            assertThat(result.version().seq()).isEqualTo(2);
            assertThat(result.version().author()).isEqualTo(acme.owner().id()); // the head's author when none given
        });
        assertThat(again).isEmpty();
        assertThat(older).isEmpty();
        assertThat(store.versions().list(acme.id(), file)).hasSize(2);
        assertThat(read(written.get().version().id()).toBytes()).isEqualTo(at5.toBytes());
        assertThat(store.versions().lastLogSeq(acme.id(), file)).contains(5L);
        assertThat(store.versions().logSeqAt(acme.id(), file, written.get().version().createdAt())).contains(5L);
        assertThat(store.versions().logSeqAt(acme.id(), file, first.createdAt())).isEmpty();
        assertThat(store.versions().get(acme.id(), written.get().version().id()).logSeq()).contains(5L);
        assertThat(first.logSeq()).isEmpty();
    }

    @Test
    void saveFromLog_ofANewerSeq_afterAnOrdinarySave_isAdded() {
        Version first = save(v1);
        store.files().saveNotebookFromLog(acme.id(), first.fileId(), v1, Optional.empty(), 2, SaveOptions.none());
        save(Notebooks.withSource(v1, 1, "b = 20")); // not from the log: does not count

        assertThat(store.files().saveNotebookFromLog(acme.id(), first.fileId(), v1, Optional.of(acme.owner().id()), 2,
                SaveOptions.none())).isEmpty();
        assertThat(store.files().saveNotebookFromLog(acme.id(), first.fileId(), v1, Optional.of(acme.owner().id()), 3,
                SaveOptions.none())).isPresent();
        assertThatThrownBy(() -> store.files().saveNotebookFromLog(acme.id(), first.fileId(), v1, Optional.empty(),
                -1, SaveOptions.none())).isInstanceOf(IllegalArgumentException.class);
    }
}
