package io.quire.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void scrape_rendersCounterGaugeAndHistogramInTextFormat004() {
        Metrics metrics = Metrics.create();
        Metrics.Counter counter = metrics.counter("quire_things_total", "Things counted.", "kind");
        counter.inc("b");
        counter.add(2, "a");
        metrics.gauge("quire_level", "A level.", () -> 1.5);
        Metrics.Histogram histogram = metrics.histogram("quire_op_seconds", "Op durations.", List.of(0.125, 1.0),
                "op");
        histogram.observe(0.0625, "x");
        histogram.observe(0.125, "x");
        histogram.observe(0.5, "x");
        histogram.observe(20, "x");

        assertThat(metrics.scrape()).isEqualTo("""
                # HELP quire_things_total Things counted.
                # TYPE quire_things_total counter
                quire_things_total{kind="a"} 2
                quire_things_total{kind="b"} 1
                # HELP quire_level A level.
                # TYPE quire_level gauge
                quire_level 1.5
                # HELP quire_op_seconds Op durations.
                # TYPE quire_op_seconds histogram
                quire_op_seconds_bucket{op="x",le="0.125"} 2
                quire_op_seconds_bucket{op="x",le="1"} 3
                quire_op_seconds_bucket{op="x",le="+Inf"} 4
                quire_op_seconds_sum{op="x"} 20.6875
                quire_op_seconds_count{op="x"} 4
                """);
    }

    @Test
    void scrape_rendersUnlabelledCounterAtZeroBeforeAnyIncrement() {
        Metrics metrics = Metrics.create();
        metrics.counter("quire_events_total", "Events.");

        assertThat(metrics.scrape()).isEqualTo("""
                # HELP quire_events_total Events.
                # TYPE quire_events_total counter
                quire_events_total 0
                """);
    }

    @Test
    void scrape_rendersDefaultBucketsFrom1MsTo10sPlusInf() {
        Metrics metrics = Metrics.create();
        metrics.histogram("quire_d_seconds", "D.").observe(0.003);

        assertThat(metrics.scrape()).isEqualTo("""
                # HELP quire_d_seconds D.
                # TYPE quire_d_seconds histogram
                quire_d_seconds_bucket{le="0.001"} 0
                quire_d_seconds_bucket{le="0.0025"} 0
                quire_d_seconds_bucket{le="0.005"} 1
                quire_d_seconds_bucket{le="0.01"} 1
                quire_d_seconds_bucket{le="0.025"} 1
                quire_d_seconds_bucket{le="0.05"} 1
                quire_d_seconds_bucket{le="0.1"} 1
                quire_d_seconds_bucket{le="0.25"} 1
                quire_d_seconds_bucket{le="0.5"} 1
                quire_d_seconds_bucket{le="1"} 1
                quire_d_seconds_bucket{le="2.5"} 1
                quire_d_seconds_bucket{le="5"} 1
                quire_d_seconds_bucket{le="10"} 1
                quire_d_seconds_bucket{le="+Inf"} 1
                quire_d_seconds_sum 0.003
                quire_d_seconds_count 1
                """);
    }

    @Test
    void histogram_countsAValueOnABoundInThatBucket() {
        Metrics.Histogram histogram = Metrics.create().histogram("quire_h_seconds", "H.");
        histogram.observe(0.001);
        histogram.observe(10);

        Metrics.HistogramSnapshot snapshot = histogram.snapshot();
        assertThat(snapshot.cumulativeCounts()).containsExactly(1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 2L, 2L);
    }

    @Test
    void histogram_countsAValueJustAboveABoundInTheNextBucket() {
        Metrics.Histogram histogram = Metrics.create().histogram("quire_h_seconds", "H.", List.of(0.1, 1.0));
        histogram.observe(0.1000001);

        assertThat(histogram.snapshot().cumulativeCounts()).containsExactly(0L, 1L, 1L);
    }

    @Test
    void histogram_countsValuesAboveTheLastBoundOnlyInInf() {
        Metrics.Histogram histogram = Metrics.create().histogram("quire_h_seconds", "H.");
        histogram.observe(10.5);

        Metrics.HistogramSnapshot snapshot = histogram.snapshot();
        assertThat(snapshot.cumulativeCounts().subList(0, 13)).containsOnly(0L);
        assertThat(snapshot.count()).isEqualTo(1);
        assertThat(snapshot.sum()).isEqualTo(10.5);
        assertThat(snapshot.upperBounds().getLast()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void histogram_countsZeroAndNegativeValuesInTheFirstBucket() {
        Metrics.Histogram histogram = Metrics.create().histogram("quire_h_seconds", "H.", List.of(0.1, 1.0));
        histogram.observe(0);
        histogram.observe(-1);

        assertThat(histogram.snapshot().cumulativeCounts()).containsExactly(2L, 2L, 2L);
        assertThat(histogram.snapshot().sum()).isEqualTo(-1);
    }

    @Test
    void histogram_rejectsNaN() {
        Metrics.Histogram histogram = Metrics.create().histogram("quire_h_seconds", "H.");

        assertThatThrownBy(() -> histogram.observe(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void histogram_rejectsBucketsThatDoNotIncrease() {
        assertThatThrownBy(() -> Metrics.create().histogram("quire_h_seconds", "H.", List.of(1.0, 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
    }

    @Test
    void histogram_rejectsTheReservedLabelLe() {
        assertThatThrownBy(() -> Metrics.create().histogram("quire_h_seconds", "H.", "le"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @Test
    void scrape_escapesBackslashQuoteAndNewlineInLabelValues() {
        Metrics metrics = Metrics.create();
        metrics.counter("quire_x_total", "X.", "path").inc("a\"b\\c\nd");

        assertThat(metrics.scrape()).contains("quire_x_total{path=\"a\\\"b\\\\c\\nd\"} 1\n");
    }

    @Test
    void scrape_escapesBackslashAndNewlineButNotQuotesInHelp() {
        Metrics metrics = Metrics.create();
        metrics.counter("quire_x_total", "Says \"hi\\\"\nthen more.");

        assertThat(metrics.scrape()).startsWith("# HELP quire_x_total Says \"hi\\\\\"\\nthen more.\n");
    }

    @Test
    void scrape_rendersLabelledGaugeSamplesSortedWithSpecialValues() {
        Metrics metrics = Metrics.create();
        metrics.gauge("quire_g", "G.", List.of("k"), () -> List.of(new Metrics.Sample(List.of("z"), Double.NaN),
                new Metrics.Sample(List.of("b"), Double.POSITIVE_INFINITY),
                new Metrics.Sample(List.of("a"), -0.25)));

        assertThat(metrics.scrape()).endsWith("""
                quire_g{k="a"} -0.25
                quire_g{k="b"} +Inf
                quire_g{k="z"} NaN
                """);
    }

    @Test
    void scrape_leavesOutTheSamplesOfAGaugeWhoseSupplierFails() {
        Metrics metrics = Metrics.create();
        metrics.gauge("quire_broken", "Broken.", () -> {
            throw new IllegalStateException("boom");
        });
        metrics.counter("quire_ok_total", "Ok.").inc();

        assertThat(metrics.scrape()).isEqualTo("""
                # HELP quire_broken Broken.
                # TYPE quire_broken gauge
                # HELP quire_ok_total Ok.
                # TYPE quire_ok_total counter
                quire_ok_total 1
                """);
    }

    @Test
    void counter_rejectsTheWrongNumberOfLabelValues() {
        Metrics.Counter counter = Metrics.create().counter("quire_x_total", "X.", "a", "b");

        assertThatThrownBy(() -> counter.inc("only-one")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[a, b]").hasMessageContaining("only-one");
    }

    @Test
    void counter_rejectsNegativeAmounts() {
        Metrics.Counter counter = Metrics.create().counter("quire_x_total", "X.");

        assertThatThrownBy(() -> counter.add(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void register_rejectsInvalidAndDuplicateNames() {
        Metrics metrics = Metrics.create();
        metrics.counter("quire_x_total", "X.");

        assertThatThrownBy(() -> metrics.counter("quire_x_total", "Again."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        assertThatThrownBy(() -> metrics.counter("quire-x", "X."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quire-x");
        assertThatThrownBy(() -> metrics.counter("quire_y_total", "Y.", "bad-label"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad-label");
    }

    @Test
    void counterAndHistogram_loseNoUpdatesUnderConcurrency() throws InterruptedException {
        Metrics metrics = Metrics.create();
        Metrics.Counter counter = metrics.counter("quire_c_total", "C.", "k");
        Metrics.Histogram histogram = metrics.histogram("quire_h_seconds", "H.", "k");
        int threads = 8;
        int perThread = 10_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    counter.inc(i % 2 == 0 ? "even" : "odd");
                    histogram.observe(0.5, "all");
                }
            }));
        }
        go.countDown();
        for (Thread thread : started) {
            thread.join();
        }

        assertThat(counter.value("even") + counter.value("odd")).isEqualTo((long) threads * perThread);
        assertThat(histogram.snapshot("all").count()).isEqualTo((long) threads * perThread);
        assertThat(histogram.snapshot("all").sum()).isEqualTo(threads * perThread * 0.5);
    }

    @Test
    void format_writesIntegersWithoutFraction() {
        assertThat(Metrics.format(3.0)).isEqualTo("3");
        assertThat(Metrics.format(0.0025)).isEqualTo("0.0025");
        assertThat(Metrics.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }
}
