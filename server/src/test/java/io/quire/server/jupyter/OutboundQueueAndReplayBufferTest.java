package io.quire.server.jupyter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.kernel.Channel;
import io.quire.kernel.RawMessage;
import io.quire.server.http.JsonBodies;
import io.quire.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bounded per-connection queue and the per-session replay buffer. */
class OutboundQueueAndReplayBufferTest {
    private static Outbound message(String text) {
        ObjectNode content = JsonBodies.MAPPER.createObjectNode().put("name", "stdout").put("text", text);
        ObjectNode header = JsonBodies.MAPPER.createObjectNode().put("msg_id", text).put("msg_type", "stream");
        return new Outbound(Channel.IOPUB, new RawMessage(header, JsonBodies.MAPPER.createObjectNode(),
                JsonBodies.MAPPER.createObjectNode(), content, List.of()));
    }

    /** Takes the next item as the writer does, and gives the write turn back as the writer does after writing it. */
    private static Optional<OutboundQueue.Item> next(OutboundQueue queue, long millis) throws InterruptedException {
        Optional<OutboundQueue.Item> item = queue.take(millis, TimeUnit.MILLISECONDS);
        item.ifPresent(taken -> queue.finished());
        return item;
    }

    private static Optional<OutboundQueue.Item> next(OutboundQueue queue) throws InterruptedException {
        return next(queue, 1000);
    }

    private static String text(Outbound outbound) {
        return outbound.message().content().path("text").asText();
    }

    @Test
    void queue_refusesTheMessageOverTheCount() {
        OutboundQueue queue = new OutboundQueue(2, Long.MAX_VALUE);

        assertThat(queue.offer(message("a"))).isTrue();
        assertThat(queue.offer(message("b"))).isTrue();
        assertThat(queue.offer(message("c"))).isFalse();
        assertThat(queue.size()).isEqualTo(2);
    }

    @Test
    void queue_refusesTheMessageOverTheBytes() {
        Outbound a = message("a");
        OutboundQueue queue = new OutboundQueue(100, a.size() * 2);

        assertThat(queue.offer(a)).isTrue();
        assertThat(queue.offer(message("b"))).isTrue();
        assertThat(queue.offer(message("c"))).isFalse();
        assertThat(queue.bytes()).isEqualTo(a.size() * 2);
    }

    @Test
    void queue_answersThePingBeforeWaitingMessages_onlyTheLatest_andNotAfterTheClose() throws Exception {
        OutboundQueue queue = new OutboundQueue(10, Long.MAX_VALUE);
        Outbound a = message("a");
        queue.offer(a);
        queue.pong(new byte[] {1});
        queue.pong(new byte[] {2});
        assertThat(next(queue).orElseThrow())
                .isInstanceOfSatisfying(OutboundQueue.Pong.class, pong -> assertThat(pong.payload()).containsExactly(2));
        assertThat(next(queue)).contains(new OutboundQueue.Write(a));
        assertThat(next(queue, 10)).as("one pong for both pings").isEmpty();
        queue.close(1000, "bye");
        queue.pong(new byte[] {3});
        assertThat(next(queue).orElseThrow())
                .isInstanceOf(OutboundQueue.Close.class);
    }

