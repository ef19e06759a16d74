package io.quire.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/*
 * The five sockets of one kernel connection over Quire's own ZMTP 3.0 client (decision 0030): the client side of
 * exactly what Jupyter needs (DEALER for shell, control and stdin; SUB for IOPub; REQ for the heartbeat), NULL
 * security mechanism, TCP only.
 *
 * Why not JeroMQ here: a message through JeroMQ crosses the caller, a waker, Quire's poller and JeroMQ's own I/O
 * thread each way, and every poll re-registers every socket and asks each for its events; on a small machine that
 * cost more CPU per 1+1 round trip than the kernel itself. Here a sender writes the encoded message straight to the
 * socket (under the link's lock), and each link has one reader thread blocked in read() that hands whole messages to
 * the sink. The kernel side is libzmq (or anything speaking ZMTP 3.x): this client announces version 3.0, so a 3.1
 * peer sends no PING and takes subscriptions as messages.
 *
 * ZeroMQ semantics kept: connecting before the kernel has bound its ports, and reconnecting after it restarts on the
 * same ports (every RECONNECT_INTERVAL, as ZeroMQ's default); messages sent while a link is down are queued (up to
 * MAX_QUEUED per link, like ZeroMQ's default high-water mark; beyond that they are dropped with a warning) and written
 * once it is up; SUB resubscribes on every connection. A message half-written when the connection broke is lost, as
 * with ZeroMQ.
 *
 * Threads: five reader platform threads per kernel (daemon, small stacks), never interrupted by anyone else; a
 * caller's own thread writes. A caller that is a virtual thread and is interrupted while blocked in a write (only
 * possible when the kernel stops reading) closes that connection, which then reconnects. Sink calls are serialized by
 * one lock, so the sink sees one message at a time as with JeroMQ.
 */
