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
     * Registers a listener for every IOPub message.
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
