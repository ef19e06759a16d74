package io.quire.kernel;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.quire.testing.Await;
import io.quire.testing.FakeKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kernel floods IOPub while a listener is stuck: the I/O thread keeps serving, the listener's queue stays bounded
 * (output shed and counted, one warning per burst), and replies and status messages all still reach it.
 */
class ListenerBackpressureTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int LIMIT = 50;
    private static final int FLOOD = 2_000;

    private final FakeKernel fake = FakeKernel.builder()
            .command("flood", (argument, context) -> {
                for (int i = 0; i < Integer.parseInt(argument); i++) {
                    context.stream("stdout", "line " + i + "\n");
                }
            })
            .start();
    private final KernelClient client = KernelClient.connect(ConnectionInfo.parse(fake.connectionFileJson()),
            KernelClientOptions.defaults().withRequestTimeout(TIMEOUT).withListenerQueueLimit(LIMIT));
    private final Logger queueLog = (Logger) LoggerFactory.getLogger(ListenerQueue.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @AfterEach
    void close() {
        queueLog.detachAppender(log);
        client.close();
        fake.close();
    }

    private record Seen(Channel channel, RawMessage message) {
    }

    private static RawMessage execute(String code) {
        return new RawMessage(Json.object().put("msg_id", UUID.randomUUID().toString()).put("session", "remote")
                .put("username", "remote").put("date", Clock.systemUTC().instant().toString())
                .put("msg_type", "execute_request").put("version", "5.3"), Json.object(), Json.object(),
                Json.object().put("code", code).put("silent", false).put("store_history", true)
                        .put("allow_stdin", false).put("stop_on_error", true), List.of());
    }

    @Test
    void stuckListener_floodIsShedForIt_whileRepliesStatusAndOtherRequestsGetThrough() throws Exception {
        log.start();
        queueLog.addAppender(log);
        client.kernelInfo(TIMEOUT);
        CountDownLatch unblock = new CountDownLatch(1);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        client.onAnyMessage((channel, message) -> {
            try {
                unblock.await(30, TimeUnit.SECONDS); // stuck until the test lets it go
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.add(new Seen(channel, message));
        });
        RawMessage request = execute("flood:" + FLOOD);

        client.send(Channel.SHELL, request);
        Await.until(TIMEOUT, "the flood to be shed", () -> client.metrics().iopubShed() >= FLOOD - LIMIT);
        // the I/O thread is not held up by the stuck listener: a typed request still gets its reply
        assertThat(client.complete("pri", 3).matches()).contains("print");
        unblock.countDown();

        Await.until(TIMEOUT, "the reply and idle reach the listener", () -> answers(seen, request).stream()
                .anyMatch(s -> s.message().msgType().equals("execute_reply"))
                && answers(seen, request).stream().anyMatch(s -> s.message().msgType().equals("status")
                        && s.message().content().path("execution_state").asText().equals("idle")));
        long streams = answers(seen, request).stream().filter(s -> s.message().msgType().equals("stream")).count();
        assertThat(streams).as("at most the limit waited for the stuck listener").isLessThanOrEqualTo(LIMIT);
        assertThat(client.metrics().iopubShed()).isEqualTo(FLOOD - streams);
        assertThat(answers(seen, request)).extracting(s -> s.message().msgType())
                .contains("status", "execute_input", "execute_reply");
        List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).as("one line when shedding starts, one when the listener caught up").hasSize(2);
        assertThat(warnings.get(0)).contains("too slow", LIMIT + " IOPub output messages");
        assertThat(warnings.get(1)).contains("caught up", (FLOOD - streams) + " IOPub output messages were dropped");
    }

    @Test
    void executionListener_stuck_stillCompletesWithTheReply_andMissesOnlyOutput() throws Exception {
        client.kernelInfo(TIMEOUT);
        CountDownLatch unblock = new CountDownLatch(1);
        List<IopubEvent> events = new CopyOnWriteArrayList<>();
        PendingExecution pending = client.execute(ExecuteRequest.of("flood:" + FLOOD), new ExecutionListener() {
            @Override
            public void onEvent(IopubEvent event) {
                try {
                    unblock.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add(event);
            }
        });

        Await.until(TIMEOUT, "the flood to be shed", () -> client.metrics().iopubShed() >= FLOOD - LIMIT);
        unblock.countDown();
        ExecuteReply reply = pending.reply().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(reply.status()).isEqualTo(ExecuteReply.Status.OK);
        long streams = events.stream().filter(e -> e instanceof IopubEvent.Stream).count();
        assertThat(streams).isLessThanOrEqualTo(LIMIT);
        assertThat(events).last().isInstanceOfSatisfying(IopubEvent.Status.class,
                status -> assertThat(status.state()).isEqualTo(IopubEvent.ExecutionState.IDLE));
    }

    private static List<Seen> answers(List<Seen> seen, RawMessage request) {
        return seen.stream().filter(s -> s.message().parentMsgId().filter(request.msgId()::equals).isPresent())
                .toList();
    }
}
