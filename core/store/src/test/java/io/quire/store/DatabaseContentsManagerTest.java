package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quire.contents.Checkpoint;
import io.quire.contents.ContentFormat;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentType;
import io.quire.contents.ContentsBadRequestException;
import io.quire.contents.ContentsConflictException;
import io.quire.contents.ContentsForbiddenException;
import io.quire.contents.ContentsNotFoundException;
import io.quire.contents.GetOptions;
import io.quire.contents.SaveRequest;
import io.quire.contents.spi.FileEncodings;
import io.quire.notebook.CodeCell;
import io.quire.notebook.MultilineText;
import io.quire.notebook.Notebook;
import io.quire.store.contents.DatabaseContentsManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviours the filesystem backend's tests check, on the database backend (where they apply: there are no
 * symbolic links, permissions bits or temporary files), plus its permission checks.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class DatabaseContentsManagerTest extends StoreTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOTEBOOK = """
            {
             "cells": [
              {
               "cell_type": "code",
               "execution_count": 1,
               "id": "a1",
               "metadata": {"custom": true},
               "outputs": [],
               "source": ["print(1)"]
              }
             ],
             "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}, "x-unknown": 7},
             "nbformat": 4,
             "nbformat_minor": 5
            }
            """;

    private Tenant acme;
    private DatabaseContentsManager contents;

    @BeforeEach
    void fixtures() {
        acme = tenant("acme");
        contents = manager(acme.owner().id(), DatabaseContentsManager.Options.defaults());
    }

    private DatabaseContentsManager manager(UserId user, DatabaseContentsManager.Options options) {
        return DatabaseContentsManager.create(store, acme.id(), acme.project().id(), user, options);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(String path, String text) {
        String parent = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
        if (!parent.isEmpty()) {
            StringBuilder dir = new StringBuilder();
            for (String segment : parent.split("/")) {
                dir.append(dir.isEmpty() ? "" : "/").append(segment);
                contents.save(dir.toString(), SaveRequest.directory());
            }
        }
        contents.save(path, SaveRequest.text(text));
    }

    private String text(String path) {
        return contents.get(path).content().orElseThrow().asText();
    }

    // ---------------------------------------------------------------------------------------------------- get

    @Test
    void get_returnsNotebookAsJsonLosslessly() {
        contents.save("a", SaveRequest.directory());
        contents.save("a/nb.ipynb", SaveRequest.notebook(json(NOTEBOOK)));

        ContentModel model = contents.get("a/nb.ipynb");

        assertThat(model.type()).isEqualTo(ContentType.NOTEBOOK);
        assertThat(model.name()).isEqualTo("nb.ipynb");
        assertThat(model.format()).contains(ContentFormat.JSON);
        assertThat(model.mimetype()).isEmpty();
        assertThat(model.content()).contains(json(NOTEBOOK));
        assertThat(model.size()).contains((long) Notebook.fromJson(json(NOTEBOOK)).toBytes().length);
        assertThat(model.writable()).isTrue();
        assertThat(model.created()).isEqualTo(START);
    }

    @Test
    void get_ofMissingPath_isNotFound() {
        assertThatThrownBy(() -> contents.get("nope/missing.txt"))
                .isInstanceOf(ContentsNotFoundException.class)
                .hasMessageContaining("nope/missing.txt");
    }

    @Test
    void get_textAndBinaryFiles_asJupyterEncodesThem() {
        write("notes.txt", "héllo\n");
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80};
        contents.save("blob", SaveRequest.bytes(binary));
        byte[] image = new byte[100];
        Arrays.fill(image, (byte) 0xff);
        contents.save("img.png", SaveRequest.bytes(image));

        ContentModel notes = contents.get("notes.txt");
        assertThat(notes.format()).contains(ContentFormat.TEXT);
        assertThat(notes.mimetype()).contains("text/plain");
        assertThat(notes.content().map(JsonNode::asText)).contains("héllo\n");
        ContentModel blob = contents.get("blob");
        assertThat(blob.format()).contains(ContentFormat.BASE64);
        assertThat(blob.mimetype()).contains("application/octet-stream");
        assertThat(Base64.getMimeDecoder().decode(blob.content().orElseThrow().asText())).isEqualTo(binary);
        assertThat(text("img.png")).isEqualTo(FileEncodings.encodeBase64(image));
        assertThat(contents.get("img.png").mimetype()).contains("image/png");
    }

    @Test
    void get_withFormatsThatDoNotFit_isBadRequest() {
        contents.save("blob.bin", SaveRequest.bytes(new byte[] {(byte) 0xc3, 0x28}));
        write("t.txt", "abc");

        assertThatThrownBy(() -> contents.get("blob.bin", GetOptions.defaults().withFormat(ContentFormat.TEXT)))
                .isInstanceOf(ContentsBadRequestException.class).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> contents.get("t.txt", GetOptions.defaults().withFormat(ContentFormat.JSON)))
                .isInstanceOf(ContentsBadRequestException.class);
        assertThat(contents.get("t.txt", GetOptions.defaults().withFormat(ContentFormat.BASE64))
                .content().map(JsonNode::asText)).contains("YWJj\n");
    }

    @Test
    void get_withTypesThatDoNotFit_isBadRequest_butANotebookReadsAsAFile() {
        write("t.txt", "abc");
        contents.save("nb.ipynb", SaveRequest.notebook(json(NOTEBOOK)));

        assertThatThrownBy(() -> contents.get("", GetOptions.defaults().withType(ContentType.FILE)))
                .isInstanceOf(ContentsBadRequestException.class).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> contents.get("t.txt", GetOptions.defaults().withType(ContentType.DIRECTORY)))
                .isInstanceOf(ContentsBadRequestException.class).hasMessageContaining("not a directory");
        ContentModel asFile = contents.get("nb.ipynb", GetOptions.defaults().withType(ContentType.FILE));
        assertThat(asFile.type()).isEqualTo(ContentType.FILE);
        assertThat(asFile.content().map(JsonNode::asText))
                .contains(Notebook.fromJson(json(NOTEBOOK)).toJsonString());
    }

    @Test
    void get_ofAFileNamedIpynbThatIsNoNotebook_isBadRequest() {
        write("bad.ipynb", "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": 3}");

        assertThatThrownBy(() -> contents.get("bad.ipynb"))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("bad.ipynb").hasMessageContaining("$.cells");
    }

    @Test
    void get_withoutContent_andWithHash() {
        contents.save("nb.ipynb", SaveRequest.notebook(json(NOTEBOOK)));

        ContentModel bare = contents.get("nb.ipynb", GetOptions.metadataOnly());
        ContentModel hashed = contents.get("nb.ipynb", GetOptions.metadataOnly().withHash(true));

        assertThat(bare.content()).isEmpty();
        assertThat(bare.format()).isEmpty();
        assertThat(bare.hash()).isEmpty();
        assertThat(hashed.hash()).contains(FileEncodings.sha256Hex(Notebook.fromJson(json(NOTEBOOK)).toBytes()));
        assertThat(hashed.hashAlgorithm()).contains("sha256");
    }

    @Test
    void get_directory_listsChildrenWithoutContentSortedByName() {
        write("d/b.txt", "b");
        contents.save("d/a.ipynb", SaveRequest.notebook(json(NOTEBOOK)));
        write("d/sub/x.txt", "x");

        ContentModel dir = contents.get("d");

        assertThat(dir.type()).isEqualTo(ContentType.DIRECTORY);
        assertThat(dir.size()).isEmpty();
        assertThat(dir.children()).extracting(ContentModel::name).containsExactly("a.ipynb", "b.txt", "sub");
        assertThat(dir.children()).extracting(ContentModel::type)
                .containsExactly(ContentType.NOTEBOOK, ContentType.FILE, ContentType.DIRECTORY);
        assertThat(dir.children()).allSatisfy(child -> assertThat(child.content()).isEmpty());
        assertThat(contents.get("").children()).extracting(ContentModel::path).containsExactly("d");
    }

    @Test
    void hiddenAndReservedPaths_areForbidden_andLeftOutOfListings() {
        assertThatThrownBy(() -> contents.save(".secret", SaveRequest.text("s")))
                .isInstanceOf(ContentsForbiddenException.class);
        assertThatThrownBy(() -> contents.get("../outside")).isInstanceOf(ContentsForbiddenException.class);
        assertThatThrownBy(() -> contents.get(".ipynb_checkpoints/x")).isInstanceOf(ContentsForbiddenException.class);

        DatabaseContentsManager permissive = manager(acme.owner().id(),
                DatabaseContentsManager.Options.defaults().withAllowHidden(true));
        permissive.save(".secret", SaveRequest.text("s"));
        write("visible.txt", "v");

        assertThat(contents.get("").children()).extracting(ContentModel::name).containsExactly("visible.txt");
        assertThat(permissive.get("").children()).extracting(ContentModel::name)
                .containsExactly(".secret", "visible.txt");
    }

    @Test
    void exists_reportsFilesAndDirectories() {
        write("d/x.txt", "x");

        assertThat(contents.exists("d")).isTrue();
        assertThat(contents.exists("d/x.txt")).isTrue();
        assertThat(contents.exists("d/y.txt")).isFalse();
        assertThat(contents.exists("")).isTrue();
    }

    // -------------------------------------------------------------------------------------------------- writes

    @Test
    void save_notebook_returnsModelWithoutContent_andCreatesTheFirstCheckpoint() {
        ContentModel model = contents.save("nb.ipynb", SaveRequest.notebook(json(NOTEBOOK)));

        assertThat(model.type()).isEqualTo(ContentType.NOTEBOOK);
        assertThat(model.content()).isEmpty();
        assertThat(contents.get("nb.ipynb").content()).contains(json(NOTEBOOK));
        assertThat(contents.listCheckpoints("nb.ipynb")).hasSize(1);
        contents.save("nb.ipynb", SaveRequest.notebook(json(NOTEBOOK)));
        assertThat(contents.listCheckpoints("nb.ipynb")).hasSize(1);
    }

    @Test
    void save_malformedNotebook_isBadRequestNamingTheJsonPath_andStoresNothing() {
        JsonNode bad = json("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {},"
                + " \"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": 42}]}");

        assertThatThrownBy(() -> contents.save("nb.ipynb", SaveRequest.notebook(bad)))
                .isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("nb.ipynb").hasMessageContaining("$.cells[0]");
        assertThat(contents.exists("nb.ipynb")).isFalse();
    }

    @Test
    void save_textAndBase64_roundTripExactly() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        contents.save("a.txt", SaveRequest.text("line\r\nzwei ü\n"));
        contents.save("all.bin", SaveRequest.bytes(bytes));
        contents.save("again.bin", SaveRequest.base64(text("all.bin")));

        assertThat(text("a.txt")).isEqualTo("line\r\nzwei ü\n");
        assertThat(Base64.getMimeDecoder().decode(text("again.bin"))).isEqualTo(bytes);
        assertThatThrownBy(() -> contents.save("x.bin", SaveRequest.base64("abc")))
                .isInstanceOf(ContentsBadRequestException.class).hasMessageContaining("x.bin");
    }

    @Test
    void save_directory_isIdempotent_andNeedsItsParent() {
        contents.save("d", SaveRequest.directory());
        assertThat(contents.save("d", SaveRequest.directory()).type()).isEqualTo(ContentType.DIRECTORY);

        assertThatThrownBy(() -> contents.save("no/such/a.txt", SaveRequest.text("x")))
                .isInstanceOf(ContentsNotFoundException.class).hasMessageContaining("no/such");
        assertThatThrownBy(() -> contents.save("d", SaveRequest.text("x")))
                .isInstanceOf(ContentsBadRequestException.class);
        assertThatThrownBy(() -> contents.save("", SaveRequest.text("x")))
                .isInstanceOf(ContentsBadRequestException.class);
    }

    @Test
    void newUntitled_namesEntriesAsJupyter() {
        contents.save("sub", SaveRequest.directory());

        assertThat(contents.newUntitled("", Optional.of(ContentType.NOTEBOOK), "").name()).isEqualTo("Untitled.ipynb");
        assertThat(contents.newUntitled("", Optional.empty(), ".ipynb").name()).isEqualTo("Untitled1.ipynb");
        assertThat(contents.newUntitled("", Optional.empty(), ".txt").name()).isEqualTo("untitled.txt");
        assertThat(contents.newUntitled("", Optional.empty(), "md").name()).isEqualTo("untitled.md");
        assertThat(contents.newUntitled("sub", Optional.of(ContentType.DIRECTORY), "").path())
                .isEqualTo("sub/Untitled Folder");
        assertThat(contents.newUntitled("sub", Optional.of(ContentType.DIRECTORY), "").name())
                .isEqualTo("Untitled Folder 1");
        assertThat(contents.get("Untitled.ipynb").content().orElseThrow().get("cells")).isEmpty();
        assertThatThrownBy(() -> contents.newUntitled("missing", Optional.empty(), ".txt"))
                .isInstanceOf(ContentsNotFoundException.class);
    }

    @Test
    void copy_namesCopiesAsJupyter_andRefusesAnExistingFullTarget() {
        contents.save("d", SaveRequest.directory());
        contents.save("d/nb.ipynb", SaveRequest.notebook(json(NOTEBOOK)));
        contents.save("data.tar.gz", SaveRequest.bytes(new byte[] {1, 2}));
        write("a.txt", "a");
        contents.save("other", SaveRequest.directory());

        assertThat(contents.copy("d/nb.ipynb").path()).isEqualTo("d/nb-Copy1.ipynb");
        assertThat(contents.copy("d/nb.ipynb", "d").name()).isEqualTo("nb-Copy2.ipynb");
        assertThat(contents.copy("d/nb-Copy1.ipynb").name()).isEqualTo("nb-Copy3.ipynb");
        assertThat(contents.get("d/nb-Copy3.ipynb").content()).contains(json(NOTEBOOK));
        assertThat(contents.copy("data.tar.gz").name()).isEqualTo("data-Copy1.tar.gz");
        assertThat(contents.copy("a.txt", "other").path()).isEqualTo("other/a.txt");
        assertThat(contents.copy("a.txt", "b.txt").path()).isEqualTo("b.txt");
        assertThat(text("b.txt")).isEqualTo("a");
        assertThatThrownBy(() -> contents.copy("a.txt", "b.txt")).isInstanceOf(ContentsConflictException.class);
        assertThatThrownBy(() -> contents.copy("none.txt")).isInstanceOf(ContentsNotFoundException.class);
    }

    @Test
    void copy_directory_copiesTheTree_butNotIntoItself() {
        write("data/x/y.txt", "y");

        ContentModel copy = contents.copy("data", "");

        assertThat(copy.path()).isEqualTo("data-Copy1");
        assertThat(copy.type()).isEqualTo(ContentType.DIRECTORY);
        assertThat(text("data-Copy1/x/y.txt")).isEqualTo("y");
        assertThatThrownBy(() -> contents.copy("data", "data")).isInstanceOf(ContentsBadRequestException.class);
    }

    @Test
    void rename_movesTheEntryWithItsCheckpoints_andDirectoriesWithTheirContent() {
        contents.save("a.ipynb", SaveRequest.notebook(json(NOTEBOOK)));
        contents.save("sub", SaveRequest.directory());
        write("dir/inner/x.txt", "x");

        ContentModel moved = contents.rename("a.ipynb", "sub/b.ipynb");
        contents.rename("dir", "sub/dir2");

        assertThat(moved.path()).isEqualTo("sub/b.ipynb");
        assertThat(moved.content()).isEmpty();
        assertThat(contents.exists("a.ipynb")).isFalse();
        assertThat(contents.listCheckpoints("a.ipynb")).isEmpty();
        assertThat(contents.listCheckpoints("sub/b.ipynb")).hasSize(1);
        assertThat(text("sub/dir2/inner/x.txt")).isEqualTo("x");
        assertThat(contents.exists("dir")).isFalse();
    }

    @Test
    void rename_conflictsMissingSourcesAndMovesIntoItself_areRefused() {
        write("a.txt", "a");
        write("b.txt", "b");
        contents.save("d", SaveRequest.directory());

        assertThatThrownBy(() -> contents.rename("a.txt", "b.txt"))
                .isInstanceOf(ContentsConflictException.class).hasMessageContaining("b.txt");
        assertThat(text("b.txt")).isEqualTo("b");
        assertThatThrownBy(() -> contents.rename("x.txt", "y.txt")).isInstanceOf(ContentsNotFoundException.class);
        assertThatThrownBy(() -> contents.rename("d", "d/e")).isInstanceOf(ContentsBadRequestException.class);
        assertThat(contents.rename("a.txt", "a.txt").path()).isEqualTo("a.txt");
    }

    @Test
    void delete_removesFilesAndEmptyDirectories_butNotNonEmptyOnes() {
        write("a.txt", "a");
        contents.createCheckpoint("a.txt");
        write("d/a.txt", "a");
        contents.save("empty", SaveRequest.directory());

        contents.delete("a.txt");
        contents.delete("empty");

        assertThat(contents.exists("a.txt")).isFalse();
        assertThat(contents.listCheckpoints("a.txt")).isEmpty();
        assertThat(contents.exists("empty")).isFalse();
        assertThatThrownBy(() -> contents.delete("d")).isInstanceOf(ContentsBadRequestException.class)
                .hasMessageContaining("not empty");
        manager(acme.owner().id(), DatabaseContentsManager.Options.defaults().withAlwaysDeleteDir(true)).delete("d");
        assertThat(contents.exists("d/a.txt")).isFalse();
        assertThatThrownBy(() -> contents.delete("")).isInstanceOf(ContentsBadRequestException.class);
        assertThatThrownBy(() -> contents.delete("x")).isInstanceOf(ContentsNotFoundException.class);
    }

    // --------------------------------------------------------------------------------------------- checkpoints

    @Test
    void checkpoints_areNamedVersions_restoreKeepsThem() {
        write("a.txt", "original");
        Checkpoint checkpoint = contents.createCheckpoint("a.txt");
        clock.advance(Duration.ofMinutes(1));
        contents.save("a.txt", SaveRequest.text("changed"));

        assertThat(checkpoint.lastModified()).isEqualTo(START);
        assertThat(contents.listCheckpoints("a.txt")).containsExactly(checkpoint);
        contents.restoreCheckpoint("a.txt", checkpoint.id());

        assertThat(text("a.txt")).isEqualTo("original");
        assertThat(contents.listCheckpoints("a.txt")).containsExactly(checkpoint);
        FileEntry entry = store.files().find(acme.id(), acme.project().id(), "a.txt").orElseThrow();
        assertThat(store.versions().list(acme.id(), entry.id())).hasSize(3);
    }

    @Test
    void checkpoints_unknownOrDeleted_areNotFound() {
        write("a.txt", "original");
        Checkpoint checkpoint = contents.createCheckpoint("a.txt");

        assertThatThrownBy(() -> contents.restoreCheckpoint("a.txt", "other"))
                .isInstanceOf(ContentsNotFoundException.class).hasMessageContaining("a.txt");
        contents.deleteCheckpoint("a.txt", checkpoint.id());
        assertThat(contents.listCheckpoints("a.txt")).isEmpty();
        assertThatThrownBy(() -> contents.deleteCheckpoint("a.txt", checkpoint.id()))
                .isInstanceOf(ContentsNotFoundException.class);
        assertThat(contents.listCheckpoints("missing.txt")).isEmpty();
        assertThatThrownBy(() -> contents.createCheckpoint("nope.ipynb"))
                .isInstanceOf(ContentsNotFoundException.class);
        contents.save("d", SaveRequest.directory());
        assertThatThrownBy(() -> contents.createCheckpoint("d")).isInstanceOf(ContentsBadRequestException.class);
    }

    // ------------------------------------------------------------------------------------------------ versions

    @Test
    void versionsByPath_listReadRestoreName_andReadAsOf() {
        write("v.txt", "one");
        clock.advance(Duration.ofMinutes(1));
        write("v.txt", "two");
        var versions = contents.versions("v.txt");
        assertThat(versions).extracting(Version::seq).containsExactly(1L, 2L);
        VersionId first = versions.getFirst().id();

        assertThat(contents.version("v.txt", first)).contains(versions.getFirst());
        assertThat(contents.readVersion("v.txt", first).bytes()).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
        assertThat(contents.diffVersions("v.txt", first, versions.get(1).id()).contentChanged()).isTrue();
        assertThat(contents.readAsOf("v.txt", versions.getFirst().createdAt().plusSeconds(30)).orElseThrow()
                .version()).isEqualTo(versions.getFirst());
        assertThat(contents.readAsOf("v.txt", versions.getFirst().createdAt().minusSeconds(1))).isEmpty();

        Version restored = contents.restoreVersion("v.txt", first);
        assertThat(restored.seq()).isEqualTo(3);
        assertThat(text("v.txt")).isEqualTo("one");
        assertThat(contents.nameVersion("v.txt", first, Optional.of("kept")).name()).contains("kept");
    }

    @Test
    void versionsByPath_ofAnotherFileOrUnknown_areNotFound_andDirectoriesHaveNone() {
        write("a.txt", "a");
        write("b.txt", "b");
        VersionId ofB = contents.versions("b.txt").getFirst().id();

        assertThat(contents.version("a.txt", ofB)).isEmpty();
        assertThat(contents.version("a.txt", new VersionId(java.util.UUID.randomUUID()))).isEmpty();
        assertThatThrownBy(() -> contents.restoreVersion("a.txt", ofB)).isInstanceOf(ContentsNotFoundException.class);
        assertThatThrownBy(() -> contents.readVersion("a.txt", ofB)).isInstanceOf(ContentsNotFoundException.class);
        assertThatThrownBy(() -> contents.versions("none.txt")).isInstanceOf(ContentsNotFoundException.class);
        contents.save("dir", SaveRequest.directory());
        assertThatThrownBy(() -> contents.versions("dir")).isInstanceOf(ContentsBadRequestException.class);
        assertThat(contents.versions("a.txt")).hasSize(1);
    }

    @Test
    void versionsByPath_viewerReads_butMayNotRestoreOrName() {
        write("a.txt", "a");
        User viewer = member(acme, "viewer");
        store.grants().grant(acme.id(), ResourceRef.project(acme.project().id()), viewer.id(), ResourceRole.VIEWER,
                Optional.empty());
        DatabaseContentsManager asViewer = manager(viewer.id(), DatabaseContentsManager.Options.defaults());
        VersionId first = asViewer.versions("a.txt").getFirst().id();

        assertThatThrownBy(() -> asViewer.restoreVersion("a.txt", first))
                .isInstanceOf(ContentsForbiddenException.class).hasMessageContaining("viewer");
        assertThatThrownBy(() -> asViewer.nameVersion("a.txt", first, Optional.of("x")))
                .isInstanceOf(ContentsForbiddenException.class);
        assertThat(contents.versions("a.txt")).hasSize(1);
    }

    // --------------------------------------------------------------------------------------------- permissions

    @Test
    void viewer_readsButCannotWrite() {
        write("a.txt", "a");
        User viewer = member(acme, "viewer");
        store.grants().grant(acme.id(), ResourceRef.project(acme.project().id()), viewer.id(), ResourceRole.VIEWER,
                Optional.empty());
        DatabaseContentsManager asViewer = manager(viewer.id(), DatabaseContentsManager.Options.defaults());

        assertThat(asViewer.get("a.txt").content().map(JsonNode::asText)).contains("a");
        assertThat(asViewer.get("a.txt").writable()).isFalse();
        assertThatThrownBy(() -> asViewer.save("a.txt", SaveRequest.text("b")))
                .isInstanceOf(ContentsForbiddenException.class).hasMessageContaining("viewer");
        assertThatThrownBy(() -> asViewer.save("new.txt", SaveRequest.text("b")))
                .isInstanceOf(ContentsForbiddenException.class);
        assertThatThrownBy(() -> asViewer.delete("a.txt")).isInstanceOf(ContentsForbiddenException.class);
        assertThat(text("a.txt")).isEqualTo("a");
    }

    @Test
    void executor_savesNewOutputs_butNoOtherChange() {
        contents.save("run.ipynb", SaveRequest.notebook(json(NOTEBOOK)));
        User executor = member(acme, "executor");
        store.grants().grant(acme.id(), ResourceRef.project(acme.project().id()), executor.id(),
                ResourceRole.EXECUTOR, Optional.empty());
        DatabaseContentsManager asExecutor = manager(executor.id(), DatabaseContentsManager.Options.defaults());
        Notebook stored = Notebook.fromJson(asExecutor.get("run.ipynb").content().orElseThrow());
        CodeCell cell = (CodeCell) stored.cell(0);
        Notebook ran = stored.withCells(List.of(cell.withExecutionCount(Optional.of(7))
                .withOutputs(Notebook.fromJson(json(NOTEBOOK.replace("\"outputs\": []", "\"outputs\": [{\"name\":"
                        + " \"stdout\", \"output_type\": \"stream\", \"text\": [\"1\\n\"]}]")))
                        .cells().stream().map(CodeCell.class::cast).findFirst().orElseThrow().outputs())));

        asExecutor.saveOutputs("run.ipynb", ran);
        assertThat(contents.get("run.ipynb").content().orElseThrow().toString()).contains("stdout")
                .contains("\"execution_count\":7");
        assertThat(contents.versions("run.ipynb")).hasSize(2).anyMatch(version -> version.author().equals(executor.id()));

        Notebook edited = ran.withCells(List.of(((CodeCell) ran.cell(0)).withSource(
                MultilineText.of("print(2)"))));
        assertThatThrownBy(() -> asExecutor.saveOutputs("run.ipynb", edited))
                .isInstanceOf(ContentsForbiddenException.class).hasMessageContaining("only the outputs");
        assertThatThrownBy(() -> asExecutor.save("run.ipynb", SaveRequest.notebook(ran)))
                .isInstanceOf(ContentsForbiddenException.class);
        assertThat(contents.get("run.ipynb").content().orElseThrow().toString()).contains("print(1)")
                .doesNotContain("print(2)");
        // a viewer may not even save outputs
        User viewer = member(acme, "viewer");
        store.grants().grant(acme.id(), ResourceRef.project(acme.project().id()), viewer.id(), ResourceRole.VIEWER,
                Optional.empty());
        assertThatThrownBy(() -> manager(viewer.id(), DatabaseContentsManager.Options.defaults())
                .saveOutputs("run.ipynb", ran)).isInstanceOf(ContentsForbiddenException.class);
    }

    @Test
    void memberWithAFileGrant_seesOnlyThatFile() {
        write("shared.txt", "s");
        write("private.txt", "p");
        User guest = member(acme, "guest");
        FileEntry shared = store.files().find(acme.id(), acme.project().id(), "shared.txt").orElseThrow();
        store.grants().grant(acme.id(), ResourceRef.file(shared.id()), guest.id(), ResourceRole.EDITOR,
                Optional.empty());
        DatabaseContentsManager asGuest = manager(guest.id(), DatabaseContentsManager.Options.defaults());

        assertThat(asGuest.get("").children()).extracting(ContentModel::name).containsExactly("shared.txt");
        asGuest.save("shared.txt", SaveRequest.text("edited"));
        assertThat(text("shared.txt")).isEqualTo("edited");
        assertThatThrownBy(() -> asGuest.get("private.txt")).isInstanceOf(ContentsNotFoundException.class);
        assertThat(asGuest.exists("private.txt")).isFalse();
    }

    @Test
    void outsiders_cannotOpenTheProject() {
        User stranger = store.users().create("stranger@example.org", "Stranger", Optional.empty());
        Tenant other = tenant("other");

        assertThatThrownBy(() -> manager(stranger.id(), DatabaseContentsManager.Options.defaults()))
                .isInstanceOf(StoreNotFoundException.class);
        assertThatThrownBy(() -> DatabaseContentsManager.create(store, other.id(), acme.project().id(),
                other.owner().id(), DatabaseContentsManager.Options.defaults()))
                .isInstanceOf(StoreNotFoundException.class);
    }

    @Test
    void modelsAsJson_haveEveryJupyterField() {
        write("x.txt", "x");

        JsonNode json = contents.get("x.txt", GetOptions.metadataOnly()).toJson();

        assertThat(json.get("size").asLong()).isEqualTo(1);
        assertThat(json.get("type").asText()).isEqualTo("file");
        assertThat(ContentModel.create(json)).isEqualTo(contents.get("x.txt", GetOptions.metadataOnly()));
        assertThat(new String(contents.get("x.txt").content().orElseThrow().asText()
                .getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo("x");
    }
}
