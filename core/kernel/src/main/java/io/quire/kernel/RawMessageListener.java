package io.quire.kernel;

/**
 * Receives every verified message a {@link KernelClient} gets from its kernel, on every channel, whoever made
 * the request it answers. See {@link KernelClient#onAnyMessage(RawMessageListener)}.
 */
@FunctionalInterface
public interface RawMessageListener {
    /**
     * @param channel the channel it arrived on: {@link Channel#SHELL}, {@link Channel#CONTROL},
     *                {@link Channel#STDIN} or {@link Channel#IOPUB}
     * @param message the message as received (JSON parts exactly as the kernel sent them)
     */
    void onMessage(Channel channel, RawMessage message);
}
