package io.quire.desktop.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.desktop.output.MathText.Formula;
import java.util.List;
import org.junit.jupiter.api.Test;

class MathTextTest {
    @Test
    void inlineAndDisplayMath_becomePlaceholders() {
        MathText.Extracted extracted = MathText.extract("Energy $E = mc^2$ and\n$$\\int_0^1 x_i\\,dx$$\ndone");
        assertThat(extracted.text()).isEqualTo("Energy @@0@@ and\n@@1@@\ndone");
        assertThat(extracted.formulas()).containsExactly(new Formula("E = mc^2", false),
                new Formula("\\int_0^1 x_i\\,dx", true));
    }

    @Test
    void bracketDelimitersAndEnvironments_areMath() {
        MathText.Extracted extracted = MathText.extract(
                "a \\(x\\) b \\[y\\] c \\begin{align}a &= b\\end{align}");
        assertThat(extracted.formulas()).containsExactly(new Formula("x", false), new Formula("y", true),
                new Formula("\\begin{align}a &= b\\end{align}", true));
    }

    @Test
    void codeSpansFencesEscapedAndSpacedDollars_stayText() {
        String markdown = "costs \\$5 or `$x$` and $ 3 $\n```\n$y$\n```\n";
        MathText.Extracted extracted = MathText.extract(markdown);
        assertThat(extracted.formulas()).isEmpty();
        assertThat(extracted.text()).isEqualTo(markdown);
    }

    @Test
    void inlineMath_doesNotCrossAParagraph() {
        assertThat(MathText.extract("$5 today\n\nand $6").formulas()).isEmpty();
    }

    @Test
    void split_andRestore_putFormulasBack() {
        MathText.Extracted extracted = MathText.extract("a $x$ b $$y$$");
        assertThat(extracted.split("a @@0@@ b @@1@@ @@7@@")).containsExactly("a ", new Formula("x", false), " b ",
                new Formula("y", true), " @@7@@");
        assertThat(extracted.restore("a @@0@@ b @@1@@")).isEqualTo("a $x$ b $$y$$");
    }

    @Test
    void latexOutput_formulasWithoutDelimitersOrEquationEnvironment() {
        assertThat(MathText.formulas("$\\displaystyle \\frac{1}{2}$")).containsExactly("\\displaystyle \\frac{1}{2}");
        assertThat(MathText.formulas("x^2 + 1")).containsExactly("x^2 + 1");
        assertThat(MathText.formulas("\\begin{equation*}a=b\\end{equation*}")).containsExactly("a=b");
        assertThat(MathText.formulas("$$a$$ text $b$")).containsExactly("a", "b");
        assertThat(MathText.formulas("  \n")).isEmpty();
    }
}
