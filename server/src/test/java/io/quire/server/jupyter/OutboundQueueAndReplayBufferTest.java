package io.quire.server.jupyter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quire.kernel.Channel;
import io.quire.kernel.RawMessage;
import io.quire.server.http.JsonBodies;
import java.util.List;
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
        assertThat(queue.take(1, java.util.concurrent.TimeUnit.SECONDS).orElseThrow())
                .isInstanceOfSatisfying(OutboundQueue.Pong.class, pong -> assertThat(pong.payload()).containsExactly(2));
        assertThat(queue.take(1, java.util.concurrent.TimeUnit.SECONDS)).contains(new OutboundQueue.Write(a));
        assertThat(queue.take(10, java.util.concurrent.TimeUnit.MILLISECONDS)).as("one pong for both pings").isEmpty();
        queue.close(1000, "bye");
        queue.pong(new byte[] {3});
        assertThat(queue.take(1, java.util.concurrent.TimeUnit.SECONDS).orElseThrow())
                .isInstanceOf(OutboundQueue.Close.class);
    }

    @Test
    void queue_givesMessagesInOrderThenTheClose() throws Exception {
        OutboundQueue queue = new OutboundQueue(10, Long.MAX_VALUE);
        queue.offer(message("a"));
        queue.offer(message("b"));
        queue.close(1000, "bye");

        assertThat(queue.offer(message("c"))).as("nothing after the close").isFalse();
        assertThat(queue.take(1, TimeUnit.SECONDS).orElseThrow()).isInstanceOfSatisfying(OutboundQueue.Write.class,
                write -> assertThat(text(write.message())).isEqualTo("a"));
        assertThat(queue.take(1, TimeUnit.SECONDS).orElseThrow()).isInstanceOf(OutboundQueue.Write.class);
        assertThat(queue.take(1, TimeUnit.SECONDS)).contains(new OutboundQueue.Close(1000, "bye"));
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
        queue.take(1, TimeUnit.SECONDS);

        assertThat(queue.drain()).extracting(OutboundQueueAndReplayBufferTest::text).containsExactly("b", "c");
        assertThat(queue.size()).isZero();
        assertThat(queue.bytes()).isZero();
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