final class ZmtpIoLoop implements KernelIo {
    private static final Logger LOG = LoggerFactory.getLogger(ZmtpIoLoop.class);
    static final long RECONNECT_INTERVAL_MILLIS = 100;
    static final int MAX_QUEUED = 1000;
    private static final int FLAG_MORE = 1;
    private static final int FLAG_LONG = 2;
    private static final int FLAG_COMMAND = 4;
    /** The most a single frame may carry: larger frames are refused as a protocol error (the kernel misbehaves). */
    private static final long MAX_FRAME = Integer.MAX_VALUE - 16L;
    private static final byte[] PING = encode(List.of("ping".getBytes(StandardCharsets.US_ASCII)), true);
    private static final ScheduledExecutorService HEARTBEATS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("quire-kernel-heartbeats").factory());

    private final Sink sink;
    private final ReentrantLock sinkLock = new ReentrantLock();
    private final Map<Channel, Link> links = new EnumMap<>(Channel.class);
    private final CompletableFuture<Void> stdinConnected = new CompletableFuture<>();
    private final ScheduledFuture<?> heartbeat;
    private volatile boolean closed;

    private final HeartbeatState beats;

    ZmtpIoLoop(ConnectionInfo info, Duration heartbeatInterval, int heartbeatMisses, Sink sink) {
        if (!info.transport().equals("tcp")) {
            throw new KernelProtocolException("only the tcp transport is supported, not '" + info.transport() + "'");
        }
        this.sink = sink;
        this.beats = new HeartbeatState(heartbeatMisses);
        byte[] identity = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        String name = info.kernelName().isEmpty() ? info.ip() + ":" + info.shellPort() : info.kernelName();
        for (Channel channel : Channel.values()) {
            byte[] id = channel == Channel.CONTROL ? UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)
                    : channel == Channel.IOPUB ? new byte[0] : identity;
            int port = switch (channel) {
                case SHELL -> info.shellPort();
                case IOPUB -> info.iopubPort();
                case STDIN -> info.stdinPort();
                case CONTROL -> info.controlPort();
                case HEARTBEAT -> info.hbPort();
            };
            links.put(channel, new Link(channel, info.ip(), port, id, name));
        }
        links.values().forEach(Link::start);
        long every = Math.max(TimeUnit.MILLISECONDS.toNanos(1), heartbeatInterval.toNanos());
        this.heartbeat = HEARTBEATS.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.NANOSECONDS);
    }

    @Override
    public void send(Channel channel, List<byte[]> frames) {
        if (closed) {
            throw new KernelException("client is closed");
        }
        links.get(channel).send(encode(frames, channel == Channel.HEARTBEAT));
    }

    @Override
    public void resetHeartbeat() {
        beats.reset();
    }

    @Override
    public boolean awaitStdin(Duration timeout) {
        return KernelIo.await(stdinConnected, timeout);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.cancel(false);
        links.values().forEach(Link::close);
        for (Link link : links.values()) {
            link.join();
        }
    }

    private void beat() {
        if (closed) {
            return;
        }
        if (beats.beat()) {
            deliverHeartbeat(false);
        }
        links.get(Channel.HEARTBEAT).send(PING);
    }

    private void pong() {
        if (beats.pong()) {
            deliverHeartbeat(true);
        }
    }

    private void deliverHeartbeat(boolean alive) {
        sinkLock.lock();
        try {
            sink.onHeartbeat(alive);
        } catch (RuntimeException e) {
            LOG.error("the heartbeat listener failed", e);
        } finally {
            sinkLock.unlock();
        }
    }

    private void deliver(Channel channel, List<byte[]> frames) {
        if (channel == Channel.HEARTBEAT) {
            pong();
            return;
        }
        sinkLock.lock();
        try {
            sink.onFrames(channel, frames);
        } catch (RuntimeException e) {
            LOG.error("dropping a {} message that failed in routing", channel, e);
        } finally {
            sinkLock.unlock();
        }
    }

    /**
     * One message as ZMTP frames in one array, so that it goes out in one write. A REQ message starts with an empty
     * delimiter frame.
     */
    static byte[] encode(List<byte[]> frames, boolean request) {
        List<byte[]> all = frames;
        if (request) {
            all = new ArrayList<>(frames.size() + 1);
            all.add(new byte[0]);
            all.addAll(frames);
        }
        long size = 0;
        for (byte[] frame : all) {
            size += frame.length + (frame.length > 255 ? 9 : 2);
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new KernelException("message too large for one write: " + size + " bytes");
        }
        byte[] out = new byte[(int) size];
        int at = 0;
        for (int i = 0; i < all.size(); i++) {
            byte[] frame = all.get(i);
            int more = i < all.size() - 1 ? FLAG_MORE : 0;
            if (frame.length > 255) {
                out[at++] = (byte) (more | FLAG_LONG);
                long length = frame.length;
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out[at++] = (byte) (length >>> shift);
                }
            } else {
                out[at++] = (byte) more;
                out[at++] = (byte) frame.length;
            }
            System.arraycopy(frame, 0, out, at, frame.length);
            at += frame.length;
        }
        return out;
    }

    /** The 64-byte ZMTP 3.0 greeting of a client with the NULL mechanism. */
    static byte[] greeting() {
        byte[] greeting = new byte[64];
        greeting[0] = (byte) 0xFF;
        greeting[8] = 1; // the padding reads as a ZMTP 1.0 length of 1, as libzmq sends it
        greeting[9] = 0x7F;
        greeting[10] = 3;
        greeting[11] = 0;
        byte[] mechanism = "NULL".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(mechanism, 0, greeting, 12, mechanism.length);
        return greeting; // as-server 0, filler zeros
    }

    /** The READY command of a socket type, with its identity when it has one. */
    static byte[] ready(String socketType, byte[] identity) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(5);
        body.writeBytes("READY".getBytes(StandardCharsets.US_ASCII));
        property(body, "Socket-Type", socketType.getBytes(StandardCharsets.US_ASCII));
        if (identity.length > 0) {
            property(body, "Identity", identity);
        }
        byte[] bytes = body.toByteArray();
        byte[] command = new byte[bytes.length + 2];
        command[0] = FLAG_COMMAND;
        command[1] = (byte) bytes.length;
        System.arraycopy(bytes, 0, command, 2, bytes.length);
        return command;
    }

    private static void property(java.io.ByteArrayOutputStream body, String name, byte[] value) {
        byte[] key = name.getBytes(StandardCharsets.US_ASCII);
        body.write(key.length);
        body.writeBytes(key);
        body.write(value.length >>> 24);
        body.write(value.length >>> 16);
        body.write(value.length >>> 8);
        body.write(value.length);
        body.writeBytes(value);
    }

    /** One connection to one of the kernel's ports, kept up until closed. */
    private final class Link {
        private final Channel channel;
        private final String host;
        private final int port;
        private final byte[] identity;
        private final Thread reader;
        private final ReentrantLock writeLock = new ReentrantLock();
        private final ArrayDeque<byte[]> queued = new ArrayDeque<>(); // guarded by writeLock
        private Socket socket; // guarded by writeLock; null while down
        private OutputStream out; // guarded by writeLock
        private boolean warnedFull; // guarded by writeLock
        private volatile Socket opening; // the connection being made, so that close() can abort its handshake

        Link(Channel channel, String host, int port, byte[] identity, String kernel) {
            this.channel = channel;
            this.host = host;
            this.port = port;
            this.identity = identity;
            this.reader = Thread.ofPlatform().daemon().stackSize(256 * 1024)
                    .name("quire-kernel-" + channel.name().toLowerCase(java.util.Locale.ROOT) + "-" + kernel)
                    .unstarted(this::run);
        }

        void start() {
            reader.start();
        }

        private String socketType() {
            return switch (channel) {
                case IOPUB -> "SUB";
                case HEARTBEAT -> "REQ";
                default -> "DEALER";
            };
        }

        /** Writes a message now if connected, else queues it for the next connection. */
        void send(byte[] message) {
            writeLock.lock();
            try {
                if (out != null) {
                    try {
                        out.write(message);
                        return;
                    } catch (IOException e) {
                        LOG.debug("writing to the kernel's {} socket failed: {}", channel, e.toString());
                        drop(); // the reader sees the closed socket and reconnects
                        return; // lost, as ZeroMQ loses what it had written to a broken connection
                    }
                }
                if (channel == Channel.HEARTBEAT) {
                    return; // a ping to a kernel that is not there is a miss, not something to send later
                }
                if (queued.size() >= MAX_QUEUED) {
                    if (!warnedFull) {
                        warnedFull = true;
                        LOG.warn("the kernel's {} socket is not connected and {} messages wait; dropping new ones",
                                channel, MAX_QUEUED);
                    }
                    return;
                }
                queued.add(message);
            } finally {
                writeLock.unlock();
            }
        }

        /** Forgets the current connection; under writeLock. */
        private void drop() {
            Socket current = socket;
            socket = null;
            out = null;
            if (current != null) {
                try {
                    current.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        private void run() {
            while (!closed) {
                Socket connected = null;
                try {
                    connected = new Socket();
                    opening = connected;
                    if (closed) {
                        return;
                    }
                    connected.setTcpNoDelay(true);
                    connected.connect(new InetSocketAddress(host, port));
                    DataInputStream in = new DataInputStream(new BufferedInputStream(connected.getInputStream(),
                            64 * 1024));
                    handshake(connected, in);
                    if (!up(connected)) {
                        return; // closed meanwhile
                    }
                    if (channel == Channel.STDIN) {
                        stdinConnected.complete(null);
                    }
                    read(in);
                } catch (IOException | KernelProtocolException e) {
                    if (!closed && connected != null && connected.isConnected()) {
                        LOG.debug("the kernel's {} connection ended: {}", channel, e.toString());
                    }
                } finally {
                    down(connected);
                }
                if (!closed) {
                    try {
                        Thread.sleep(RECONNECT_INTERVAL_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        private void handshake(Socket connected, DataInputStream in) throws IOException {
            OutputStream raw = connected.getOutputStream();
            raw.write(greeting());
            byte[] peer = new byte[64];
            in.readFully(peer);
            if ((peer[0] & 0xFF) != 0xFF || peer[9] != 0x7F || peer[10] < 3) {
                throw new KernelProtocolException("the kernel's " + channel + " port does not speak ZMTP 3");
            }
            String mechanism = new String(peer, 12, 20, StandardCharsets.US_ASCII).trim();
            if (!mechanism.startsWith("NULL")) {
                throw new KernelProtocolException("the kernel's " + channel + " port wants security mechanism "
                        + mechanism.replace("\0", "") + "; only NULL is supported");
            }
            raw.write(ready(socketType(), identity));
            Frame command = readFrame(in);
            if (!command.command()) {
                throw new KernelProtocolException("the kernel's " + channel + " port sent data before READY");
            }
            String name = commandName(command.body());
            if (name.equals("ERROR")) {
                throw new KernelProtocolException("the kernel's " + channel + " port refused the connection: "
                        + new String(command.body(), 7, Math.max(0, command.body().length - 7),
                        StandardCharsets.UTF_8));
            }
            if (!name.equals("READY")) {
                throw new KernelProtocolException("the kernel's " + channel + " port sent " + name + ", not READY");
            }
        }

        /** Marks the link up: subscribes (SUB), then writes what was queued, in order. */
        private boolean up(Socket connected) throws IOException {
            writeLock.lock();
            try {
                if (closed) {
                    return false;
                }
                OutputStream stream = connected.getOutputStream();
                if (channel == Channel.IOPUB) {
                    stream.write(encode(List.of(new byte[] {1}), false)); // subscribe to everything
                }
                if (channel == Channel.HEARTBEAT) {
                    stream.write(PING); // at once, as ZeroMQ would deliver the ping queued before the connection
                }
                while (!queued.isEmpty()) {
                    stream.write(queued.peek());
                    queued.poll();
                }
                warnedFull = false;
                socket = connected;
                out = stream;
                return true;
            } finally {
                writeLock.unlock();
            }
        }

        private void down(Socket connected) {
            writeLock.lock();
            try {
                if (socket == connected) {
                    socket = null;
                    out = null;
                }
            } finally {
                writeLock.unlock();
            }
            if (connected != null) {
                try {
                    connected.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        private void read(DataInputStream in) throws IOException {
            List<byte[]> frames = new ArrayList<>();
            while (!closed) {
                Frame frame = readFrame(in);
                if (frame.command()) {
                    continue; // ZMTP 3.0 peers send no commands after READY; ignore any (e.g. a PING)
                }
                frames.add(frame.body());
                if (!frame.more()) {
                    List<byte[]> message = frames;
                    frames = new ArrayList<>();
                    deliver(channel, message);
                }
            }
        }

        void close() {
            writeLock.lock();
            try {
                drop();
            } finally {
                writeLock.unlock();
            }
            Socket pending = opening;
            if (pending != null) {
                try {
                    pending.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            reader.interrupt(); // only wakes its reconnect sleep: it never blocks in a channel that an interrupt closes
        }

        void join() {
            if (reader == Thread.currentThread()) {
                return;
            }
            try {
                if (!reader.join(Duration.ofSeconds(5))) {
                    LOG.warn("thread {} did not stop within 5 s", reader.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Frame(boolean more, boolean command, byte[] body) {
    }

    private static Frame readFrame(DataInputStream in) throws IOException {
        int flags = in.read();
        if (flags < 0) {
            throw new EOFException("connection closed");
        }
        long size = (flags & FLAG_LONG) != 0 ? in.readLong() : in.readUnsignedByte();
        if (size < 0 || size > MAX_FRAME) {
            throw new KernelProtocolException("a frame of " + size + " bytes");
        }
        byte[] body = new byte[(int) size];
        in.readFully(body);
        return new Frame((flags & FLAG_MORE) != 0, (flags & FLAG_COMMAND) != 0, body);
    }

    private static String commandName(byte[] body) {
        if (body.length == 0 || body[0] + 1 > body.length) {
            throw new KernelProtocolException("a malformed ZMTP command");
        }
        return new String(body, 1, body[0], StandardCharsets.US_ASCII);
    }
}
