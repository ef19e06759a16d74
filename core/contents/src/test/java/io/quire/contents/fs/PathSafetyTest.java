package io.quire.contents.fs;

import static io.quire.contents.fs.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.quire.contents.ContentModel;
import io.quire.contents.ContentsForbiddenException;
import io.quire.contents.SaveRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathSafetyTest {
    @TempDir
    Path temp;

    private Path root;
    private Path outside;
    private FileContentsManager contents;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectory(temp.resolve("root"));
        outside = Files.createDirectory(temp.resolve("outside"));
        write(outside.resolve("secret.txt"), "secret");
        write(root.resolve("a/inside.txt"), "inside");
        contents = FileContentsManager.create(root);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside/secret.txt", "a/../../outside/secret.txt", "/etc/passwd", "a\u0000b",
        "..\\outside\\secret.txt", "C:/Windows", ".."})
    void get_refusesPathEscapingRoot(String path) {
        assertThatThrownBy(() -> contents.get(path))
                .isInstanceOf(ContentsForbiddenException.class)
                .extracting(e -> ((ContentsForbiddenException) e).code()).isEqualTo("contents.forbidden");
    }

    @Test
    void save_refusesPathEscapingRoot() {
        assertThatThrownBy(() -> contents.save("../outside/new.txt", SaveRequest.text("x")))
                .isInstanceOf(ContentsForbiddenException.class);
        assertThat(outside.resolve("new.txt")).doesNotExist();
    }

    @Test
    void get_normalisesDotSegmentsThatStayInside() {
        assertThat(contents.get("a/./../a//inside.txt").path()).isEqualTo("a/inside.txt");
    }

    @Test
    void get_refusesSymlinkPointingOutside() throws Exception {
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("secret.txt"), outside.resolve("secret.txt"));

        assertThatThrownBy(() -> contents.get("escape/secret.txt")).isInstanceOf(ContentsForbiddenException.class);
        assertThatThrownBy(() -> contents.get("secret.txt")).isInstanceOf(ContentsForbiddenException.class);
        assertThatThrownBy(() -> contents.save("escape/new.txt", SaveRequest.text("x")))
                .isInstanceOf(ContentsForbiddenException.class);
        assertThat(outside.resolve("new.txt")).doesNotExist();
    }

    @Test
    void save_refusesDanglingSymlinkThatWouldCreateAFileOutside() throws Exception {
        Files.createSymbolicLink(root.resolve("dangling.txt"), outside.resolve("created.txt"));

        assertThatThrownBy(() -> contents.save("dangling.txt", SaveRequest.text("x")))
                .isInstanceOf(ContentsForbiddenException.class);
        assertThat(outside.resolve("created.txt")).doesNotExist();
    }

    @Test
    void get_allowsSymlinkPointingInside() throws Exception {
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("a"));

        assertThat(contents.get("alias/inside.txt").content().map(JsonNode::asText)).contains("inside");
    }

    @Test
    void save_throughSymlinkInside_keepsTheLink() throws Exception {
        Files.createSymbolicLink(root.resolve("link.txt"), root.resolve("a/inside.txt"));

        contents.save("link.txt", SaveRequest.text("updated"));

        assertThat(Files.isSymbolicLink(root.resolve("link.txt"))).isTrue();
        assertThat(Files.readString(root.resolve("a/inside.txt"))).isEqualTo("updated");
    }

    @Test
    void listing_leavesOutSymlinksPointingOutside() throws Exception {
        Files.createSymbolicLink(root.resolve("escape"), outside);

        assertThat(contents.get("").children()).extracting(ContentModel::name).containsExactly("a");
    }

    @Test
    void hiddenFiles_areRefused() {
        write(root.resolve(".env"), "TOKEN=1");
        write(root.resolve(".config/x.txt"), "x");

        assertThatThrownBy(() -> contents.get(".env")).isInstanceOf(ContentsForbiddenException.class);
        assertThatThrownBy(() -> contents.get(".config/x.txt")).isInstanceOf(ContentsForbiddenException.class);
        assertThatThrownBy(() -> contents.save(".bashrc", SaveRequest.text("x")))
                .isInstanceOf(ContentsForbiddenException.class);
        assertThatThrownBy(() -> contents.delete(".env")).isInstanceOf(ContentsForbiddenException.class);
        assertThatThrownBy(() -> contents.rename("a/inside.txt", ".hidden"))
                .isInstanceOf(ContentsForbiddenException.class);
    }

    @Test
    void checkpointDirectory_isReservedEvenWhenHiddenFilesAreAllowed() {
        FileContentsManager permissive = FileContentsManager.create(root,
                FileContentsManager.Options.defaults().withAllowHidden(true));
        permissive.createCheckpoint("a/inside.txt");

        assertThatThrownBy(() -> permissive.get("a/.ipynb_checkpoints/inside-checkpoint.txt"))
                .isInstanceOf(ContentsForbiddenException.class);
    }

    @Test
    void errorMessages_doNotRevealTheRootOnDisk() {
        assertThatThrownBy(() -> contents.get("missing/x.txt"))
                .message().doesNotContain(root.toString());
    }
}
