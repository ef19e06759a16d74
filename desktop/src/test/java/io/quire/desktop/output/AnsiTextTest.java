package io.quire.desktop.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AnsiTextTest {
    private static final String ESC = "\u001b";

    @Test
    void plainText_isOneUnstyledSpan() {
        assertThat(AnsiText.parse("hello")).containsExactly(AnsiSpan.plain("hello"));
    }

    @Test
    void standardColour_andReset() {
        List<AnsiSpan> spans = AnsiText.parse("a" + ESC + "[31mred" + ESC + "[0mb");
        assertThat(spans).extracting(AnsiSpan::text).containsExactly("a", "red", "b");
        assertThat(spans.get(1).foreground()).hasValue(0xE75C58);
        assertThat(spans.get(2).foreground()).isEmpty();
    }

    @Test
    void boldStandardColour_isBright_asInATerminal() {
        AnsiSpan span = AnsiText.parse(ESC + "[1;32mok").getFirst();
        assertThat(span.bold()).isTrue();
        assertThat(span.foreground()).hasValue(0x007427);
    }

    @Test
    void palette256_andTrueColour() {
        assertThat(AnsiText.parse(ESC + "[38;5;196mx").getFirst().foreground()).hasValue(0xFF0000);
        assertThat(AnsiText.parse(ESC + "[38;5;232mx").getFirst().foreground()).hasValue(0x080808);
        assertThat(AnsiText.parse(ESC + "[48;2;1;2;3mx").getFirst().background()).hasValue(0x010203);
    }

    @Test
    void ipythonTraceback_keepsItsTextWithoutEscapes() {
        String line = ESC + "[0;31mZeroDivisionError" + ESC + "[0m: division by zero";
        assertThat(AnsiText.strip(line)).isEqualTo("ZeroDivisionError: division by zero");
    }

    @Test
    void nonColourSequences_areDropped() {
        assertThat(AnsiText.strip("a" + ESC + "[2Kb" + ESC + "[1Ac")).isEqualTo("abc");
    }

    @Test
    void unterminatedSequenceAtTheEnd_isDropped() {
        assertThat(AnsiText.parse("text" + ESC + "[3")).containsExactly(AnsiSpan.plain("text"));
    }

    @Test
    void adjacentRunsOfOneStyle_areJoined() {
        assertThat(AnsiText.parse("a" + ESC + "[0mb")).containsExactly(AnsiSpan.plain("ab"));
        assertThat(AnsiText.parse(ESC + "[4mu").getFirst())
                .isEqualTo(new AnsiSpan("u", OptionalInt.empty(), OptionalInt.empty(), false, false, true));
    }
}
