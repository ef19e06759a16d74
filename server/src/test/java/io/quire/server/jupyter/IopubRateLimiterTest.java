package io.quire.server.jupyter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.server.jupyter.IopubRateLimiter.Decision;
import io.quire.server.jupyter.IopubRateLimiter.Exceeded;
import io.quire.server.jupyter.IopubRateLimiter.Limit;
import io.quire.server.jupyter.IopubRateLimiter.Resumed;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IOPub rate limiter on a clock the tests advance: window arithmetic, both limits, hysteresis and resets. */
class IopubRateLimiterTest {
    private final AtomicLong now = new AtomicLong(42_000_000_000L);

    /** 10 messages/s and 100 bytes/s over 2 s: 20 messages or 200 bytes fit in the window. */
    private IopubRateLimiter limiter(double messages, double bytes) {
        return new IopubRateLimiter(messages, bytes, Duration.ofSeconds(2), now::get);
    }

    private void advance(long millis) {
        now.addAndGet(Duration.ofMillis(millis).toNanos());
    }

    private static Decision output(IopubRateLimiter limiter) {
        return limiter.admit("display_data", "", 0);
    }

    private static Decision stream(IopubRateLimiter limiter, long bytes) {
        return limiter.admit("stream", "", bytes);
    }

    private static Decision idle(IopubRateLimiter limiter) {
        return limiter.admit("status", "idle", 0);
    }

