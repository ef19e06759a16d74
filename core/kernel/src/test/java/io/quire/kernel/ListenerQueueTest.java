package io.quire.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bounded listener queue with a hand-cranked executor: nothing runs until the test drains it. */
class ListenerQueueTest {
    /** Collects drain loops instead of running them, so the listener is "slow" until {@link #runAll()}. */
    private static final class ManualExecutor implements Executor {
        final Queue<Runnable> pending = new ArrayDeque<>();

        @Override
        public void execute(Runnable command) {
            pending.add(command);
        }

        void runAll() {
            while (!pending.isEmpty()) {
                pending.poll().run();
            }
        }
    }

    private final ManualExecutor executor = new ManualExecutor();
    private final LongAdder shed = new LongAdder();
    private final ListenerQueue queue = new ListenerQueue(executor, 3, shed, "test listener");
    private final List<String> delivered = new ArrayList<>();

    private boolean offer(String msgType, String label) {
        return queue.offerIopub(msgType, () -> delivered.add(label));
    }

    @Test
    void outputBeyondTheLimit_isShedAndCounted_whileLifecycleMessagesAndRepliesAreKept() {
        for (int i = 0; i < 5; i++) {
            offer("stream", "stream" + i);
        }
        offer("status", "idle");
        offer("execute_result", "result");
        queue.execute(() -> delivered.add("reply"));
        offer("display_data", "late display");

        executor.runAll();

        assertThat(delivered).containsExactly("stream0", "stream1", "stream2", "idle", "result", "reply");
        assertThat(shed.sum()).isEqualTo(3);
    }

    @Test
    void offer_reportsWhetherTheMessageWasQueued() {
        assertThat(offer("stream", "a")).isTrue();
        assertThat(offer("stream", "b")).isTrue();
        assertThat(offer("stream", "c")).isTrue();
        assertThat(offer("stream", "d")).isFalse();
        assertThat(offer("status", "busy")).isTrue();
    }

    @Test
    void aListenerThatCaughtUp_getsOutputAgain() {
        for (int i = 0; i < 4; i++) {
            offer("stream", "first" + i);
        }
        executor.runAll();
        offer("stream", "second");
        executor.runAll();

        assertThat(delivered).containsExactly("first0", "first1", "first2", "second");
        assertThat(shed.sum()).isEqualTo(1);
    }

    @Test
    void callsRunInSubmissionOrder_andAFailingCallDoesNotStopLaterOnes() {
        queue.execute(() -> delivered.add("one"));
        queue.execute(() -> {
            throw new IllegalStateException("listener bug");
        });
        offer("stream", "three");

        executor.runAll();

        assertThat(delivered).containsExactly("one", "three");
    }

    @Test
    void sheddable_isTrueForOutputAndFalseForLifecycleTypes() {
        assertThat(ListenerQueue.sheddable("stream")).isTrue();
        assertThat(ListenerQueue.sheddable("display_data")).isTrue();
        assertThat(ListenerQueue.sheddable("comm_msg")).isTrue();
        assertThat(ListenerQueue.sheddable("status")).isFalse();
        assertThat(ListenerQueue.sheddable("error")).isFalse();
        assertThat(ListenerQueue.sheddable("comm_close")).isFalse();
    }

    @Test
    void limit_mustBePositive() {
        assertThatThrownBy(() -> new ListenerQueue(executor, 0, shed, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 but was 0");
    }
}
