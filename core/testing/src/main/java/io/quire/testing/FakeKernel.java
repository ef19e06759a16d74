package io.quire.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A protocol-true fake Jupyter kernel for tests: it binds the five ZeroMQ sockets (ROUTER shell,
 * control and stdin, PUB iopub, REP heartbeat) on {@code 127.0.0.1}, signs and verifies messages with
 * HMAC-SHA256 using its own wire implementation, and runs a tiny scripted language so tests can drive
 * every behaviour of a kernel deterministically.
 *
 * <h2>The mini-language</h2>
 * The code of an {@code execute_request} is split into lines; blank lines and lines starting with
 * {@code #} are ignored, leading spaces are dropped and the argument keeps trailing spaces. Each line is {@code command} or {@code command:argument}. Lines run in order
 * and the first failing line stops the cell (the reply then has status {@code error}).
 * <table>
 *   <caption>Commands</caption>
 *   <tr><th>line</th><th>effect</th></tr>
 *   <tr><td>{@code print:TEXT}</td><td>stream {@code stdout} with {@code TEXT\n}</td></tr>
 *   <tr><td>{@code stderr:TEXT}</td><td>stream {@code stderr} with {@code TEXT\n}</td></tr>
 *   <tr><td>{@code result:VALUE}</td><td>{@code execute_result} with {@code text/plain} VALUE</td></tr>
 *   <tr><td>{@code display:MIME:VALUE}</td><td>{@code display_data} {@code {MIME: VALUE}}; a MIME type
 *       ending in {@code json} takes VALUE as JSON</td></tr>
 *   <tr><td>{@code display-id:ID:MIME:VALUE}</td><td>as {@code display} with {@code transient.display_id = ID}</td></tr>
 *   <tr><td>{@code update:ID:MIME:VALUE}</td><td>{@code update_display_data} for display id ID</td></tr>
 *   <tr><td>{@code clear} / {@code clear:wait}</td><td>{@code clear_output} with {@code wait} false / true</td></tr>
 *   <tr><td>{@code error:ENAME:EVALUE}</td><td>{@code error} output, reply status {@code error}</td></tr>
 *   <tr><td>{@code input:PROMPT} / {@code password:PROMPT}</td><td>sends {@code input_request} on stdin
 *       (to the shell identity of the request) and prints the reply to stdout</td></tr>
 *   <tr><td>{@code sleep:MILLIS}</td><td>waits; an {@code interrupt_request} ends it with a
 *       {@code KeyboardInterrupt} error</td></tr>
 *   <tr><td>{@code comm-open:TARGET}</td><td>publishes a kernel-initiated {@code comm_open}</td></tr>
 *   <tr><td>{@code badsig:TEXT}</td><td>publishes a stdout stream whose signature is wrong</td></tr>
 *   <tr><td>{@code die}</td><td>the kernel dies abruptly (sockets closed, nothing more sent)</td></tr>
 *   <tr><td>anything registered with {@link Builder#command}</td><td>the custom {@link CommandHandler}</td></tr>
 * </table>
 * Any other command fails with {@code SyntaxError}. {@code user_expressions} are echoed back as
 * {@code text/plain} values.
 *
 * <h2>Other requests</h2>
 * {@code kernel_info}, {@code complete} (over the command names), {@code inspect} (documents a command),
 * {@code is_complete} (a line ending in {@code \} is incomplete, an unknown command invalid),
 * {@code history} (cells run so far), {@code comm_info}, {@code comm_open} (target {@code reject} is
 * answered by {@code comm_close}), {@code comm_msg} (echoed on IOPub as {@code {"echo": data}} with the
 * same binary buffers), {@code comm_close}, and on control {@code interrupt_request} and
 * {@code shutdown_request} (the fake stops after replying). Shell requests other than execute are
 * answered at once on the I/O thread, framed by {@code busy}/{@code idle} status messages.
 *
 * <h2>Threads</h2>
 * All sockets live on one platform I/O thread that polls with a short timeout and flushes a queue of
 * outgoing frames; cells run one at a time on a worker thread that only touches queues, so it can be
 * blocked or interrupted safely.
 */
public final class FakeKernel implements AutoCloseable {

    /** A custom command of the mini-language. */
    @FunctionalInterface
    public interface CommandHandler {
        /**
         * Runs one line of a cell.
         *
         * @param argument the text after the first {@code :}, empty when there is none
         * @param context  publishes outputs for the running request
         */
        void run(String argument, ExecutionContext context);
    }

    /** What a {@link CommandHandler} can do while a cell runs; valid only during the call. */
    public interface ExecutionContext {
        /**
         * Publishes a {@code stream} message.
         *
         * @param name {@code stdout} or {@code stderr}
         * @param text the text, sent as is
         */
        void stream(String name, String text);

        /**
         * Publishes any IOPub message parented to the running request.
         *
         * @param msgType the message type
         * @param content the content
         * @param buffers binary buffers sent as extra frames
         */
        void publish(String msgType, ObjectNode content, List<byte[]> buffers);

        /**
         * Fails the cell: publishes an {@code error} output and makes the reply status {@code error};
         * later lines do not run.
         *
         * @param ename  exception name
         * @param evalue exception value
         */
        void fail(String ename, String evalue);

        /**
         * Asks the client for input over stdin and waits for the reply.
         *
         * @param prompt   the prompt
         * @param password whether the input is a password
         * @return the reply, or empty when the wait was interrupted (the cell has then failed)
         */
        Optional<String> input(String prompt, boolean password);

        /**
         * Waits, or stops early on an {@code interrupt_request}.
         *
         * @param duration how long to wait
         * @return true when the full duration passed, false when interrupted (the cell has then failed)
         */
        boolean sleep(Duration duration);

        /** @return the execution count of the running cell */
        int executionCount();

        /** @return a new empty JSON object for building content */
        ObjectNode newObject();
    }

    /**
     * One message the fake received with a valid signature.
     *
     * @param channel {@code shell}, {@code control} or {@code stdin}
     * @param msgType the header's msg_type
     * @param header  the header
     * @param content the content
     * @param buffers the binary buffers
     */
    public record Received(String channel, String msgType, ObjectNode header, ObjectNode content,
                           List<byte[]> buffers) {
        /** Copies the buffer list. */
        public Received {
            buffers = List.copyOf(buffers);
        }
    }

    /** Configures a fake kernel before it binds its sockets. */
    public static final class Builder {
        private String key = HexFormat.of().formatHex(randomBytes());
        private int[] ports = new int[5];
        private final Map<String, CommandHandler> commands = new ConcurrentHashMap<>();

        private Builder() {
        }

        /**
         * Sets the signing key.
         *
         * @param key the HMAC key; empty disables signing
         * @return this builder
         */
        public Builder key(String key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Binds fixed ports instead of random ones (to simulate a restart on the same connection info).
         *
         * @return this builder
         */
        public Builder ports(int shell, int iopub, int stdin, int control, int hb) {
            this.ports = new int[] {shell, iopub, stdin, control, hb};
            return this;
        }

        /**
         * Adds a custom command to the mini-language (it overrides a built-in one of the same name).
         *
         * @param name    the command name, the text before the first {@code :}
         * @param handler what it does
         * @return this builder
         */
        public Builder command(String name, CommandHandler handler) {
            commands.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Binds the sockets and starts answering.
         *
         * @return the running fake
         */
        public FakeKernel start() {
            return new FakeKernel(this);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> BUILT_INS = List.of("print", "stderr", "result", "display", "display-id",
            "update", "clear", "error", "input", "password", "sleep", "comm-open", "badsig", "die");
    private static final String IP = "127.0.0.1";

    private record Out(ZMQ.Socket socket, List<byte[]> frames) {
    }

    private record Failure(String ename, String evalue, List<String> traceback) {
    }

    private final String key;
    private final FakeWire wire;
    private final Map<String, CommandHandler> commands;
    private final String session = UUID.randomUUID().toString();
    private final ZContext zmq = new ZContext(1);
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket stdin;
    private final ZMQ.Socket iopub;
    private final ZMQ.Socket hb;
    private final int[] ports;
    private final ConcurrentLinkedQueue<Out> outgoing = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<FakeWire.Incoming> cells = new LinkedBlockingQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> history = new CopyOnWriteArrayList<>();
    private final Map<String, String> comms = new ConcurrentHashMap<>();
    private final AtomicInteger executionCount = new AtomicInteger();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final AtomicInteger interrupts = new AtomicInteger();
    private final AtomicInteger commCounter = new AtomicInteger();
    private final CompletableFuture<Boolean> shutdownRequest = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Thread ioThread;
    private final Thread worker;
    private volatile boolean running = true;
    private volatile boolean abrupt;
    private volatile boolean answerHeartbeat = true;
    private final java.util.concurrent.atomic.AtomicLong heartbeatsAnswered = new java.util.concurrent.atomic.AtomicLong();
    private volatile CountDownLatch interruptLatch = new CountDownLatch(1);
    private volatile CompletableFuture<String> pendingInput = new CompletableFuture<>();

    private FakeKernel(Builder builder) {
        this.key = builder.key;
        this.wire = new FakeWire(key);
        this.commands = Map.copyOf(builder.commands);
        try {
            this.shell = bind(SocketType.ROUTER, builder.ports[0]);
            this.iopub = bind(SocketType.PUB, builder.ports[1]);
            // a test flood must not lose messages inside ZeroMQ (default high-water mark: 1,000)
            this.iopub.setSndHWM(0);
            this.stdin = bind(SocketType.ROUTER, builder.ports[2]);
            this.control = bind(SocketType.ROUTER, builder.ports[3]);
            this.hb = bind(SocketType.REP, builder.ports[4]);
        } catch (ZMQException e) {
            zmq.close();
            throw e;
        }
        this.ports = new int[] {port(shell), port(iopub), port(stdin), port(control), port(hb)};
        this.ioThread = Thread.ofPlatform().daemon().name("fake-kernel-io").start(this::ioLoop);
        this.worker = Thread.ofPlatform().daemon().name("fake-kernel-exec").start(this::workLoop);
    }

    /**
     * Starts a fake kernel with a random key and random ports.
     *
     * @return the running fake
     */
    public static FakeKernel start() {
        return builder().start();
    }

    /** @return a builder for a configured fake */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the IP address all sockets are bound to */
    public String ip() {
        return IP;
    }

    /** @return the shell ROUTER port */
    public int shellPort() {
        return ports[0];
    }

    /** @return the IOPub PUB port */
    public int iopubPort() {
        return ports[1];
    }

    /** @return the stdin ROUTER port */
    public int stdinPort() {
        return ports[2];
    }

    /** @return the control ROUTER port */
    public int controlPort() {
        return ports[3];
    }

    /** @return the heartbeat REP port */
    public int hbPort() {
        return ports[4];
    }

    /** @return the HMAC key, empty when signing is off */
    public String key() {
        return key;
    }

    /** @return a standard Jupyter connection file document for this kernel */
    public String connectionFileJson() {
        ObjectNode json = NODES.objectNode();
        json.put("transport", "tcp");
        json.put("ip", IP);
        json.put("shell_port", shellPort());
        json.put("iopub_port", iopubPort());
        json.put("stdin_port", stdinPort());
        json.put("control_port", controlPort());
        json.put("hb_port", hbPort());
        json.put("key", key);
        json.put("signature_scheme", "hmac-sha256");
        json.put("kernel_name", "fake");
        return json.toPrettyString();
    }

    /**
     * Writes {@link #connectionFileJson()} to a file.
     *
     * @param file the file to write
     * @return the file
     * @throws UncheckedIOException when writing fails
     */
    public Path writeConnectionFile(Path file) {
        try {
            return Files.writeString(file, connectionFileJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every validly signed message received so far, in arrival order */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /**
     * @param msgType a message type
     * @return the last validly signed message of that type received so far
     */
    public Optional<Received> lastReceived(String msgType) {
        List<Received> all = received();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).msgType().equals(msgType)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /** @return how many incoming messages were dropped for a bad signature */
    public int badSignaturesReceived() {
        return badSignatures.get();
    }

    /** @return how many {@code interrupt_request} messages arrived */
    public int interruptsReceived() {
        return interrupts.get();
    }

    /** @return the execution count of the last cell */
    public int executionCount() {
        return executionCount.get();
    }

    /** @return completes with the {@code restart} flag when a {@code shutdown_request} was answered */
    public CompletableFuture<Boolean> shutdownRequest() {
        return shutdownRequest.copy();
    }

    /** @return completes when the fake stopped for any reason (shutdown, death, close) */
    public CompletableFuture<Void> terminated() {
        return terminated.copy();
    }

    /** @return whether the fake still answers */
    public boolean isAlive() {
        return !terminated.isDone();
    }

    /** @return how many heartbeats the fake has answered */
    public long heartbeatsAnswered() {
        return heartbeatsAnswered.get();
    }

    /** Stops answering heartbeats while otherwise staying alive (a hung kernel). */
    public void stopHeartbeat() {
        answerHeartbeat = false;
    }

    /**
     * Publishes an IOPub message with no parent header, as kernels do for {@code iopub_welcome} or
     * startup status messages.
     *
     * @param msgType the message type
     * @param content the content
     */
    public void publishUnparented(String msgType, ObjectNode content) {
        publish(msgType, NODES.objectNode(), content, List.of(), false);
    }

    /**
     * Publishes an unparented stdout stream message whose signature is wrong.
     *
     * @param text the stream text
     */
    public void publishWithBadSignature(String text) {
        ObjectNode content = NODES.objectNode().put("name", "stdout").put("text", text);
        publish("stream", NODES.objectNode(), content, List.of(), true);
    }

    /** Dies abruptly: all sockets close at once without any further message; waits until they are closed. */
    public void die() {
        abrupt = true;
        stop();
        terminated.join();
    }

    /** Stops the fake, closing its sockets; waits until they are closed. */
    @Override
    public void close() {
        stop();
        terminated.join();
    }

    private void stop() {
        running = false;
        worker.interrupt();
        interruptLatch.countDown();
        pendingInput.cancel(false);
    }

    // ---------------------------------------------------------------- I/O thread

    private ZMQ.Socket bind(SocketType type, int port) {
        ZMQ.Socket socket = zmq.createSocket(type);
        socket.setLinger(0);
        if (type == SocketType.ROUTER) {
            socket.setRouterMandatory(false);
        }
        if (port == 0) {
            socket.bindToRandomPort("tcp://" + IP);
        } else {
            socket.bind("tcp://" + IP + ":" + port);
        }
        return socket;
    }

    private static int port(ZMQ.Socket socket) {
        String endpoint = socket.getLastEndpoint();
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private void ioLoop() {
        ZMQ.Poller poller = zmq.createPoller(4);
        poller.register(shell, ZMQ.Poller.POLLIN);
        poller.register(control, ZMQ.Poller.POLLIN);
        poller.register(stdin, ZMQ.Poller.POLLIN);
        poller.register(hb, ZMQ.Poller.POLLIN);
        try {
            while (running) {
                poller.poll(5);
                if (answerHeartbeat) {
                    List<byte[]> ping;
                    while ((ping = receive(hb)) != null) {
                        sendFrames(hb, ping);
                        heartbeatsAnswered.incrementAndGet();
                    }
                }
                drain(control, "control");
                drain(shell, "shell");
                drain(stdin, "stdin");
                flush();
            }
            if (!abrupt) {
                flush();
            }
        } catch (ZMQException e) {
            // sockets closed under us: the fake is going away
        } finally {
            poller.close();
            if (!abrupt) {
                for (ZMQ.Socket socket : List.of(shell, control, stdin, iopub)) {
                    socket.setLinger(500);
                }
            }
            zmq.close();
            terminated.complete(null);
        }
    }

    private static List<byte[]> receive(ZMQ.Socket socket) {
        byte[] first = socket.recv(ZMQ.DONTWAIT);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv());
        }
        return frames;
    }

    private static void sendFrames(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    private void flush() {
        Out out;
        while ((out = outgoing.poll()) != null) {
            sendFrames(out.socket(), out.frames());
        }
    }

    private void drain(ZMQ.Socket socket, String channel) {
        List<byte[]> frames;
        while (running && (frames = receive(socket)) != null) {
            Optional<FakeWire.Incoming> decoded;
            try {
                decoded = wire.decode(frames);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (decoded.isEmpty()) {
                badSignatures.incrementAndGet();
                continue;
            }
            FakeWire.Incoming msg = decoded.get();
            received.add(new Received(channel, msg.msgType(), msg.header(), msg.content(), msg.buffers()));
            switch (channel) {
                case "stdin" -> {
                    if (msg.msgType().equals("input_reply")) {
                        pendingInput.complete(msg.content().path("value").asText(""));
                    }
                }
                case "control" -> onControl(msg);
                default -> onShell(msg, shell);
            }
        }
    }

    private void onControl(FakeWire.Incoming msg) {
        switch (msg.msgType()) {
            case "interrupt_request" -> {
                interrupts.incrementAndGet();
                interruptLatch.countDown();
                pendingInput.completeExceptionally(new CancellationException("interrupted"));
                reply(control, msg, "interrupt_reply", NODES.objectNode().put("status", "ok"));
            }
            case "shutdown_request" -> {
                boolean restart = msg.content().path("restart").asBoolean(false);
                reply(control, msg, "shutdown_reply", NODES.objectNode().put("status", "ok").put("restart", restart));
                publish("status", msg.header(), NODES.objectNode().put("execution_state", "dead"), List.of(), false);
                shutdownRequest.complete(restart);
                stop();
            }
            default -> onShell(msg, control);
        }
    }

    private void onShell(FakeWire.Incoming msg, ZMQ.Socket socket) {
        if (msg.msgType().equals("execute_request")) {
            cells.add(msg);
            return;
        }
        Optional<ObjectNode> content = switch (msg.msgType()) {
            case "kernel_info_request" -> Optional.of(kernelInfo());
            case "complete_request" -> Optional.of(complete(msg.content()));
            case "inspect_request" -> Optional.of(inspect(msg.content()));
            case "is_complete_request" -> Optional.of(isComplete(msg.content().path("code").asText("")));
            case "history_request" -> Optional.of(history());
            case "comm_info_request" -> Optional.of(commInfo(msg.content().path("target_name").asText("")));
            case "comm_open", "comm_msg", "comm_close" -> Optional.empty();
            default -> Optional.<ObjectNode>empty();
        };
        boolean comm = List.of("comm_open", "comm_msg", "comm_close").contains(msg.msgType());
        if (content.isEmpty() && !comm) {
            return; // unknown message types are ignored, as ipykernel does
        }
        status(msg.header(), "busy");
        if (comm) {
            onComm(msg);
        } else {
            reply(socket, msg, msg.msgType().replace("_request", "_reply"), content.get());
        }
        status(msg.header(), "idle");
    }

    private void onComm(FakeWire.Incoming msg) {
        String commId = msg.content().path("comm_id").asText("");
        switch (msg.msgType()) {
            case "comm_open" -> {
                String target = msg.content().path("target_name").asText("");
                if (target.equals("reject")) {
                    publish("comm_close", msg.header(), NODES.objectNode().put("comm_id", commId)
                            .set("data", NODES.objectNode()), List.of(), false);
                } else {
                    comms.put(commId, target);
                }
            }
            case "comm_msg" -> {
                ObjectNode content = NODES.objectNode().put("comm_id", commId);
                content.set("data", NODES.objectNode().set("echo", msg.content().path("data")));
                publish("comm_msg", msg.header(), content, msg.buffers(), false);
            }
            default -> comms.remove(commId);
        }
    }

    private ObjectNode kernelInfo() {
        ObjectNode content = NODES.objectNode();
        content.put("status", "ok");
        content.put("protocol_version", "5.3");
        content.put("implementation", "fake");
        content.put("implementation_version", "1.0");
        ObjectNode language = content.putObject("language_info");
        language.put("name", "fake");
        language.put("version", "1.0");
        language.put("mimetype", "text/x-fake");
        language.put("file_extension", ".fake");
        language.put("pygments_lexer", "text");
        language.put("codemirror_mode", "text");
        content.put("banner", "Quire fake kernel");
        content.putArray("help_links").addObject().put("text", "Fake docs").put("url", "https://example.invalid/fake");
        return content;
    }

    private static ObjectNode complete(ObjectNode request) {
        String code = request.path("code").asText("");
        int cursor = Math.min(request.path("cursor_pos").asInt(code.length()), code.length());
        int start = cursor;
        while (start > 0 && (Character.isLetter(code.charAt(start - 1)) || code.charAt(start - 1) == '-')) {
            start--;
        }
        String token = code.substring(start, cursor);
        ObjectNode content = NODES.objectNode().put("status", "ok");
        ArrayNode matches = content.putArray("matches");
        BUILT_INS.stream().filter(name -> name.startsWith(token)).forEach(matches::add);
        content.put("cursor_start", start).put("cursor_end", cursor);
        content.putObject("metadata");
        return content;
    }

    private static ObjectNode inspect(ObjectNode request) {
        String code = request.path("code").asText("");
        int colon = code.indexOf(':');
        String command = (colon < 0 ? code : code.substring(0, colon)).strip();
        boolean found = BUILT_INS.contains(command);
        ObjectNode content = NODES.objectNode().put("status", "ok").put("found", found);
        ObjectNode data = content.putObject("data");
        if (found) {
            data.put("text/plain", command + ": a command of the fake kernel (detail "
                    + request.path("detail_level").asInt(0) + ")");
        }
        content.putObject("metadata");
        return content;
    }

    private ObjectNode isComplete(String code) {
        ObjectNode content = NODES.objectNode();
        if (code.endsWith("\\")) {
            return content.put("status", "incomplete").put("indent", "  ");
        }
        for (String line : code.split("\n")) {
            String stripped = line.stripLeading().replace("\r", "");
            if (stripped.isBlank() || stripped.startsWith("#")) {
                continue;
            }
            int colon = stripped.indexOf(':');
            String command = colon < 0 ? stripped.strip() : stripped.substring(0, colon);
            if (!BUILT_INS.contains(command) && !commands.containsKey(command)) {
                return content.put("status", "invalid");
            }
        }
        return content.put("status", "complete");
    }

    private ObjectNode history() {
        ObjectNode content = NODES.objectNode().put("status", "ok");
        ArrayNode entries = content.putArray("history");
        for (int i = 0; i < history.size(); i++) {
            entries.addArray().add(0).add(i + 1).add(history.get(i));
        }
        return content;
    }

    private ObjectNode commInfo(String targetName) {
        ObjectNode content = NODES.objectNode().put("status", "ok");
        ObjectNode all = content.putObject("comms");
        comms.forEach((id, target) -> {
            if (targetName.isEmpty() || targetName.equals(target)) {
                all.putObject(id).put("target_name", target);
            }
        });
        return content;
    }

    // ---------------------------------------------------------------- sending (any thread)

    private ObjectNode header(String msgType) {
        return NODES.objectNode()
                .put("msg_id", UUID.randomUUID().toString())
                .put("session", session)
                .put("username", "fake")
                .put("date", Instant.now().toString())
                .put("msg_type", msgType)
                .put("version", "5.3");
    }

    private void reply(ZMQ.Socket socket, FakeWire.Incoming request, String msgType, ObjectNode content) {
        outgoing.add(new Out(socket, wire.encode(request.identities(), header(msgType), request.header(),
                NODES.objectNode(), content, List.of(), false)));
    }

    private void publish(String msgType, ObjectNode parent, ObjectNode content, List<byte[]> buffers, boolean corrupt) {
        byte[] topic = ("kernel." + session + "." + msgType).getBytes(StandardCharsets.UTF_8);
        outgoing.add(new Out(iopub, wire.encode(List.of(topic), header(msgType), parent, NODES.objectNode(),
                content, buffers, corrupt)));
    }

    private void status(ObjectNode parent, String state) {
        publish("status", parent, NODES.objectNode().put("execution_state", state), List.of(), false);
    }

    // ---------------------------------------------------------------- worker thread

    private void workLoop() {
        try {
            while (running) {
                FakeWire.Incoming cell = cells.take();
                if (!execute(cell)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one cell; false when the kernel died during it. */
    private boolean execute(FakeWire.Incoming request) {
        ObjectNode content = request.content();
        String code = content.path("code").asText("");
        boolean silent = content.path("silent").asBoolean(false);
        boolean storeHistory = content.path("store_history").asBoolean(!silent) && !silent;
        boolean stopOnError = content.path("stop_on_error").asBoolean(true);
        int count = storeHistory ? executionCount.incrementAndGet() : executionCount.get();
        status(request.header(), "busy");
        publish("execute_input", request.header(), NODES.objectNode().put("code", code).put("execution_count", count),
                List.of(), false);
        if (storeHistory) {
            history.add(code);
        }
        interruptLatch = new CountDownLatch(1);
        Cell cell = new Cell(request, count);
        for (String line : code.split("\n")) {
            String stripped = line.stripLeading().replace("\r", "");
            if (stripped.isBlank() || stripped.startsWith("#")) {
                continue;
            }
            int colon = stripped.indexOf(':');
            String command = colon < 0 ? stripped.strip() : stripped.substring(0, colon);
            String argument = colon < 0 ? "" : stripped.substring(colon + 1);
            if (command.equals("die")) {
                die0();
                return false;
            }
            CommandHandler handler = commands.get(command);
            try {
                if (handler != null) {
                    handler.run(argument, cell);
                } else {
                    builtIn(command, argument, cell);
                }
            } catch (RuntimeException e) {
                cell.fail(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
            }
            if (cell.failure != null || !running) {
                break;
            }
        }
        ObjectNode reply = NODES.objectNode();
        if (cell.failure == null) {
            reply.put("status", "ok").put("execution_count", count);
            ObjectNode expressions = reply.putObject("user_expressions");
            content.path("user_expressions").properties().forEach(entry -> {
                ObjectNode value = expressions.putObject(entry.getKey()).put("status", "ok");
                value.putObject("data").put("text/plain", entry.getValue().asText());
                value.putObject("metadata");
            });
            reply.putArray("payload");
        } else {
            reply.put("status", "error").put("execution_count", count)
                    .put("ename", cell.failure.ename()).put("evalue", cell.failure.evalue());
            ArrayNode traceback = reply.putArray("traceback");
            cell.failure.traceback().forEach(traceback::add);
        }
        reply(shell, request, "execute_reply", reply);
        status(request.header(), "idle");
        if (cell.failure != null && stopOnError) {
            List<FakeWire.Incoming> queued = new ArrayList<>();
            cells.drainTo(queued);
            for (FakeWire.Incoming aborted : queued) {
                status(aborted.header(), "busy");
                reply(shell, aborted, "execute_reply", NODES.objectNode().put("status", "aborted")
                        .put("execution_count", executionCount.get()));
                status(aborted.header(), "idle");
            }
        }
        return true;
    }

    private void die0() {
        abrupt = true;
        running = false;
        outgoing.clear();
    }

    private void builtIn(String command, String argument, Cell cell) {
        switch (command) {
            case "print" -> cell.stream("stdout", argument + "\n");
            case "stderr" -> cell.stream("stderr", argument + "\n");
            case "result" -> {
                ObjectNode content = NODES.objectNode().put("execution_count", cell.count);
                content.putObject("data").put("text/plain", argument);
                content.putObject("metadata");
                cell.publish("execute_result", content, List.of());
            }
            case "display", "display-id", "update" -> {
                List<String> parts = List.of(argument.split(":", command.equals("display") ? 2 : 3));
                if (parts.size() < (command.equals("display") ? 2 : 3)) {
                    cell.fail("SyntaxError", command + " needs more arguments: " + argument);
                    return;
                }
                int offset = command.equals("display") ? 0 : 1;
                ObjectNode content = NODES.objectNode();
                content.set("data", NODES.objectNode().set(parts.get(offset), mimeValue(parts.get(offset), parts.get(offset + 1))));
                content.putObject("metadata");
                ObjectNode transientPart = content.putObject("transient");
                if (offset == 1) {
                    transientPart.put("display_id", parts.get(0));
                }
                cell.publish(command.equals("update") ? "update_display_data" : "display_data", content, List.of());
            }
            case "clear" -> cell.publish("clear_output", NODES.objectNode().put("wait", argument.equals("wait")), List.of());
            case "error" -> {
                int colon = argument.indexOf(':');
                cell.fail(colon < 0 ? argument : argument.substring(0, colon), colon < 0 ? "" : argument.substring(colon + 1));
            }
            case "input", "password" -> cell.input(argument, command.equals("password"))
                    .ifPresent(value -> cell.stream("stdout", value + "\n"));
            case "sleep" -> cell.sleep(Duration.ofMillis(Long.parseLong(argument.strip())));
            case "comm-open" -> {
                ObjectNode content = NODES.objectNode().put("comm_id", "kernel-comm-" + commCounter.incrementAndGet())
                        .put("target_name", argument);
                content.putObject("data");
                comms.put(content.get("comm_id").asText(), argument);
                cell.publish("comm_open", content, List.of());
            }
            case "badsig" -> publish("stream", cell.request.header(),
                    NODES.objectNode().put("name", "stdout").put("text", argument + "\n"), List.of(), true);
            default -> cell.fail("SyntaxError", "unknown command: " + command);
        }
    }

    private static JsonNode mimeValue(String mime, String value) {
        if (mime.endsWith("json")) {
            try {
                return FakeWire.JSON.readTree(value);
            } catch (JsonProcessingException e) {
                return NODES.textNode(value);
            }
        }
        return NODES.textNode(value);
    }

    private final class Cell implements ExecutionContext {
        private final FakeWire.Incoming request;
        private final int count;
        private Failure failure;

        Cell(FakeWire.Incoming request, int count) {
            this.request = request;
            this.count = count;
        }

        @Override
        public void stream(String name, String text) {
            publish("stream", NODES.objectNode().put("name", name).put("text", text), List.of());
        }

        @Override
        public void publish(String msgType, ObjectNode content, List<byte[]> buffers) {
            FakeKernel.this.publish(msgType, request.header(), content, buffers, false);
        }

        @Override
        public void fail(String ename, String evalue) {
            if (failure != null) {
                return;
            }
            List<String> traceback = List.of("Traceback (most recent call last):", "  fake cell", ename + ": " + evalue);
            failure = new Failure(ename, evalue, traceback);
            ObjectNode content = NODES.objectNode().put("ename", ename).put("evalue", evalue);
            ArrayNode array = content.putArray("traceback");
            traceback.forEach(array::add);
            publish("error", content, List.of());
        }

        @Override
        public Optional<String> input(String prompt, boolean password) {
            if (!request.content().path("allow_stdin").asBoolean(false)) {
                fail("StdinNotImplementedError", "raw_input was called, but this frontend does not support input requests.");
                return Optional.empty();
            }
            CompletableFuture<String> answer = new CompletableFuture<>();
            pendingInput = answer;
            if (interruptLatch.getCount() == 0) {
                answer.cancel(false);
            }
            outgoing.add(new Out(stdin, wire.encode(request.identities(), header("input_request"), request.header(),
                    NODES.objectNode(), NODES.objectNode().put("prompt", prompt).put("password", password),
                    List.of(), false)));
            try {
                return Optional.of(answer.get(5, TimeUnit.MINUTES));
            } catch (CancellationException | ExecutionException | TimeoutException e) {
                fail("KeyboardInterrupt", "Interrupted by user");
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("KeyboardInterrupt", "fake kernel stopping");
                return Optional.empty();
            }
        }

        @Override
        public boolean sleep(Duration duration) {
            try {
                if (!interruptLatch.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fail("KeyboardInterrupt", "");
            return false;
        }

        @Override
        public int executionCount() {
            return count;
        }

        @Override
        public ObjectNode newObject() {
            return NODES.objectNode();
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
