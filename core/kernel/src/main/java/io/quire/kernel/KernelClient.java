package io.quire.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A thread-safe client of one Jupyter kernel over ZeroMQ (messaging protocol 5.3+, tcp). Any thread,
 * including virtual threads, may call any method; the sockets themselves live on dedicated platform
 * threads. Replies and IOPub messages are routed to the request they belong to by parent msg_id.
 *
 * <p>Blocking methods wait at most {@link KernelClientOptions#requestTimeout()} and throw
 * {@link KernelTimeoutException}; all fail at once with {@link KernelDiedException} while the kernel is
 * dead or unresponsive, and with {@link KernelException} once the client is closed. A reply with
 * {@code status: error} raises {@link KernelReplyException}.
 */
public interface KernelClient extends AutoCloseable {

    /**
     * Connects to a kernel. Returns at once: ZeroMQ connects in the background; call
     * {@link #kernelInfo(Duration)} to wait until the kernel answers and IOPub is live.
     *
     * @param info    where the kernel is
     * @param options client settings
     * @return the connected client
     * @throws KernelProtocolException when the transport or signature scheme is not supported
     */
    static KernelClient connect(ConnectionInfo info, KernelClientOptions options) {
        return ZmqKernelClient.connect(info, options);
    }

    /** @return the connection info this client uses */
    ConnectionInfo connectionInfo();

    /** @return the session id put in every header this client sends */
    String sessionId();

    /**
     * Asks for kernel info, re-sending the request every {@link KernelClientOptions#nudgeInterval()} until
     * a reply arrived and an IOPub message parented to one of the requests arrived, which proves the IOPub
     * subscription is live (the slow-joiner problem of PUB/SUB).
     *
     * @param timeout how long to keep trying
     * @return the kernel info
     * @throws KernelTimeoutException when the kernel is not ready in time
     */
    KernelInfo kernelInfo(Duration timeout);

    /**
     * Sends an {@code execute_request}; returns at once.
     *
     * @param request  what to run
     * @param listener receives the IOPub events and stdin input requests of this execution
     * @return the pending execution; its reply fails with {@link KernelDiedException} if the kernel dies
     */
    PendingExecution execute(ExecuteRequest request, ExecutionListener listener);

    /**
     * @param code      the code
     * @param cursorPos cursor position in Unicode code points
     * @return the completions
     */
    CompleteReply complete(String code, int cursorPos);

    /**
     * @param code        the code
     * @param cursorPos   cursor position in Unicode code points
     * @param detailLevel 0 or 1
     * @return what the kernel knows about the object at the cursor
     */
    InspectReply inspect(String code, int cursorPos, int detailLevel);

    /**
     * @param code the code
     * @return whether the code is complete
     */
    IsCompleteReply isComplete(String code);

    /**
     * @param request what history to fetch
     * @return the history
     */
    HistoryReply history(HistoryRequest request);

    /**
     * @param targetName only comms of this target, or all when empty
     * @return the open comms
     */
    CommInfoReply commInfo(Optional<String> targetName);

    /**
     * Sends {@code comm_open} on shell (no reply is defined; IOPub answers reach {@link #onIopub}).
     *
     * @param commId     the new comm's id
     * @param targetName the target name
     * @param data       the data
     * @param buffers    binary buffers
     * @return the msg_id of the sent message
     */
    String openComm(String commId, String targetName, ObjectNode data, List<byte[]> buffers);

    /**
     * Sends {@code comm_msg} on shell.
     *
     * @param commId  the comm id
     * @param data    the data
     * @param buffers binary buffers
     * @return the msg_id of the sent message
     */
    String sendCommMessage(String commId, ObjectNode data, List<byte[]> buffers);

    /**
     * Sends {@code comm_close} on shell.
     *
     * @param commId the comm id
     * @param data   the data
     * @return the msg_id of the sent message
     */
    String closeComm(String commId, ObjectNode data);

    /** Sends {@code interrupt_request} on control and waits for the reply. */
    void interruptRequest();

    /**
     * Sends {@code shutdown_request} on control and waits for the reply.
     *
     * @param restart tells the kernel a restart follows
     */
    void shutdown(boolean restart);

    /**
     * Signs and sends a message given as open JSON, unchanged: the header (msg_id, session, date, ...) is the
     * caller's, so replies and IOPub messages parented to it carry the caller's session and msg_id. This is
     * the pass-through a kernel WebSocket bridge needs; typed requests made through the other methods keep
     * working alongside. Returns at once; answers reach {@link #onAnyMessage} listeners only (no typed
     * request waits for them). {@code input_reply} messages go on {@link Channel#STDIN}, whose socket shares
     * the shell identity, as the kernel requires.
     *
     * @param channel {@link Channel#SHELL}, {@link Channel#CONTROL} or {@link Channel#STDIN}
     * @param message the message; its header must hold a non-empty {@code msg_id} and {@code msg_type}
     * @throws IllegalArgumentException when the channel cannot be sent on, or msg_id or msg_type is missing
     * @throws KernelDiedException      while the kernel is dead or unresponsive
     * @throws KernelException          once the client is closed
     */
    void send(Channel channel, RawMessage message);

    /**
     * Registers a listener for every verified incoming message on every channel (shell and control replies,
     * stdin input requests, IOPub), including messages answering requests this client did not make through
     * its typed methods, e.g. those sent with {@link #send(Channel, RawMessage)}. Each listener has its own
     * serial queue on the callback executor: it is called one message at a time, in arrival order per
     * channel, never on the I/O thread, and a slow listener delays neither the sockets nor other listeners.
     * The queue is bounded: once {@link KernelClientOptions#listenerQueueLimit()} IOPub output messages
     * (streams, displays, comm messages) wait for this listener, further output is dropped for it alone,
     * counted in {@link ClientMetrics#iopubShed()} and logged once per burst, until it catches up. Shell and
     * control replies, stdin requests and lifecycle IOPub messages ({@code status}, {@code execute_input},
     * {@code execute_result}, {@code error}, {@code comm_open}, {@code comm_close}) are always delivered.
     *
     * @param listener the listener
     * @return removes it; messages already queued for it may still be delivered
     */
    Registration onAnyMessage(RawMessageListener listener);

    /**
     * Registers a listener called directly on the client's receiving thread for every verified incoming message,
     * before the queued listeners of {@link #onAnyMessage}: no hand-off to another thread, which is what a relay of
     * the kernel's messages to other sockets needs (the server's kernel WebSocket). It is called one message at a
     * time, in arrival order per channel. It must return quickly and never block — the kernel's next messages wait
     * while it runs — and nothing is shed for it; an exception it throws is logged and the message still goes to the
     * other listeners. Implementations without a receiving thread of their own queue it like {@link #onAnyMessage}.
     *
     * @param listener the listener
     * @return removes it
     */
    default Registration onAnyMessageDirect(RawMessageListener listener) {
        return onAnyMessage(listener);
    }

    /**
     * Registers a listener for every IOPub message. Listeners share one serial queue, bounded as for
     * {@link #onAnyMessage}.
     *
     * @param listener the listener
     * @return removes it
     */
    Registration onIopub(IopubListener listener);

    /**
     * Registers a listener for state changes (e.g. heartbeat lost or regained).
     *
     * @param listener receives the new state
     * @return removes it
     */
    Registration onStateChange(Consumer<ClientState> listener);

    /** @return the current state */
    ClientState state();

    /** @return a snapshot of the counters */
    ClientMetrics metrics();

    /** Closes the sockets; pending requests fail. Idempotent. */
    @Override
    void close();
}
