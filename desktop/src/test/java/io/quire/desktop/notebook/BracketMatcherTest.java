package io.quire.desktop.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BracketMatcherTest {
    @Test
    void theBracketBeforeTheCaret_elseTheOneAfterIt_findsItsMatch() {
        String text = "f(a[1], {b: (2)})";
        assertThat(BracketMatcher.at(text, 2)).contains(new BracketMatcher.Pair(1, 16)); // after "f("
        assertThat(BracketMatcher.at(text, 1)).as("before the bracket").contains(new BracketMatcher.Pair(1, 16));
        assertThat(BracketMatcher.at(text, 17)).as("after the last one").contains(new BracketMatcher.Pair(1, 16));
        assertThat(BracketMatcher.at(text, 6)).contains(new BracketMatcher.Pair(3, 5));
        assertThat(BracketMatcher.at(text, 8)).as("the one after the caret").contains(new BracketMatcher.Pair(8, 15));
        assertThat(BracketMatcher.at(text, 13)).contains(new BracketMatcher.Pair(12, 14));
    }

    @Test
    void noBracketAtTheCaret_orNoMatch_isEmpty() {
        assertThat(BracketMatcher.at("abc", 1)).isEmpty();
        assertThat(BracketMatcher.at("f(x", 2)).isEmpty();
        assertThat(BracketMatcher.at("x)", 2)).isEmpty();
        assertThat(BracketMatcher.at("", 0)).isEmpty();
    }

    @Test
    void bracketsInStringsAndComments_doNotCount() {
        String text = "print(\")\", ')')  # )\n";
        assertThat(BracketMatcher.at(text, 6)).contains(new BracketMatcher.Pair(5, 14));
        assertThat(BracketMatcher.at(text, 8)).as("inside the string").isEmpty();
        String escaped = "f(\"\\\")\")";
        assertThat(BracketMatcher.at(escaped, 2)).contains(new BracketMatcher.Pair(1, 7));
    }
}
