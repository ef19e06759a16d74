package io.quire.server.observe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small, thread-safe metrics registry rendered in the Prometheus text exposition format 0.0.4: counters,
 * supplier-backed gauges and histograms with fixed buckets, each with optional labels.
 *
 * <p>Design: a registry holds families in registration order; a family holds one child per distinct tuple of label
 * values in a {@link ConcurrentHashMap}, so recording is lock-free ({@link LongAdder}s, a {@link DoubleAdder} for
 * histogram sums) and never blocks a scrape. A scrape reads each child once; a histogram's {@code _count} is derived
 * from the same bucket reads as its {@code _bucket} lines, so the two always agree within one scrape. Children are
 * rendered sorted by label values, which makes the output deterministic. Gauges hold no state: their supplier is
 * called at scrape time. See {@code docs/decisions/0005-metrics.md} for why this exists instead of a metrics
 * library.
 *
 * <p>Label values must be bounded by the caller (route templates, not raw paths); the registry does not cap them.
 */
public final class Metrics {
    /** The content type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Histogram buckets for latencies, in seconds: 1 ms to 10 s. */
    public static final List<Double> DEFAULT_BUCKETS = List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1.0, 2.5, 5.0, 10.0);

    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final List<Family> families = new CopyOnWriteArrayList<>();

    private Metrics() {
    }

    /**
     * Creates an empty registry.
     *
     * @return the registry
     */
    public static Metrics create() {
        return new Metrics();
    }

    /**
     * Registers a counter.
     *
     * @param name       the metric name, by convention ending in {@code _total}
     * @param help       what it counts
     * @param labelNames the label names, in the order values are given when recording
     * @return the counter
     * @throws IllegalArgumentException for an invalid or already registered name, or invalid label names
     */
    public Counter counter(String name, String help, String... labelNames) {
        CounterFamily family = new CounterFamily(name, help, labelNames(List.of(labelNames), false));
        register(family);
        return family;
    }

    /**
     * Registers a histogram with {@link #DEFAULT_BUCKETS}.
     *
     * @param name       the metric name, such as {@code quire_http_request_duration_seconds}
     * @param help       what it measures
     * @param labelNames the label names; {@code le} is reserved
     * @return the histogram
     * @throws IllegalArgumentException for an invalid or already registered name, or invalid label names
     */
    public Histogram histogram(String name, String help, String... labelNames) {
        return histogram(name, help, DEFAULT_BUCKETS, labelNames);
    }

    /**
     * Registers a histogram.
     *
     * @param name       the metric name
     * @param help       what it measures
     * @param buckets    the upper bounds (inclusive) of the buckets, strictly increasing, finite; {@code +Inf} is
     *                   added
     * @param labelNames the label names; {@code le} is reserved
     * @return the histogram
     * @throws IllegalArgumentException for an invalid or already registered name, invalid label names or buckets
     */
    public Histogram histogram(String name, String help, List<Double> buckets, String... labelNames) {
        HistogramFamily family = new HistogramFamily(name, help, labelNames(List.of(labelNames), true),
                bounds(buckets));
        register(family);
        return family;
    }

    /**
     * Registers a gauge without labels whose value is read at scrape time.
     *
     * @param name  the metric name
     * @param help  what it measures
     * @param value reads the current value; must be fast and thread-safe
     * @throws IllegalArgumentException for an invalid or already registered name
     */
    public void gauge(String name, String help, DoubleSupplier value) {
        Objects.requireNonNull(value, "value");
        register(new GaugeFamily(name, help, List.of(), () -> List.of(new Sample(List.of(), value.getAsDouble()))));
    }

    /**
     * Registers a gauge with labels whose samples are read at scrape time.
     *
     * @param name       the metric name
     * @param help       what it measures
     * @param labelNames the label names
     * @param samples    reads the current samples, one per label value tuple; must be fast and thread-safe
     * @throws IllegalArgumentException for an invalid or already registered name, or invalid label names
     */
    public void gauge(String name, String help, List<String> labelNames, Supplier<List<Sample>> samples) {
        Objects.requireNonNull(samples, "samples");
        register(new GaugeFamily(name, help, labelNames(labelNames, false), samples));
    }

    /**
     * Renders every registered metric in the Prometheus text exposition format 0.0.4.
     *
     * A gauge whose supplier throws gets no samples in this scrape and is logged, so one failing source
     * does not hide the others.
     *
     * @return the text, ending in a newline unless empty
     * @throws IllegalArgumentException when a gauge supplier returns a sample with the wrong number of labels
     */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        for (Family family : families) {
            out.append("# HELP ").append(family.name).append(' ').append(escapeHelp(family.help)).append('\n');
            out.append("# TYPE ").append(family.name).append(' ').append(family.type()).append('\n');
            family.render(out);
        }
        return out.toString();
    }

    private void register(Family family) {
        synchronized (families) {
            for (Family existing : families) {
                if (existing.name.equals(family.name)) {
                    throw new IllegalArgumentException("a metric named " + family.name + " is already registered");
                }
            }
            families.add(family);
        }
    }

    private static List<String> labelNames(List<String> names, boolean histogram) {
        for (String name : names) {
            if (name == null || !LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
                throw new IllegalArgumentException("'" + name + "' is not a valid label name");
            }
            if (histogram && name.equals("le")) {
                throw new IllegalArgumentException("'le' is reserved for histogram buckets");
            }
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("label names must be distinct, got " + names);
        }
        return List.copyOf(names);
    }

    private static double[] bounds(List<Double> buckets) {
        if (buckets.isEmpty()) {
            throw new IllegalArgumentException("a histogram needs at least one bucket");
        }
        double[] bounds = new double[buckets.size()];
        for (int i = 0; i < bounds.length; i++) {
            double bound = buckets.get(i);
            if (!Double.isFinite(bound)) {
                throw new IllegalArgumentException("bucket bounds must be finite (+Inf is implied), got " + bound);
            }
            if (i > 0 && bound <= bounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must be strictly increasing, got " + buckets);
            }
            bounds[i] = bound;
        }
        return bounds;
    }

    /**
     * Formats a sample value as Prometheus expects: integers without a fraction, {@code NaN}, {@code +Inf},
     * {@code -Inf}, else Java's shortest round-tripping decimal.
     */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** Escapes a label value: backslash, double quote and line feed. */
    static String escapeLabelValue(String value) {
        return escape(value, true);
    }

    private static String escapeHelp(String help) {
        return escape(help, false);
    }

    private static String escape(String text, boolean quotes) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '"' -> quotes ? "\\\"" : null;
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static final Comparator<List<String>> BY_LABEL_VALUES = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int order = a.get(i).compareTo(b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    /** A counter: a value per label value tuple that only goes up. */
    public interface Counter {
        /**
         * Adds one.
         *
         * @param labelValues one value per label name, in registration order
         * @throws IllegalArgumentException when the number of values differs from the number of labels, or a value
         *                                  is null
         */
        void inc(String... labelValues);

        /**
         * Adds an amount.
         *
         * @param amount      how much, not negative
         * @param labelValues one value per label name
         * @throws IllegalArgumentException for a negative amount or the wrong label values
         */
        void add(long amount, String... labelValues);

        /**
         * The current value.
         *
         * @param labelValues one value per label name
         * @return the value; 0 for label values never recorded
         * @throws IllegalArgumentException for the wrong label values
         */
        long value(String... labelValues);
    }

    /** A histogram: observations counted into fixed cumulative buckets, with their sum and count. */
    public interface Histogram {
        /**
         * Records an observation.
         *
         * @param value       the observed value (seconds, for durations); not NaN
         * @param labelValues one value per label name
         * @throws IllegalArgumentException for NaN or the wrong label values
         */
        void observe(double value, String... labelValues);

        /**
         * The current state for one label value tuple.
         *
         * @param labelValues one value per label name
         * @return the snapshot; all zero for label values never recorded
         * @throws IllegalArgumentException for the wrong label values
         */
        HistogramSnapshot snapshot(String... labelValues);
    }

    /**
     * One state of a histogram child.
     *
     * @param upperBounds      the bucket bounds, ending with {@code +Inf}
     * @param cumulativeCounts for each bound, how many observations were at most that bound
     * @param sum              the sum of the observations
     */
    public record HistogramSnapshot(List<Double> upperBounds, List<Long> cumulativeCounts, double sum) {
        /** Copies the lists and checks they have the same size. */
        public HistogramSnapshot {
            upperBounds = List.copyOf(upperBounds);
            cumulativeCounts = List.copyOf(cumulativeCounts);
            if (upperBounds.size() != cumulativeCounts.size()) {
                throw new IllegalArgumentException("one count per bound needed, got " + upperBounds.size()
                        + " bounds and " + cumulativeCounts.size() + " counts");
            }
        }

        /**
         * The number of observations.
         *
         * @return the count, equal to the {@code +Inf} bucket
         */
        public long count() {
            return cumulativeCounts.isEmpty() ? 0 : cumulativeCounts.getLast();
        }
    }

    /**
     * One gauge sample.
     *
     * @param labelValues one value per label name of the gauge
     * @param value       the value
     */
    public record Sample(List<String> labelValues, double value) {
        /** Copies the label values and rejects nulls. */
        public Sample {
            labelValues = List.copyOf(labelValues);
        }
    }

    private abstract static sealed class Family permits CounterFamily, GaugeFamily, HistogramFamily {
        final String name;
        final String help;
        final List<String> labelNames;

        Family(String name, String help, List<String> labelNames) {
            if (name == null || !METRIC_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a valid metric name");
            }
            this.name = name;
            this.help = Objects.requireNonNull(help, "help");
            this.labelNames = labelNames;
        }

        abstract String type();

        abstract void render(StringBuilder out);

        final List<String> key(String[] labelValues) {
            if (labelValues.length != labelNames.size()) {
                throw new IllegalArgumentException(name + " has labels " + labelNames + " but got values "
                        + Arrays.toString(labelValues));
            }
            for (String value : labelValues) {
                if (value == null) {
                    throw new IllegalArgumentException(name + " got a null label value: "
                            + Arrays.toString(labelValues));
                }
            }
            return List.of(labelValues);
        }

        /** Appends {@code name{a="x",b="y"} } (no braces without labels), plus an extra label when given. */
        final void series(StringBuilder out, String metric, List<String> values, String extraName, String extraValue) {
            out.append(metric);
            if (!labelNames.isEmpty() || extraName != null) {
                out.append('{');
                for (int i = 0; i < labelNames.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    out.append(labelNames.get(i)).append("=\"").append(escapeLabelValue(values.get(i))).append('"');
                }
                if (extraName != null) {
                    if (!labelNames.isEmpty()) {
                        out.append(',');
                    }
                    out.append(extraName).append("=\"").append(escapeLabelValue(extraValue)).append('"');
                }
                out.append('}');
            }
            out.append(' ');
        }

        final <C> List<Map.Entry<List<String>, C>> sorted(Map<List<String>, C> children) {
            List<Map.Entry<List<String>, C>> entries = new ArrayList<>(children.entrySet());
            entries.sort(Map.Entry.comparingByKey(BY_LABEL_VALUES));
            return entries;
        }
    }

    private static final class CounterFamily extends Family implements Counter {
        private final ConcurrentHashMap<List<String>, LongAdder> children = new ConcurrentHashMap<>();

        CounterFamily(String name, String help, List<String> labelNames) {
            super(name, help, labelNames);
            if (labelNames.isEmpty()) {
                children.put(List.of(), new LongAdder());
            }
        }

        @Override
        String type() {
            return "counter";
        }

        @Override
        public void inc(String... labelValues) {
            add(1, labelValues);
        }

        @Override
        public void add(long amount, String... labelValues) {
            if (amount < 0) {
                throw new IllegalArgumentException(name + " is a counter and cannot go down by " + amount);
            }
            children.computeIfAbsent(key(labelValues), ignored -> new LongAdder()).add(amount);
        }

        @Override
        public long value(String... labelValues) {
            LongAdder adder = children.get(key(labelValues));
            return adder == null ? 0 : adder.sum();
        }

        @Override
        void render(StringBuilder out) {
            for (var child : sorted(children)) {
                series(out, name, child.getKey(), null, null);
                out.append(child.getValue().sum()).append('\n');
            }
        }
    }

    private static final class GaugeFamily extends Family {
        private final Supplier<List<Sample>> samples;

        GaugeFamily(String name, String help, List<String> labelNames, Supplier<List<Sample>> samples) {
            super(name, help, labelNames);
            this.samples = samples;
        }

        @Override
        String type() {
            return "gauge";
        }

        @Override
        void render(StringBuilder out) {
            List<Sample> current;
            try {
                current = new ArrayList<>(samples.get());
            } catch (RuntimeException e) {
                LOG.warn("gauge {} could not be read; it is left out of this scrape", name, e);
                return;
            }
            for (Sample sample : current) {
                key(sample.labelValues().toArray(String[]::new));
            }
            current.sort(Comparator.comparing(Sample::labelValues, BY_LABEL_VALUES));
            for (Sample sample : current) {
                series(out, name, sample.labelValues(), null, null);
                out.append(format(sample.value())).append('\n');
            }
        }
    }

    private static final class HistogramFamily extends Family implements Histogram {
        private final double[] bounds;
        private final List<Double> upperBounds;
        private final ConcurrentHashMap<List<String>, Child> children = new ConcurrentHashMap<>();

        HistogramFamily(String name, String help, List<String> labelNames, double[] bounds) {
            super(name, help, labelNames);
            this.bounds = bounds;
            List<Double> all = new ArrayList<>(bounds.length + 1);
            for (double bound : bounds) {
                all.add(bound);
            }
            all.add(Double.POSITIVE_INFINITY);
            this.upperBounds = List.copyOf(all);
            if (labelNames.isEmpty()) {
                children.put(List.of(), new Child(bounds.length + 1));
            }
        }

        @Override
        String type() {
            return "histogram";
        }

        @Override
        public void observe(double value, String... labelValues) {
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException(name + " cannot observe NaN");
            }
            children.computeIfAbsent(key(labelValues), ignored -> new Child(bounds.length + 1))
                    .observe(bucketIndex(value), value);
        }

        /** The index of the first bucket whose (inclusive) upper bound is at least the value; the last for +Inf. */
        int bucketIndex(double value) {
            int found = Arrays.binarySearch(bounds, value);
            return found >= 0 ? found : -found - 1;
        }

        @Override
        public HistogramSnapshot snapshot(String... labelValues) {
            Child child = children.get(key(labelValues));
            return child == null ? new Child(bounds.length + 1).snapshot(upperBounds) : child.snapshot(upperBounds);
        }

        @Override
        void render(StringBuilder out) {
            for (var entry : sorted(children)) {
                HistogramSnapshot snapshot = entry.getValue().snapshot(upperBounds);
                for (int i = 0; i < upperBounds.size(); i++) {
                    series(out, name + "_bucket", entry.getKey(), "le", format(upperBounds.get(i)));
                    out.append(snapshot.cumulativeCounts().get(i)).append('\n');
                }
                series(out, name + "_sum", entry.getKey(), null, null);
                out.append(format(snapshot.sum())).append('\n');
                series(out, name + "_count", entry.getKey(), null, null);
                out.append(snapshot.count()).append('\n');
            }
        }

        private static final class Child {
            private final LongAdder[] buckets;
            private final DoubleAdder sum = new DoubleAdder();

            Child(int size) {
                buckets = new LongAdder[size];
                for (int i = 0; i < size; i++) {
                    buckets[i] = new LongAdder();
                }
            }

            /** Adds to the sum first: a scrape that sees the observation counted also sees it summed. */
            void observe(int bucket, double value) {
                sum.add(value);
                buckets[bucket].increment();
            }

            HistogramSnapshot snapshot(List<Double> upperBounds) {
                List<Long> cumulative = new ArrayList<>(buckets.length);
                long running = 0;
                for (LongAdder bucket : buckets) {
                    running += bucket.sum();
                    cumulative.add(running);
                }
                return new HistogramSnapshot(upperBounds, cumulative, sum.sum());
            }
        }
    }
}
