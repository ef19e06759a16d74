package io.quire.server.rtu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A connection's queue hands its writer what waits in batches, never holding an event back to make one. */
class EventQueueTest {

    @Test
    void takeBatch_takesWhatWaits_upToTheLimits_andKeepsOrder() throws Exception {
        EventQueue queue = new EventQueue(100, 1_000_000);
        for (int i = 0; i < 10; i++) {
            assertThat(queue.offer("e" + i)).isTrue();
        }
        assertThat(queue.takeBatch(4, 1_000, event -> false)).containsExactly("e0", "e1", "e2", "e3");
        // beyond the first event at most 4 characters: e4 and e5 (2 each) fit, e6 does not
        assertThat(queue.takeBatch(100, 4, event -> false)).containsExactly("e4", "e5", "e6");
        assertThat(queue.takeBatch(100, 0, event -> false)).containsExactly("e7");
        assertThat(queue.takeBatch(100, 1_000, event -> false)).containsExactly("e8", "e9");
        assertThat(queue.size()).isZero();
    }

    @Test
    void anEventThatMustGoAlone_endsABatch_andIsTakenByItself() throws Exception {
        EventQueue queue = new EventQueue(100, 1_000_000);
        List.of("a", "b", "PING", "c").forEach(queue::offer);
        assertThat(queue.takeBatch(100, 1_000, "PING"::equals)).containsExactly("a", "b");
        assertThat(queue.takeBatch(100, 1_000, "PING"::equals)).containsExactly("PING");
        assertThat(queue.takeBatch(100, 1_000, "PING"::equals)).containsExactly("c");
    }

    @Test
    void takeBatch_waitsForAnEvent_andReturnsNothingOnceClosedAndEmpty() throws Exception {
        EventQueue queue = new EventQueue(100, 1_000_000);
        CompletableFuture<List<String>> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.takeBatch(100, 1_000, event -> false);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(queue.offer("late")).isTrue();
        assertThat(taken.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)).containsExactly("late");
        queue.offer("rest");
        queue.close();
        assertThat(queue.takeBatch(100, 1_000, event -> false)).containsExactly("rest");
        assertThat(queue.takeBatch(100, 1_000, event -> false)).isEmpty();
    }
}
