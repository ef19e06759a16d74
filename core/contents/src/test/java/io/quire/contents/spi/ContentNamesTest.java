package io.quire.contents.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.contents.ContentType;
import io.quire.contents.ContentsBadRequestException;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContentNamesTest {

    @Test
    void unique_returnsTheNameItselfWhenFree() {
        assertThat(ContentNames.unique("a.txt", "-Copy", Set.of()::contains)).isEqualTo("a.txt");
    }

    @Test
    void copyName_stripsAnEarlierCopyNumber() {
        Set<String> taken = Set.of("nb.ipynb", "nb-Copy1.ipynb");

        assertThat(ContentNames.copyName("nb-Copy1.ipynb", taken::contains)).isEqualTo("nb-Copy2.ipynb");
    }

    @Test
    void copyName_ofNotebookWithDots_insertsBeforeTheLastDot() {
        Set<String> taken = Set.of("v1.2.ipynb");

        assertThat(ContentNames.copyName("v1.2.ipynb", taken::contains)).isEqualTo("v1.2-Copy1.ipynb");
    }

    @Test
    void copyName_ofOtherFile_insertsBeforeTheFirstDot() {
        Set<String> taken = Set.of("a.tar.gz");

        assertThat(ContentNames.copyName("a.tar.gz", taken::contains)).isEqualTo("a-Copy1.tar.gz");
    }

    @Test
    void untitledType_followsTheExtension() {
        assertThat(ContentNames.untitledType(Optional.empty(), ".ipynb")).isEqualTo(ContentType.NOTEBOOK);
        assertThat(ContentNames.untitledType(Optional.empty(), ".py")).isEqualTo(ContentType.FILE);
        assertThat(ContentNames.untitledType(Optional.of(ContentType.DIRECTORY), "")).isEqualTo(ContentType.DIRECTORY);
    }

    @Test
    void untitledName_refusesExtensionWithSeparator() {
        assertThatThrownBy(() -> ContentNames.untitledName(ContentType.FILE, "/../x", name -> false))
                .isInstanceOf(ContentsBadRequestException.class);
    }
}
