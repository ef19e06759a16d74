package io.quire.kernel;

/**
 * A snapshot of a client's counters.
 *
 * @param messagesReceived    validly signed messages received on all channels
 * @param badSignatures       messages dropped because their signature did not verify
 * @param malformedMessages   frames dropped because they were not a Jupyter message
 * @param unroutedMessages    valid replies/stdin messages whose parent request was unknown (e.g. timed out)
 *                            and that no {@link KernelClient#onAnyMessage} listener received
 * @param heartbeatFailures   times the kernel was declared unresponsive
 * @param iopubShed           IOPub output messages not handed to a listener because it had fallen
 *                            {@link KernelClientOptions#listenerQueueLimit()} messages behind (counted once per
 *                            listener that missed them)
 */
public record ClientMetrics(long messagesReceived, long badSignatures, long malformedMessages,
                            long unroutedMessages, long heartbeatFailures, long iopubShed) {
}
