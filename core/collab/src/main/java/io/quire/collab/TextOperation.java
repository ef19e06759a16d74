package io.quire.collab;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An edit of one text (a cell's source) as a list of components that walk the whole text from start to end:
 * {@link Retain} keeps characters, {@link Insert} adds text, {@link Delete} removes characters.
 *
 * <p><b>Units.</b> Lengths and positions count UTF-16 code units, as Java strings and JavaScript (CodeMirror,
 * JupyterLab, Yjs) do, so a browser client sends its offsets unchanged. No boundary may fall inside a surrogate pair
 * and inserted text must not hold a lone surrogate; {@link #apply(String)} refuses either, so a document never holds
 * text that cannot be written as UTF-8.
 *
 * <p><b>Shape.</b> As in ot.js, an operation covers the whole text: the retained and deleted counts add up to
 * {@link #baseLength()}, and the text it produces has {@link #targetLength()} code units. Operations are kept in one
 * canonical form (no empty components, no two adjacent components of one kind, an insert before an adjacent delete),
 * so two operations with the same effect written the same way are {@code equals}. Build them with {@link #builder()}.
 *
 * <p><b>Transformation.</b> {@link #transform(TextOperation, TextOperation, boolean)} gives, for two operations on the
 * same text, the pair (a', b') with {@code apply(apply(s, a), b') == apply(apply(s, b), a')} (TP1). When both insert
 * at the same position, the flag says whose text comes first; callers derive it from the deltas (see
 * {@link Delta#precedes(Delta)}), so every party transforming the same pair agrees.
 *
 * @param components the canonical components
 */
public record TextOperation(List<Component> components) {

    /** One step of an operation. */
    public sealed interface Component permits Retain, Insert, Delete {
    }

    /**
     * Keeps characters.
     *
     * @param count how many code units, at least 1
     */
    public record Retain(int count) implements Component {
        /** Validates the count. */
        public Retain {
            if (count <= 0) {
                throw new IllegalArgumentException("retain count must be positive, got " + count);
            }
        }
    }

    /**
     * Adds text.
     *
     * @param text the text, not empty
     */
    public record Insert(String text) implements Component {
        /** Validates the text. */
        public Insert {
            Objects.requireNonNull(text, "text");
            if (text.isEmpty()) {
                throw new IllegalArgumentException("inserted text must not be empty");
            }
        }
    }

    /**
     * Removes characters.
     *
     * @param count how many code units, at least 1
     */
    public record Delete(int count) implements Component {
        /** Validates the count. */
        public Delete {
            if (count <= 0) {
                throw new IllegalArgumentException("delete count must be positive, got " + count);
            }
        }
    }

    /**
     * Checks that the components are canonical and copies them.
     *
     * @throws IllegalArgumentException if two adjacent components have one kind or a delete precedes an insert
     */
    public TextOperation {
        components = List.copyOf(components);
        for (int i = 1; i < components.size(); i++) {
            Component previous = components.get(i - 1);
            Component current = components.get(i);
            if (previous.getClass() == current.getClass()) {
                throw new IllegalArgumentException("component " + i + " has the kind of the one before it; build "
                        + "operations with TextOperation.builder(), which merges them");
            }
            if (previous instanceof Delete && current instanceof Insert) {
                throw new IllegalArgumentException("component " + i + " inserts right after a delete; the canonical "
                        + "form puts the insert first (TextOperation.builder() does)");
            }
        }
    }

    /**
     * A builder that merges adjacent components and keeps the canonical order.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The operation that changes nothing in a text of a given length.
     *
     * @param length the text's length in UTF-16 code units
     * @return the identity operation
     */
    public static TextOperation identity(int length) {
        return builder().retain(length).build();
    }

    /** @return the length of the text this operation applies to, in UTF-16 code units */
    public int baseLength() {
        int length = 0;
        for (Component component : components) {
            switch (component) {
                case Retain retain -> length += retain.count();
                case Delete delete -> length += delete.count();
                case Insert ignored -> { }
            }
        }
        return length;
    }

    /** @return the length of the text this operation produces, in UTF-16 code units */
    public int targetLength() {
        int length = 0;
        for (Component component : components) {
            switch (component) {
                case Retain retain -> length += retain.count();
                case Insert insert -> length += insert.text().length();
                case Delete ignored -> { }
            }
        }
        return length;
    }

    /** @return whether the operation changes nothing */
    public boolean isIdentity() {
        return components.stream().allMatch(Retain.class::isInstance);
    }

    /**
     * Applies the operation to a text.
     *
     * @param text the text
     * @return the edited text
     * @throws TextOperationException if the text's length is not {@link #baseLength()}, a retain or delete boundary
     *                                falls inside a surrogate pair, or an insert would leave a lone surrogate
     */
    public String apply(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() != baseLength()) {
            throw new TextOperationException("the operation applies to a text of " + baseLength()
                    + " UTF-16 code units, but the text has " + text.length());
        }
        StringBuilder result = new StringBuilder(targetLength());
        int position = 0;
        for (Component component : components) {
            switch (component) {
                case Retain retain -> {
                    result.append(text, position, position + retain.count());
                    position += retain.count();
                    requireBoundary(text, position);
                }
                case Delete delete -> {
                    position += delete.count();
                    requireBoundary(text, position);
                }
                case Insert insert -> {
                    requireWellFormed(insert.text());
                    result.append(insert.text());
                }
            }
        }
        return result.toString();
    }

    /**
     * Transforms two concurrent operations on the same text against each other.
     *
     * @param a      one operation
     * @param b      the other, on the same text
     * @param aFirst whether a's text goes first where both insert at the same position
     * @return (a', b'): a' applies after b, b' after a, and both orders give the same text
     * @throws TextOperationException if the operations apply to texts of different lengths
     */
    public static Pair transform(TextOperation a, TextOperation b, boolean aFirst) {
        if (a.baseLength() != b.baseLength()) {
            throw new TextOperationException("cannot transform operations on texts of different lengths ("
                    + a.baseLength() + " and " + b.baseLength() + " UTF-16 code units)");
        }
        Builder aPrime = builder();
        Builder bPrime = builder();
        Cursor x = new Cursor(a.components);
        Cursor y = new Cursor(b.components);
        while (!x.done() || !y.done()) {
            if (x.peek() instanceof Insert insert && (aFirst || !(y.peek() instanceof Insert))) {
                aPrime.insert(insert.text());
                bPrime.retain(insert.text().length());
                x.next();
                continue;
            }
            if (y.peek() instanceof Insert insert) {
                aPrime.retain(insert.text().length());
                bPrime.insert(insert.text());
                y.next();
                continue;
            }
            // both are retains or deletes here, and the base lengths are equal, so neither is done
            int n = Math.min(x.remaining(), y.remaining());
            Component first = x.peek();
            Component second = y.peek();
            if (first instanceof Retain && second instanceof Retain) {
                aPrime.retain(n);
                bPrime.retain(n);
            } else if (first instanceof Delete && second instanceof Retain) {
                aPrime.delete(n);
            } else if (first instanceof Retain && second instanceof Delete) {
                bPrime.delete(n);
            }
            // delete against delete: both removed the same characters, neither needs to do it again
            x.consume(n);
            y.consume(n);
        }
        return new Pair(aPrime.build(), bPrime.build());
    }

    /**
     * The operation that has the effect of this one followed by another.
     *
     * @param next the operation applied after this one
     * @return one operation with the effect of both
     * @throws TextOperationException if {@code next} does not apply to the text this operation produces
     */
    public TextOperation compose(TextOperation next) {
        if (targetLength() != next.baseLength()) {
            throw new TextOperationException("cannot compose: the first operation produces " + targetLength()
                    + " UTF-16 code units, the second applies to " + next.baseLength());
        }
        Builder result = builder();
        Cursor x = new Cursor(components);
        Cursor y = new Cursor(next.components);
        while (!x.done() || !y.done()) {
            if (x.peek() instanceof Delete) {
                result.delete(x.remaining());
                x.next();
                continue;
            }
            if (y.peek() instanceof Insert insert) {
                result.insert(insert.text());
                y.next();
                continue;
            }
            // x is a retain or an insert, y a retain or a delete; the lengths agree, so neither is done
            int n = Math.min(x.remaining(), y.remaining());
            Component first = x.peek();
            Component second = y.peek();
            switch (first) {
                case Retain ignored -> {
                    if (second instanceof Retain) {
                        result.retain(n);
                    } else {
                        result.delete(n);
                    }
                }
                case Insert insert -> {
                    if (second instanceof Retain) {
                        result.insert(insert.text().substring(x.offset(), x.offset() + n));
                    }
                    // an insert deleted by the next operation leaves nothing
                }
                case Delete ignored -> throw new IllegalStateException("handled above");
            }
            x.consume(n);
            y.consume(n);
        }
        return result.build();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (Component component : components) {
            if (text.length() > 1) {
                text.append(", ");
            }
            switch (component) {
                case Retain retain -> text.append(retain.count());
                case Delete delete -> text.append(-delete.count());
                case Insert insert -> text.append('"').append(insert.text().replace("\n", "\\n")).append('"');
            }
        }
        return text.append(']').toString();
    }

    private static void requireBoundary(String text, int position) {
        if (position > 0 && position < text.length() && Character.isHighSurrogate(text.charAt(position - 1))
                && Character.isLowSurrogate(text.charAt(position))) {
            throw new TextOperationException("position " + position + " falls inside a surrogate pair (a character "
                    + "outside the Basic Multilingual Plane counts as two UTF-16 code units)");
        }
    }

    private static void requireWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new TextOperationException("inserted text holds a lone surrogate (U+"
                        + Integer.toHexString(c).toUpperCase() + ") at index " + i);
            }
        }
    }

    /**
     * The result of {@link #transform(TextOperation, TextOperation, boolean)}.
     *
     * @param aPrime the first operation, to apply after the second
     * @param bPrime the second operation, to apply after the first
     */
    public record Pair(TextOperation aPrime, TextOperation bPrime) {
        /** Checks the fields. */
        public Pair {
            Objects.requireNonNull(aPrime, "aPrime");
            Objects.requireNonNull(bPrime, "bPrime");
        }
    }

    /** Builds canonical operations: merges adjacent components, drops empty ones, puts inserts before deletes. */
    public static final class Builder {
        private final List<Component> components = new ArrayList<>();

        private Builder() {
        }

        /**
         * Keeps characters.
         *
         * @param count how many UTF-16 code units; 0 adds nothing
         * @return this builder
         * @throws IllegalArgumentException if the count is negative
         */
        public Builder retain(int count) {
            requireNotNegative(count, "retain");
            if (count == 0) {
                return this;
            }
            if (!components.isEmpty() && components.getLast() instanceof Retain last) {
                components.set(components.size() - 1, new Retain(Math.addExact(last.count(), count)));
            } else {
                components.add(new Retain(count));
            }
            return this;
        }

        /**
         * Adds text.
         *
         * @param text the text; empty adds nothing
         * @return this builder
         */
        public Builder insert(String text) {
            Objects.requireNonNull(text, "text");
            if (text.isEmpty()) {
                return this;
            }
            int last = components.size() - 1;
            if (last >= 0 && components.get(last) instanceof Insert insert) {
                components.set(last, new Insert(insert.text() + text));
            } else if (last >= 0 && components.get(last) instanceof Delete delete) {
                // canonical order: an insert before an adjacent delete
                if (last >= 1 && components.get(last - 1) instanceof Insert insert) {
                    components.set(last - 1, new Insert(insert.text() + text));
                } else {
                    components.add(last, new Insert(text));
                }
            } else {
                components.add(new Insert(text));
            }
            return this;
        }

        /**
         * Removes characters.
         *
         * @param count how many UTF-16 code units; 0 adds nothing
         * @return this builder
         * @throws IllegalArgumentException if the count is negative
         */
        public Builder delete(int count) {
            requireNotNegative(count, "delete");
            if (count == 0) {
                return this;
            }
            if (!components.isEmpty() && components.getLast() instanceof Delete last) {
                components.set(components.size() - 1, new Delete(Math.addExact(last.count(), count)));
            } else {
                components.add(new Delete(count));
            }
            return this;
        }

        /**
         * Adds one component (merged as the methods above do).
         *
         * @param component the component
         * @return this builder
         */
        public Builder add(Component component) {
            return switch (component) {
                case Retain retain -> retain(retain.count());
                case Insert insert -> insert(insert.text());
                case Delete delete -> delete(delete.count());
            };
        }

        /** @return the operation */
        public TextOperation build() {
            return new TextOperation(components);
        }

        private static void requireNotNegative(int count, String what) {
            if (count < 0) {
                throw new IllegalArgumentException(what + " count must not be negative, got " + count);
            }
        }
    }

    /** Walks components, allowing a component to be consumed in parts. */
    private static final class Cursor {
        private final List<Component> components;
        private int index;
        private int offset;

        Cursor(List<Component> components) {
            this.components = components;
        }

        boolean done() {
            return index >= components.size();
        }

        /** The current component, or null when done. */
        Component peek() {
            return done() ? null : components.get(index);
        }

        int offset() {
            return offset;
        }

        int remaining() {
            return switch (components.get(index)) {
                case Retain retain -> retain.count() - offset;
                case Delete delete -> delete.count() - offset;
                case Insert insert -> insert.text().length() - offset;
            };
        }

        void consume(int n) {
            offset += n;
            if (offset == switch (components.get(index)) {
                case Retain retain -> retain.count();
                case Delete delete -> delete.count();
                case Insert insert -> insert.text().length();
            }) {
                next();
            }
        }

        void next() {
            index++;
            offset = 0;
        }
    }
}
