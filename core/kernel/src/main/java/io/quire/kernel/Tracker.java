package io.quire.kernel;

import java.util.concurrent.CompletableFuture;

/**
 * What the client remembers about one request in flight, keyed by its msg_id. Methods are called on the
 * I/O thread (on*) or by any thread (fail) and must not block.
 */
abstract sealed class Tracker permits Tracker.Reply, ExecutionTracker {

    abstract void onReply(Message reply);

    abstract void onIopub(Message message, IopubEvent event);

    abstract void onStdin(Message message);

    abstract void fail(KernelException failure);

    /**
     * Tracks a plain request: the reply, and whether any IOPub message parented to it arrived. Several
     * trackers may share the same futures (the kernel_info nudges are one logical request).
     */
    static final class Reply extends Tracker {
        final CompletableFuture<Message> reply;
        final CompletableFuture<Void> iopubSeen;

        Reply(CompletableFuture<Message> reply, CompletableFuture<Void> iopubSeen) {
            this.reply = reply;
            this.iopubSeen = iopubSeen;
        }

        Reply() {
            this(new CompletableFuture<>(), new CompletableFuture<>());
        }

        @Override
        void onReply(Message message) {
            reply.complete(message);
        }

        @Override
        void onIopub(Message message, IopubEvent event) {
            iopubSeen.complete(null);
        }

        @Override
        void onStdin(Message message) {
            // plain requests do not read input
        }

        @Override
        void fail(KernelException failure) {
            reply.completeExceptionally(failure);
            iopubSeen.completeExceptionally(failure);
        }
    }
}