    @Test
    void queue_givesMessagesInOrderThenTheClose() throws Exception {
        OutboundQueue queue = new OutboundQueue(10, Long.MAX_VALUE);
        queue.offer(message("a"));
        queue.offer(message("b"));
        queue.close(1000, "bye");

        assertThat(queue.offer(message("c"))).as("nothing after the close").isFalse();
        assertThat(next(queue).orElseThrow()).isInstanceOfSatisfying(OutboundQueue.Write.class,
                write -> assertThat(text(write.message())).isEqualTo("a"));
        assertThat(next(queue).orElseThrow()).isInstanceOf(OutboundQueue.Write.class);
        assertThat(next(queue)).contains(new OutboundQueue.Close(1000, "bye"));
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void queue_takeTimesOutWhenEmpty() throws Exception {
        assertThat(new OutboundQueue(1, 1000).take(1, TimeUnit.MILLISECONDS)).isEmpty();
    }

    @Test
    void queue_drainReturnsWhatWasNotTaken() throws Exception {
        OutboundQueue queue = new OutboundQueue(10, Long.MAX_VALUE);
        queue.offer(message("a"));
        queue.offer(message("b"));
        queue.offer(message("c"));
        next(queue);

        assertThat(queue.drain()).extracting(OutboundQueueAndReplayBufferTest::text).containsExactly("b", "c");
        assertThat(queue.size()).isZero();
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void claim_takesTheTurnOnlyWhenNothingWaitsAndNobodyWrites() throws Exception {
        OutboundQueue queue = new OutboundQueue(10, Long.MAX_VALUE);

        assertThat(queue.claim(0)).as("idle").isTrue();
        assertThat(queue.claim(0)).as("already claimed").isFalse();
        queue.finished();

        queue.offer(message("a"));
        assertThat(queue.claim(0)).as("a message waits").isFalse();
        assertThat(queue.take(1, TimeUnit.SECONDS)).isPresent();
        assertThat(queue.claim(0)).as("the writer is writing what it took").isFalse();
        queue.finished();
        assertThat(queue.claim(0)).as("idle again").isTrue();
        queue.finished();

        queue.pong(new byte[] {1});
        assertThat(queue.claim(0)).as("a pong is due").isFalse();
        assertThat(next(queue).orElseThrow()).isInstanceOf(OutboundQueue.Pong.class);

        queue.close(1000, "bye");
        assertThat(queue.claim(0)).as("closing").isFalse();
    }

    @Test
    void claim_whatIsQueuedDuringAClaimedWriteWaitsForIt_thenFollowsInOrder() throws Exception {
        OutboundQueue queue = new OutboundQueue(10, Long.MAX_VALUE);
        assertThat(queue.claim(0)).isTrue();
        queue.offer(message("b"));
        queue.offer(message("c"));

        assertThat(queue.take(20, TimeUnit.MILLISECONDS)).as("the writer waits for the claimed write").isEmpty();
        queue.finished();

        assertThat(next(queue).orElseThrow()).isInstanceOfSatisfying(OutboundQueue.Write.class,
                write -> assertThat(text(write.message())).isEqualTo("b"));
        assertThat(next(queue).orElseThrow()).isInstanceOfSatisfying(OutboundQueue.Write.class,
                write -> assertThat(text(write.message())).isEqualTo("c"));
    }

    @Test
    void claim_finishingWakesAWriterThatWaitsForIt() throws Exception {
        OutboundQueue queue = new OutboundQueue(10, Long.MAX_VALUE);
        assertThat(queue.claim(0)).isTrue();
        queue.offer(message("b"));
        CompletableFuture<Optional<OutboundQueue.Item>> taken = new CompletableFuture<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                taken.complete(queue.take(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                taken.completeExceptionally(e);
            }
        });
        Await.until(Duration.ofSeconds(5), "the writer to wait in take",
                () -> writer.getState() == Thread.State.TIMED_WAITING);
        assertThat(taken).as("still waiting for the claimed write").isNotDone();

        queue.finished();

        assertThat(taken.get(5, TimeUnit.SECONDS).orElseThrow()).isInstanceOf(OutboundQueue.Write.class);
    }

    @Test
    void claimStalled_onlyForAClaimOlderThanTheLimit() throws Exception {
        OutboundQueue queue = new OutboundQueue(10, Long.MAX_VALUE);
        assertThat(queue.claimStalled(5_000, 1_000)).as("no claim").isFalse();

        queue.claim(1_000);
        assertThat(queue.claimStalled(1_500, 1_000)).isFalse();
        assertThat(queue.claimStalled(2_001, 1_000)).isTrue();
        queue.finished();
        assertThat(queue.claimStalled(9_000, 1_000)).as("finished").isFalse();

        queue.offer(message("a"));
        queue.take(1, TimeUnit.SECONDS);
        assertThat(queue.claimStalled(9_000, 1_000)).as("the writer's own turn is not a claim").isFalse();
    }

    @Test
    void buffer_dropsTheOldestOverTheCount_andCountsThem() {
        ReplayBuffer buffer = new ReplayBuffer(3, Long.MAX_VALUE);

        for (String text : List.of("1", "2", "3", "4", "5")) {
            buffer.add(message(text));
        }

        assertThat(buffer.messages()).extracting(OutboundQueueAndReplayBufferTest::text).containsExactly("3", "4", "5");
        assertThat(buffer.dropped()).isEqualTo(2);
    }

    @Test
    void buffer_dropsTheOldestOverTheBytes() {
        Outbound small = message("s");
        ReplayBuffer buffer = new ReplayBuffer(100, small.size() * 3);
        buffer.add(message("a"));
        buffer.add(message("b"));
        buffer.add(message("c"));

        buffer.add(message("d"));

        assertThat(buffer.messages()).extracting(OutboundQueueAndReplayBufferTest::text).containsExactly("b", "c", "d");
        assertThat(buffer.bytes()).isEqualTo(small.size() * 3);
        assertThat(buffer.dropped()).isEqualTo(1);
    }

    @Test
    void buffer_aMessageLargerThanTheBytes_isDroppedItself() {
        ReplayBuffer buffer = new ReplayBuffer(100, message("a").size());
        buffer.add(message("a"));

        buffer.add(message("a much longer text than fits"));

        assertThat(buffer.messages()).extracting(OutboundQueueAndReplayBufferTest::text).containsExactly("a");
        assertThat(buffer.dropped()).isEqualTo(1);
    }
}
