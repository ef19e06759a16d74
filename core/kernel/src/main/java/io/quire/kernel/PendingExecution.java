package io.quire.kernel;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An execution in flight. Its {@link #reply()} completes only after both the {@code execute_reply} and
 * the IOPub {@code status: idle} for the request were seen and every earlier event was handed to the
 * listener, so a caller that writes outputs into a notebook has them all. It completes exceptionally
 * with {@link KernelDiedException} when the kernel dies first.
 */
public final class PendingExecution {
    private final String msgId;
    private final CompletableFuture<ExecuteReply> reply;

    PendingExecution(String msgId, CompletableFuture<ExecuteReply> reply) {
        this.msgId = Objects.requireNonNull(msgId, "msgId");
        this.reply = reply;
    }

    /** @return the msg_id of the {@code execute_request} */
    public String msgId() {
        return msgId;
    }

    /** @return a future of the reply; completing or cancelling it does not affect the execution */
    public CompletableFuture<ExecuteReply> reply() {
        return reply.copy();
    }

    /**
     * Waits for the reply.
     *
     * @param timeout how long to wait
     * @return the reply
     * @throws KernelTimeoutException when it does not come in time (the execution goes on)
     * @throws KernelDiedException    when the kernel died
     * @throws KernelException        when the wait was interrupted or the client closed
     */
    public ExecuteReply await(Duration timeout) {
        return Futures.await(reply, timeout, "execute_request " + msgId);
    }

    /** Blocking helpers shared by the client. */
    static final class Futures {
        private Futures() {
        }

        static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
            try {
                return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new KernelTimeoutException(what + " got no answer within " + timeout, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof KernelDiedException died) {
                    throw new KernelDiedException(died.getMessage(), died);
                }
                if (e.getCause() instanceof KernelReplyException failed) {
                    throw new KernelReplyException(what, failed.ename(), failed.evalue());
                }
                throw new KernelException(what + " failed: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KernelException("interrupted while waiting for " + what, e);
            }
        }
    }
}