    private static void admitAll(IopubRateLimiter limiter, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(output(limiter).relay()).as("message %d", i).isTrue();
        }
    }

    @Test
    void messagesUpToTheLimitTimesTheWindow_areRelayed() {
        IopubRateLimiter limiter = limiter(10, 0);

        admitAll(limiter, 20);

        assertThat(limiter.paused()).isFalse();
        assertThat(limiter.windowMessages()).isEqualTo(20);
    }

    @Test
    void theMessageThatExceedsTheRate_isDroppedAndReportsExceeded() {
        IopubRateLimiter limiter = limiter(10, 0);
        admitAll(limiter, 20);

        Decision decision = output(limiter);

        assertThat(decision.relay()).isFalse();
        assertThat(decision.transitions()).containsExactly(new Exceeded(Limit.MESSAGES));
        assertThat(limiter.paused()).isTrue();
    }

    @Test
    void whilePaused_furtherMessagesAreDroppedWithoutAnotherReport() {
        IopubRateLimiter limiter = limiter(10, 0);
        admitAll(limiter, 20);
        output(limiter);

        for (int i = 0; i < 100; i++) {
            assertThat(output(limiter)).isEqualTo(Decision.DROP);
        }
        assertThat(limiter.windowMessages()).as("dropped messages leave the window").isEqualTo(20);
    }

    @Test
    void messagesSpreadOverTheWindow_stayUnderTheRate() {
        IopubRateLimiter limiter = limiter(10, 0);

        for (int i = 0; i < 1000; i++) {
            assertThat(output(limiter).relay()).as("message %d", i).isTrue();
            advance(100);
        }
        assertThat(limiter.windowMessages()).isEqualTo(20);
    }

    @Test
    void entriesLeaveTheWindowExactlyWhenTheWindowHasPassed() {
        IopubRateLimiter limiter = limiter(10, 0);
        admitAll(limiter, 20);

        advance(1999);
        assertThat(output(limiter).relay()).as("1 ms before the first entries expire").isFalse();

        advance(1);
        Decision decision = output(limiter);
        assertThat(limiter.windowMessages()).isEqualTo(1);
        assertThat(decision.relay()).isTrue();
    }

    @Test
    void pausedOutput_resumesOnceTheRateIsBelowEightyPercent_andReportsTheDropped() {
        IopubRateLimiter limiter = limiter(10, 0);
        admitAll(limiter, 10);
        advance(1000);
        admitAll(limiter, 10);
        output(limiter);
        output(limiter);
        output(limiter);

        advance(1000);
        Decision decision = output(limiter);

        assertThat(limiter.windowMessages()).isEqualTo(11);
        assertThat(decision.relay()).isTrue();
        assertThat(decision.transitions()).containsExactly(new Resumed(3));
        assertThat(limiter.paused()).isFalse();
    }

    @Test
    void pausedOutput_staysPausedBetweenTheLimitAndEightyPercent() {
        IopubRateLimiter limiter = limiter(10, 0);
        admitAll(limiter, 4);
        advance(1000);
        admitAll(limiter, 16);
        assertThat(output(limiter).relay()).isFalse();

        advance(1000);
        Decision decision = output(limiter);

        assertThat(decision.relay()).as("17 of 20 is 85 percent of the rate, above the 80 percent to resume").isFalse();
        assertThat(limiter.paused()).isTrue();
    }

    @Test
    void theDroppedCountStartsAgainAfterAResume() {
        IopubRateLimiter limiter = limiter(10, 0);
        admitAll(limiter, 20);
        output(limiter);
        advance(2000);
        assertThat(output(limiter).transitions()).containsExactly(new Resumed(1));
        admitAll(limiter, 19);

        assertThat(output(limiter).transitions()).containsExactly(new Exceeded(Limit.MESSAGES));
        output(limiter);
        advance(2000);

        assertThat(output(limiter).transitions()).containsExactly(new Resumed(2));
    }

    @Test
    void streamBytesOverTheDataRate_pauseWithADataReport() {
        IopubRateLimiter limiter = limiter(0, 100);
        assertThat(stream(limiter, 150).relay()).isTrue();
        assertThat(stream(limiter, 50).relay()).isTrue();

        Decision decision = stream(limiter, 1);

        assertThat(decision.relay()).isFalse();
        assertThat(decision.transitions()).containsExactly(new Exceeded(Limit.DATA));
        assertThat(limiter.windowBytes()).isEqualTo(200);
    }

    @Test
    void bytesOfOtherMessageTypes_areNotCounted() {
        IopubRateLimiter limiter = limiter(0, 100);

        for (int i = 0; i < 50; i++) {
            assertThat(limiter.admit("display_data", "", 1_000_000).relay()).isTrue();
        }
        assertThat(limiter.windowBytes()).isZero();
    }

    @Test
    void dataLimit_resumesBelowEightyPercentOfTheDataRate() {
        IopubRateLimiter limiter = limiter(0, 100);
        stream(limiter, 200);
        assertThat(stream(limiter, 10).relay()).isFalse();
        advance(2000);

        Decision decision = stream(limiter, 150);

        assertThat(decision.relay()).as("150 bytes in 2 s is 75 bytes/s, below 80").isTrue();
        assertThat(decision.transitions()).containsExactly(new Resumed(1));
    }

    @Test
    void dataLimit_aStreamThatAloneKeepsTheRateAbove80Percent_isDropped() {
        IopubRateLimiter limiter = limiter(0, 100);
        stream(limiter, 200);
        stream(limiter, 10);
        advance(2000);

        assertThat(stream(limiter, 170).relay()).as("85 bytes/s is not below 80").isFalse();
    }

    @Test
    void bothLimitsExceeded_reportBoth_andOutputResumesOnlyWhenBothClear() {
        IopubRateLimiter limiter = limiter(10, 100);
        for (int i = 0; i < 19; i++) {
            stream(limiter, 10);
        }
        Decision both = stream(limiter, 20);
        assertThat(both.transitions()).as("19 + 1 messages fit, 210 bytes do not").containsExactly(
                new Exceeded(Limit.DATA));
        stream(limiter, 0);
        assertThat(limiter.paused()).isTrue();

        advance(2000);
        Decision resumed = stream(limiter, 10);
        assertThat(resumed.relay()).isTrue();
        assertThat(resumed.transitions()).containsExactly(new Resumed(2));
    }

    @Test
    void messageAndDataLimit_canBothTripOnOneMessage() {
        IopubRateLimiter limiter = limiter(10, 100);
        for (int i = 0; i < 20; i++) {
            stream(limiter, 10);
        }

        Decision decision = stream(limiter, 10);

        assertThat(decision.transitions()).containsExactly(new Exceeded(Limit.MESSAGES), new Exceeded(Limit.DATA));
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "comm_open", "execute_input"})
    void alwaysPassingTypes_areRelayedWhilePausedAndNotCounted(String msgType) {
        IopubRateLimiter limiter = limiter(10, 0);
        admitAll(limiter, 20);
        output(limiter);

        Decision decision = limiter.admit(msgType, "busy", 10);

        assertThat(decision).isEqualTo(Decision.RELAY);
        assertThat(limiter.windowMessages()).isEqualTo(20);
        assertThat(limiter.paused()).isTrue();
    }

    @Test
    void idleStatus_resetsTheWindowAndResumesAPausedOutput() {
        IopubRateLimiter limiter = limiter(10, 0);
        admitAll(limiter, 20);
        output(limiter);
        output(limiter);

        Decision decision = idle(limiter);

        assertThat(decision.relay()).isTrue();
        assertThat(decision.transitions()).containsExactly(new Resumed(2));
        assertThat(limiter.windowMessages()).isZero();
        admitAll(limiter, 20);
    }

    @Test
    void idleStatus_whenNotPaused_onlyResets() {
        IopubRateLimiter limiter = limiter(10, 0);
        admitAll(limiter, 15);

        assertThat(idle(limiter)).isEqualTo(Decision.RELAY);
        assertThat(limiter.windowMessages()).isZero();
    }

    @Test
    void zeroLimits_relayEverything() {
        IopubRateLimiter limiter = limiter(0, 0);

        for (int i = 0; i < 10_000; i++) {
            assertThat(stream(limiter, 1_000_000).relay()).isTrue();
        }
        assertThat(limiter.windowMessages()).isZero();
    }

    @Test
    void defaults_areJupyters_3000MessagesIn3Seconds() {
        IopubRateLimiter limiter = IopubRateLimiter.create(ChannelsOptions.defaults(), now::get);

        admitAll(limiter, 3000);

        assertThat(output(limiter).transitions()).containsExactly(new Exceeded(Limit.MESSAGES));
    }

    @Test
    void defaults_3MegabytesOfStreamIn3Seconds() {
        IopubRateLimiter limiter = IopubRateLimiter.create(ChannelsOptions.defaults(), now::get);

        assertThat(stream(limiter, 3_000_000).relay()).isTrue();
        assertThat(stream(limiter, 1).transitions()).containsExactly(new Exceeded(Limit.DATA));
    }

    @Test
    void negativeLimitsOrAnEmptyWindow_areRejected() {
        assertThatThrownBy(() -> new IopubRateLimiter(-1, 0, Duration.ofSeconds(1), now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> new IopubRateLimiter(1, 1, Duration.ZERO, now::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
