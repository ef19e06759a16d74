package io.quire.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/*
 * Owns the five ZeroMQ sockets of one kernel connection.
 *
 * JeroMQ sockets are not thread-safe and not interrupt-safe: an interrupt that lands while a thread is
 * inside a JeroMQ call closes the NIO channels underneath and breaks the socket for good. So no caller
 * thread ever touches a socket. Two dedicated platform threads, which nobody else can interrupt, do:
 *
 *  - the I/O thread owns shell, control, stdin (DEALERs sharing one identity), iopub (SUB, everything)
 *    and heartbeat (REQ, relaxed + correlated so an unanswered ping never wedges it), plus the receiving
 *    end of an inproc PAIR. It polls all six, sends queued frames, hands received frames to the sink and
 *    pings the heartbeat.
 *  - the waker thread blocks on a java.util.concurrent queue (interrupt-safe for callers) and, for each
 *    batch of commands, moves them to the I/O thread's queue and sends one byte on the PAIR, which wakes
 *    the poller at once.
 *
 * A poll timeout alone would have been simpler but adds up to one timeout of latency to every request,
 * or burns CPU with a short timeout on a server holding many kernels; the waker costs one idle thread.
 *
 * The sink is called on the I/O thread and must not block.
 */
final class ZmqIoLoop implements KernelIo {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqIoLoop.class);
    private static final int MAX_BATCH = 256;

    private sealed interface Command {
    }

    private record Send(Channel channel, List<byte[]> frames) implements Command {
    }

    private record ResetHeartbeat() implements Command {
    }

    private record Stop() implements Command {
    }

    private final ZContext context = new ZContext(1);
    private final Map<Channel, ZMQ.Socket> sockets = new EnumMap<>(Channel.class);
    /** Monitor events of the stdin socket; read until its first handshake with the kernel. */
    private final ZMQ.Socket stdinMonitor;
    /**
     * Completes when the stdin socket has finished its handshake with the kernel: until then an input_request the
     * kernel sends to this client's identity is dropped by the kernel's ROUTER, and the kernel waits forever.
     */
    private final CompletableFuture<Void> stdinConnected = new CompletableFuture<>();
    private final ZMQ.Socket wakeReceiver;
    private final ZMQ.Socket wakeSender;
    private final BlockingQueue<Command> submitted = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Command> forIo = new ConcurrentLinkedQueue<>();
    private final Sink sink;
    private final long heartbeatNanos;
    private final Thread ioThread;
    private final Thread wakerThread;
    private volatile boolean stopping;

    private final HeartbeatState heartbeat;

    ZmqIoLoop(ConnectionInfo info, Duration heartbeatInterval, int heartbeatMisses, Sink sink) {
        this.sink = sink;
        this.heartbeatNanos = heartbeatInterval.toNanos();
        this.heartbeat = new HeartbeatState(heartbeatMisses);
        byte[] identity = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        String wakeEndpoint = "inproc://quire-wake-" + UUID.randomUUID();
        try {
            sockets.put(Channel.SHELL, dealer(info, Channel.SHELL, identity));
            ZMQ.Socket stdin = context.createSocket(SocketType.DEALER);
            stdin.setLinger(0);
            stdin.setIdentity(identity);
            String monitorEndpoint = "inproc://quire-stdin-monitor-" + UUID.randomUUID();
            stdin.monitor(monitorEndpoint, ZMQ.EVENT_HANDSHAKE_PROTOCOL);
            stdinMonitor = context.createSocket(SocketType.PAIR);
            stdinMonitor.connect(monitorEndpoint); // before the connect, so that no event is missed
            stdin.connect(info.endpoint(Channel.STDIN));
            sockets.put(Channel.STDIN, stdin);
            sockets.put(Channel.CONTROL, dealer(info, Channel.CONTROL, UUID.randomUUID().toString()
                    .getBytes(StandardCharsets.US_ASCII)));
            ZMQ.Socket iopub = context.createSocket(SocketType.SUB);
            iopub.setLinger(0);
            // Never let ZeroMQ drop IOPub silently (its default high-water mark is 1,000 messages): a lost 'idle'
            // status leaves every client of the kernel waiting. Floods are shed above, by rate limits and bounded
            // per-client queues that tell the client what they dropped.
            iopub.setRcvHWM(0);
            iopub.subscribe(new byte[0]);
            iopub.connect(info.endpoint(Channel.IOPUB));
            sockets.put(Channel.IOPUB, iopub);
            ZMQ.Socket hb = context.createSocket(SocketType.REQ);
            hb.setLinger(0);
            hb.setReqRelaxed(true);
            hb.setReqCorrelate(true);
            hb.connect(info.endpoint(Channel.HEARTBEAT));
            sockets.put(Channel.HEARTBEAT, hb);
            wakeReceiver = context.createSocket(SocketType.PAIR);
            wakeReceiver.bind(wakeEndpoint);
            wakeSender = context.createSocket(SocketType.PAIR);
            wakeSender.setLinger(0);
            wakeSender.connect(wakeEndpoint);
        } catch (ZMQException e) {
            context.close();
            throw new KernelException("cannot open ZeroMQ sockets for " + info + ": " + e.getMessage(), e);
        }
        String name = info.kernelName().isEmpty() ? info.ip() + ":" + info.shellPort() : info.kernelName();
        ioThread = Thread.ofPlatform().daemon().name("quire-kernel-io-" + name).unstarted(this::ioLoop);
        wakerThread = Thread.ofPlatform().daemon().name("quire-kernel-waker-" + name).unstarted(this::wakeLoop);
        ioThread.start();
        wakerThread.start();
    }

    private ZMQ.Socket dealer(ConnectionInfo info, Channel channel, byte[] identity) {
        ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        socket.setIdentity(identity);
        socket.connect(info.endpoint(channel));
        return socket;
    }

    /**
     * Waits until the stdin socket has completed its handshake with the kernel (see {@link #stdinConnected}).
     *
     * @param timeout how long to wait
     * @return whether it has
     */
    @Override
    public boolean awaitStdin(Duration timeout) {
        return KernelIo.await(stdinConnected, timeout);
    }

    /** Queues frames for sending; thread-safe, never blocks, never touches a socket. */
    @Override
    public void send(Channel channel, List<byte[]> frames) {
        if (stopping) {
            throw new KernelException("client is closed");
        }
        submitted.add(new Send(channel, frames));
    }

    /** Forgets heartbeat history, e.g. after a kernel restart. */
    @Override
    public void resetHeartbeat() {
        if (!stopping) {
            submitted.add(new ResetHeartbeat());
        }
    }

    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        submitted.add(new Stop());
        join(wakerThread);
        join(ioThread);
    }

    private static void join(Thread thread) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            if (!thread.join(Duration.ofSeconds(5))) {
                LOG.warn("thread {} did not stop within 5 s", thread.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void wakeLoop() {
        byte[] ping = {1};
        try {
            while (true) {
                Command first = submitted.take();
                List<Command> batch = new ArrayList<>();
                batch.add(first);
                submitted.drainTo(batch, MAX_BATCH);
                forIo.addAll(batch);
                wakeSender.send(ping, ZMQ.DONTWAIT);
                if (batch.stream().anyMatch(Stop.class::isInstance)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            forIo.add(new Stop());
            wakeSender.send(ping, ZMQ.DONTWAIT);
        } catch (ZMQException e) {
            if (!stopping) {
                LOG.error("kernel waker thread failed", e);
            }
        }
    }

    private void ioLoop() {
        List<Channel> order = List.of(Channel.CONTROL, Channel.SHELL, Channel.STDIN, Channel.IOPUB, Channel.HEARTBEAT);
        ZMQ.Poller poller = context.createPoller(order.size() + 1);
        int wakeIndex = poller.register(wakeReceiver, ZMQ.Poller.POLLIN);
        int monitorIndex = poller.register(stdinMonitor, ZMQ.Poller.POLLIN);
        int[] index = new int[order.size()];
        for (int i = 0; i < order.size(); i++) {
            index[i] = poller.register(sockets.get(order.get(i)), ZMQ.Poller.POLLIN);
        }
        long nextBeat = System.nanoTime();
        try {
            boolean running = true;
            while (running) {
                long waitMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextBeat - System.nanoTime()));
                poller.poll(Math.max(1, waitMillis));
                if (poller.pollin(monitorIndex)) {
                    ZMQ.Event event;
                    while ((event = ZMQ.Event.recv(stdinMonitor, ZMQ.DONTWAIT)) != null) {
                        if (event.getEvent() == ZMQ.EVENT_HANDSHAKE_PROTOCOL) {
                            stdinConnected.complete(null);
                        }
                    }
                }
                if (poller.pollin(wakeIndex)) {
                    while (wakeReceiver.recv(ZMQ.DONTWAIT) != null) {
                        // drained; the commands are in forIo
                    }
                }
                Command command;
                while ((command = forIo.poll()) != null) {
                    switch (command) {
                        case Send send -> sendFrames(sockets.get(send.channel()), send.frames());
                        case ResetHeartbeat ignored -> heartbeat.reset();
                        case Stop ignored -> running = false;
                    }
                }
                if (!running) {
                    break;
                }
                for (int i = 0; i < order.size(); i++) {
                    if (!poller.pollin(index[i])) {
                        continue;
                    }
                    if (order.get(i) == Channel.HEARTBEAT) {
                        receiveHeartbeat();
                    } else {
                        receiveAll(order.get(i));
                    }
                }
                if (System.nanoTime() - nextBeat >= 0) {
                    beat();
                    nextBeat = System.nanoTime() + heartbeatNanos;
                }
            }
        } catch (ZMQException | IllegalStateException e) {
            if (!stopping) {
                LOG.error("kernel I/O thread failed", e);
            }
        } finally {
            poller.close();
            stopping = true;
            submitted.add(new Stop());
            join(wakerThread); // the waker must be done with its socket before the context closes it
            context.close();
        }
    }

    private void receiveAll(Channel channel) {
        ZMQ.Socket socket = sockets.get(channel);
        for (int n = 0; n < MAX_BATCH; n++) {
            byte[] first = socket.recv(ZMQ.DONTWAIT);
            if (first == null) {
                return;
            }
            List<byte[]> frames = new ArrayList<>();
            frames.add(first);
            while (socket.hasReceiveMore()) {
                frames.add(socket.recv());
            }
            try {
                sink.onFrames(channel, frames);
            } catch (RuntimeException e) {
                LOG.error("dropping a {} message that failed in routing", channel, e);
            }
        }
    }

    /** A REQ socket holds at most one reply, and recv() after it fails (EFSM) rather than returning null. */
    private void receiveHeartbeat() {
        ZMQ.Socket hb = sockets.get(Channel.HEARTBEAT);
        byte[] frame = hb.recv(ZMQ.DONTWAIT);
        if (frame == null) {
            return;
        }
        while (hb.hasReceiveMore()) {
            hb.recv();
        }
        pong();
    }

    private void beat() {
        if (heartbeat.beat()) {
            sink.onHeartbeat(false);
        }
        sockets.get(Channel.HEARTBEAT).send("ping".getBytes(StandardCharsets.US_ASCII), ZMQ.DONTWAIT);
    }

    private void pong() {
        if (heartbeat.pong()) {
            sink.onHeartbeat(true);
        }
    }

    /** Never blocks the I/O thread: a full queue (peer gone for long) drops the message with a warning. */
    private static void sendFrames(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            int flags = ZMQ.DONTWAIT | (i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
            if (!socket.send(frames.get(i), flags)) {
                LOG.warn("send queue full, dropped a message of {} frames", frames.size());
                return;
            }
        }
    }
}
