package io.quire.collab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TextOperationTest {
    /** Includes a character outside the BMP (two UTF-16 code units) and a newline. */
    private static final String[] ALPHABET = {"a", "b", "c", "x", " ", "\n", "é", "😀", "中"};

    @Test
    void apply_retainsInsertsAndDeletes() {
        TextOperation op = TextOperation.builder().retain(2).insert("XY").delete(3).retain(1).build();

        assertThat(op.apply("abcdef")).isEqualTo("abXYf");
        assertThat(op.baseLength()).isEqualTo(6);
        assertThat(op.targetLength()).isEqualTo(5);
    }

    @Test
    void apply_refusesATextOfAnotherLength() {
        TextOperation op = TextOperation.builder().retain(3).insert("!").build();

        assertThatThrownBy(() -> op.apply("ab")).isInstanceOf(TextOperationException.class)
                .hasMessageContaining("3 UTF-16 code units, but the text has 2");
        assertThatThrownBy(() -> op.apply("abcd")).isInstanceOf(TextOperationException.class);
    }

    @Test
    void apply_countsUtf16CodeUnits_andRefusesToSplitASurrogatePair() {
        String text = "a😀b"; // 4 code units
        assertThat(TextOperation.builder().retain(3).insert("!").retain(1).build().apply(text)).isEqualTo("a😀!b");

        TextOperation splitting = TextOperation.builder().retain(2).insert("!").retain(2).build();
        assertThatThrownBy(() -> splitting.apply(text)).isInstanceOf(TextOperationException.class)
                .hasMessageContaining("surrogate pair");
        TextOperation halfDelete = TextOperation.builder().retain(1).delete(1).retain(2).build();
        assertThatThrownBy(() -> halfDelete.apply(text)).isInstanceOf(TextOperationException.class);
    }

    @Test
    void apply_refusesALoneSurrogateInInsertedText() {
        TextOperation op = TextOperation.builder().insert("\uD83D").build();

        assertThatThrownBy(() -> op.apply("")).isInstanceOf(TextOperationException.class)
                .hasMessageContaining("lone surrogate");
    }

    @Test
    void builder_mergesAndPutsInsertsBeforeDeletes() {
        TextOperation built = TextOperation.builder().retain(1).retain(2).delete(1).insert("a").insert("b").delete(2)
                .retain(0).insert("").build();

        assertThat(built.components()).containsExactly(new TextOperation.Retain(3), new TextOperation.Insert("ab"),
                new TextOperation.Delete(3));
        assertThat(built.toString()).isEqualTo("[3, \"ab\", -3]");
    }

    @Test
    void constructor_refusesNonCanonicalComponents() {
        assertThatThrownBy(() -> new TextOperation(java.util.List.of(new TextOperation.Retain(1),
                new TextOperation.Retain(1)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TextOperation(java.util.List.of(new TextOperation.Delete(1),
                new TextOperation.Insert("a")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TextOperation.Retain(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void transform_insertsAtTheSamePosition_orderedByTheFlag() {
        TextOperation a = TextOperation.builder().retain(1).insert("A").retain(1).build();
        TextOperation b = TextOperation.builder().retain(1).insert("B").retain(1).build();

        TextOperation.Pair aFirst = TextOperation.transform(a, b, true);
        assertThat(aFirst.bPrime().apply(a.apply("xy"))).isEqualTo("xABy");
        assertThat(aFirst.aPrime().apply(b.apply("xy"))).isEqualTo("xABy");

        TextOperation.Pair bFirst = TextOperation.transform(a, b, false);
        assertThat(bFirst.bPrime().apply(a.apply("xy"))).isEqualTo("xBAy");
        assertThat(bFirst.aPrime().apply(b.apply("xy"))).isEqualTo("xBAy");
    }

    @Test
    void transform_overlappingDeletes_removeTheCharactersOnce() {
        TextOperation a = TextOperation.builder().retain(1).delete(3).retain(2).build(); // abcdef -> aef
        TextOperation b = TextOperation.builder().retain(2).delete(3).retain(1).build(); // abcdef -> abf

        TextOperation.Pair pair = TextOperation.transform(a, b, true);
        assertThat(pair.aPrime().apply(b.apply("abcdef"))).isEqualTo("af");
        assertThat(pair.bPrime().apply(a.apply("abcdef"))).isEqualTo("af");
    }

    @Test
    void transform_refusesOperationsOnDifferentLengths() {
        assertThatThrownBy(() -> TextOperation.transform(TextOperation.identity(2), TextOperation.identity(3), true))
                .isInstanceOf(TextOperationException.class).hasMessageContaining("2 and 3");
    }

    @Test
    void compose_refusesOperationsThatDoNotChain() {
        assertThatThrownBy(() -> TextOperation.identity(2).compose(TextOperation.identity(3)))
                .isInstanceOf(TextOperationException.class);
    }

    // ------------------------------------------------------------------------------------------- properties

    @Test
    void transform_convergesForRandomConcurrentOperations_TP1() {
        Random random = new Random(20261126L);
        for (int i = 0; i < 5000; i++) {
            String doc = randomText(random, random.nextInt(30));
            TextOperation a = randomOperation(random, doc);
            TextOperation b = randomOperation(random, doc);
            boolean aFirst = random.nextBoolean();

            TextOperation.Pair pair = TextOperation.transform(a, b, aFirst);

            String viaA = pair.bPrime().apply(a.apply(doc));
            String viaB = pair.aPrime().apply(b.apply(doc));
            assertThat(viaA).as("case %d: doc=%s a=%s b=%s aFirst=%s", i, doc, a, b, aFirst).isEqualTo(viaB);
        }
    }

    @Test
    void transform_keepsEveryInsertedText() {
        Random random = new Random(7L);
        for (int i = 0; i < 2000; i++) {
            String doc = randomText(random, random.nextInt(20));
            TextOperation a = TextOperation.builder().retain(boundary(random, doc, 0)).build();
            int at = a.baseLength();
            a = TextOperation.builder().retain(at).insert("<A>").retain(doc.length() - at).build();
            TextOperation b = randomOperation(random, doc);

            String merged = TextOperation.transform(a, b, random.nextBoolean()).aPrime().apply(b.apply(doc));

            assertThat(merged).as("case %d", i).contains("<A>");
        }
    }

    @Test
    void compose_hasTheEffectOfBothOperations() {
        Random random = new Random(42L);
        for (int i = 0; i < 5000; i++) {
            String doc = randomText(random, random.nextInt(30));
            TextOperation a = randomOperation(random, doc);
            String afterA = a.apply(doc);
            TextOperation b = randomOperation(random, afterA);

            TextOperation ab = a.compose(b);

            assertThat(ab.apply(doc)).as("case %d: doc=%s a=%s b=%s", i, doc, a, b).isEqualTo(b.apply(afterA));
            assertThat(ab.baseLength()).isEqualTo(doc.length());
        }
    }

    @Test
    void transform_ofChainsAndCompositions_converges() {
        // a client holds two pending edits while a server edit arrives: transforming them one by one (as the
        // sequencer does along the log) converges, and so does transforming their composition. The two results may
        // order inserts differently (an insert inside a range the other side deleted), so each is checked on its own.
        Random random = new Random(99L);
        for (int i = 0; i < 2000; i++) {
            String doc = randomText(random, random.nextInt(25));
            TextOperation a1 = randomOperation(random, doc);
            TextOperation a2 = randomOperation(random, a1.apply(doc));
            TextOperation b = randomOperation(random, doc);
            boolean aFirst = random.nextBoolean();
            String clientSide = a2.apply(a1.apply(doc));

            TextOperation.Pair whole = TextOperation.transform(a1.compose(a2), b, aFirst);
            assertThat(whole.bPrime().apply(clientSide)).as("case %d composed", i)
                    .isEqualTo(whole.aPrime().apply(b.apply(doc)));

            TextOperation.Pair step1 = TextOperation.transform(a1, b, aFirst);
            TextOperation.Pair step2 = TextOperation.transform(a2, step1.bPrime(), aFirst);
            assertThat(step2.bPrime().apply(clientSide)).as("case %d stepwise", i)
                    .isEqualTo(step2.aPrime().apply(step1.aPrime().apply(b.apply(doc))));
        }
    }

    // ------------------------------------------------------------------------------------------- generators

    static String randomText(Random random, int codePoints) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return text.toString();
    }

    /** A random operation over the text whose boundaries never split a surrogate pair. */
    static TextOperation randomOperation(Random random, String text) {
        TextOperation.Builder builder = TextOperation.builder();
        int position = 0;
        while (position < text.length()) {
            int end = boundary(random, text, position);
            switch (random.nextInt(4)) {
                case 0 -> builder.retain(end - position);
                case 1 -> builder.delete(end - position);
                case 2 -> {
                    builder.insert(randomText(random, 1 + random.nextInt(3)));
                    builder.retain(end - position);
                }
                default -> builder.retain(end - position);
            }
            position = end;
        }
        if (random.nextInt(3) == 0) {
            builder.insert(randomText(random, 1 + random.nextInt(3)));
        }
        return builder.build();
    }

    /** A code point boundary after {@code from}, at most a few code points further. */
    private static int boundary(Random random, String text, int from) {
        int steps = 1 + random.nextInt(4);
        int position = from;
        for (int i = 0; i < steps && position < text.length(); i++) {
            position += Character.charCount(text.codePointAt(position));
        }
        return position;
    }
}
