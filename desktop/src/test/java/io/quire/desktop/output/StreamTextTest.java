package io.quire.desktop.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamTextTest {
    @Test
    void progressBar_showsItsLastState() {
        assertThat(StreamText.applyCarriageReturns("10%\r20%\r30%")).isEqualTo("30%");
    }

    @Test
    void shorterOverwrite_keepsTheRestOfTheLine() {
        assertThat(StreamText.applyCarriageReturns("abcdef\rxy")).isEqualTo("xycdef");
    }

    @Test
    void carriageReturnOnlyAffectsItsOwnLine() {
        assertThat(StreamText.applyCarriageReturns("first\nload\rdone\nlast")).isEqualTo("first\ndone\nlast");
    }

    @Test
    void crlf_isAPlainLineEnd() {
        assertThat(StreamText.applyCarriageReturns("a\r\nb\r\n")).isEqualTo("a\nb\n");
    }

    @Test
    void trailingCarriageReturn_keepsTheLine() {
        assertThat(StreamText.applyCarriageReturns("50%\r")).isEqualTo("50%");
    }
}
