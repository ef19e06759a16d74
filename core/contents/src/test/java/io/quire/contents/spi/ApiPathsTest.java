package io.quire.contents.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.contents.ContentsForbiddenException;
import org.junit.jupiter.api.Test;

class ApiPathsTest {

    @Test
    void normalize_dropsEmptyAndDotSegmentsAndTrailingSlash() {
        assertThat(ApiPaths.normalize("a//./b/")).isEqualTo("a/b");
        assertThat(ApiPaths.normalize("")).isEmpty();
        assertThat(ApiPaths.normalize("a/b/../c")).isEqualTo("a/c");
    }

    @Test
    void normalize_refusesClimbingAboveTheRoot() {
        assertThatThrownBy(() -> ApiPaths.normalize("a/../../x"))
                .isInstanceOf(ContentsForbiddenException.class)
                .hasMessageContaining("a/../../x");
    }

    @Test
    void normalize_showsNulAsEscapeInTheMessage() {
        assertThatThrownBy(() -> ApiPaths.normalize("a\u0000b"))
                .isInstanceOf(ContentsForbiddenException.class)
                .hasMessageContaining("a\\0b");
    }

    @Test
    void isHidden_checksEverySegment() {
        assertThat(ApiPaths.isHidden("a/.b/c")).isTrue();
        assertThat(ApiPaths.isHidden("a/b.c")).isFalse();
    }

    @Test
    void parentNameAndJoin_splitPaths() {
        assertThat(ApiPaths.parent("a/b/c.txt")).isEqualTo("a/b");
        assertThat(ApiPaths.parent("c.txt")).isEmpty();
        assertThat(ApiPaths.name("a/b/c.txt")).isEqualTo("c.txt");
        assertThat(ApiPaths.join("", "x")).isEqualTo("x");
        assertThat(ApiPaths.join("a", "x")).isEqualTo("a/x");
    }
}
