package io.quire.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/*
 * Tracks one execute_request. Listener calls go through a ListenerQueue so they run one at a time and
 * in arrival order, off the I/O thread; output events are shed when the listener falls far behind (see
 * ListenerQueue), status, results, errors and input requests never are. The result completes through the same serial queue once both
 * the execute_reply and IOPub status idle were seen (in either order, since they travel on different
 * sockets), which guarantees the listener has been handed every output first. An aborted reply
 * completes without waiting for idle; if idle never comes (IOPub messages lost to a slow-joining SUB),
 * the result completes after a grace period so a caller cannot hang forever. A failure (kernel died,
 * client closed) completes the result at once, without waiting for queued listener calls.
 */
final class ExecutionTracker extends Tracker {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionTracker.class);

    private final String msgId;
    private final ExecutionListener listener;
    private final ListenerQueue serial;
    private final BiConsumer<Message, String> inputReplies;
    private final Duration iopubGrace;
    private final Runnable onDone;
    final CompletableFuture<ExecuteReply> result = new CompletableFuture<>();

    private Message reply;
    private boolean idle;
    private boolean completing;

    ExecutionTracker(String msgId, ExecutionListener listener, ListenerQueue serial,
                     BiConsumer<Message, String> inputReplies, Duration iopubGrace, Runnable onDone) {
        this.msgId = msgId;
        this.listener = listener;
        this.serial = serial;
        this.inputReplies = inputReplies;
        this.iopubGrace = iopubGrace;
        this.onDone = onDone;
    }

    @Override
    void onIopub(Message message, IopubEvent event) {
        serial.offerIopub(message.msgType(), () -> listener.onEvent(event));
        if (event instanceof IopubEvent.Status(IopubEvent.ExecutionState state) && state == IopubEvent.ExecutionState.IDLE) {
            synchronized (this) {
                idle = true;
            }
            maybeComplete(false);
        }
    }

    @Override
    void onReply(Message message) {
        boolean aborted = "aborted".equals(Json.text(message.content(), "status"));
        boolean waitForIdle;
        synchronized (this) {
            reply = message;
            waitForIdle = !idle && !aborted;
        }
        if (waitForIdle) {
            CompletableFuture.delayedExecutor(iopubGrace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                boolean late;
                synchronized (this) {
                    late = !idle && !completing;
                }
                if (late) {
                    LOG.warn("no IOPub idle for execute_request {} within {} of its reply; completing anyway",
                            msgId, iopubGrace);
                }
                maybeComplete(true);
            });
        }
        maybeComplete(aborted);
    }

    @Override
    void onStdin(Message message) {
        if (!message.msgType().equals("input_request")) {
            return;
        }
        InputRequest request = new InputRequest(Json.text(message.content(), "prompt"),
                message.content().path("password").asBoolean(false));
        serial.execute(() -> {
            String value;
            try {
                value = listener.onInputRequest(request);
            } catch (RuntimeException e) {
                LOG.error("input listener failed for execute_request {}; replying with empty input", msgId, e);
                value = "";
            }
            inputReplies.accept(message, value == null ? "" : value);
        });
    }

    @Override
    void fail(KernelException failure) {
        result.completeExceptionally(failure);
        onDone.run();
    }

    private void maybeComplete(boolean force) {
        Message done;
        synchronized (this) {
            if (completing || reply == null || !(idle || force)) {
                return;
            }
            completing = true;
            done = reply;
        }
        onDone.run();
        serial.execute(() -> result.complete(ExecuteReply.fromJson(done.content())));
    }
}
