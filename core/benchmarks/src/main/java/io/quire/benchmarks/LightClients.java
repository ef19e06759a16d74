package io.quire.benchmarks;

import io.quire.collab.Delta;
import io.quire.collab.DeltaHeader;
import io.quire.collab.TextOperation;
import io.quire.collab.rtu.RtuCodec;
import io.quire.collab.rtu.RtuEvent;
import io.quire.notebook.Notebook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latency load of {@link RtuBench} from clients lighter than the SDK's sessions: each is one WebSocket (asking for
 * batches, as the SDK does) that parses every event it receives with the SDK's codec, but keeps no document. Each
 * client types at the end of its own cell, so all it needs to know is that cell's length (it is the only writer) and
 * the last seq it has seen; like the SDK it has at most one delta in flight, and characters typed meanwhile go out
 * together when the ack comes (their wait counts in the ack latency). This measures the server, not 100 documents
 * applying 500 deltas/s each in one load generator on the server's own cores.
 */
final class LightClients {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private LightClients() {
    }

    /** When and by whom a delta was made. */
    private record Sent(long nanos, int client) {
    }

    /** One client: its WebSocket, its cell and what it has in flight. */
    private static final class Client implements WebSocket.Listener {
        final int me;
        final String fileId;
        final String cellId;
        final Map<UUID, Sent> sent;
        final ConcurrentLinkedQueue<Long> acks;
        final ConcurrentLinkedQueue<Long> fanOut;
        final AtomicLong measuring;
        final CompletableFuture<RtuEvent.Subscribed> subscribed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;
        // guarded by this
        private UUID logId;
        private String user;
        private long lastSeq;
        private int length;
        private UUID inFlight;
        private int waiting;
        private long waitingSince;
        private long sentDeltas;

        Client(int me, String fileId, Map<UUID, Sent> sent, ConcurrentLinkedQueue<Long> acks,
                ConcurrentLinkedQueue<Long> fanOut, AtomicLong measuring) {
            this.me = me;
            this.fileId = fileId;
            this.cellId = "c" + me;
            this.sent = sent;
            this.acks = acks;
            this.fanOut = fanOut;
            this.measuring = measuring;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                long now = System.nanoTime();
                for (RtuEvent.Server event : RtuCodec.readServerFrame(text)) {
                    received(event, now);
                }
            }
            webSocket.request(1);
            return null;
        }

        private void received(RtuEvent.Server event, long now) {
            switch (event) {
                case RtuEvent.Subscribed s -> {
                    synchronized (this) {
                        logId = s.logId();
                        user = s.user();
                        lastSeq = s.headSeq();
                        Notebook document = s.snapshot().orElseThrow();
                        length = document.cell(document.indexOf(cellId).orElseThrow()).source().text().length();
                    }
                    subscribed.complete(s);
                }
                case RtuEvent.DeltaEvent delta -> {
                    synchronized (this) {
                        lastSeq = Math.max(lastSeq, delta.delta().seq());
                    }
                    Sent s = sent.get(delta.delta().deltaId());
                    if (s != null && s.client() != me && measuring.get() == 1) {
                        fanOut.add(now - s.nanos());
                    }
                }
                case RtuEvent.Ack ack -> {
                    Sent s = sent.get(ack.deltaId());
                    if (s != null && s.client() == me && measuring.get() == 1) {
                        acks.add(now - s.nanos());
                    }
                    synchronized (this) {
                        lastSeq = Math.max(lastSeq, ack.seq());
                        if (ack.deltaId().equals(inFlight)) {
                            inFlight = null;
                            if (waiting > 0) {
                                send(waiting, waitingSince);
                                waiting = 0;
                            }
                        }
                    }
                }
                case RtuEvent.Rejected rejected -> System.err.println("client " + me + ": rejected " + rejected);
                case RtuEvent.Resync resync -> System.err.println("client " + me + ": resync " + resync);
                default -> {
                }
            }
        }

        /** One keystroke: sent now, or with the next delta if one is in flight. */
        synchronized void type() {
            long now = System.nanoTime();
            if (inFlight != null) {
                if (waiting++ == 0) {
                    waitingSince = now;
                }
                return;
            }
            send(1, now);
        }

        private void send(int characters, long since) {
            UUID id = UUID.randomUUID();
            Delta delta = new Delta.EditSource(new DeltaHeader(id, logId, user, lastSeq), cellId,
                    TextOperation.builder().retain(length).insert("x".repeat(characters)).build());
            length += characters;
            inFlight = id;
            sentDeltas++;
            if (measuring.get() == 1) { // recorded before it is sent: its ack cannot come first
                sent.put(id, new Sent(since, me));
            }
            socket.sendText(RtuCodec.write(new RtuEvent.SendDelta(fileId, delta)), true).join();
        }

        synchronized boolean quiet() {
            return inFlight == null && waiting == 0;
        }

        synchronized long seq() {
            return lastSeq;
        }
    }

    static void latency(URI endpoint, String token, String fileId, int count, double rate, int seconds)
            throws Exception {
        Map<UUID, Sent> sent = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> acks = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> fanOut = new ConcurrentLinkedQueue<>();
        AtomicLong measuring = new AtomicLong(); // 0 = warming up, 1 = measuring, 2 = done
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Client client = new Client(i, fileId, sent, acks, fanOut, measuring);
            client.socket = http.newWebSocketBuilder().header("Authorization", "token " + token)
                    .buildAsync(URI.create(endpoint + "?batch=true"), client).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            client.socket.sendText(RtuCodec.write(new RtuEvent.Subscribe(fileId, OptionalLong.empty())), true)
                    .join();
            client.subscribed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            clients.add(client);
        }
        System.out.printf(Locale.ROOT, "%d light clients subscribed%n", count);
        ScheduledExecutorService typists = Executors.newScheduledThreadPool(2);
        long periodNanos = (long) (1e9 / rate);
        for (Client client : clients) {
            typists.scheduleAtFixedRate(() -> {
                try {
                    client.type();
                } catch (RuntimeException e) {
                    System.err.println("client " + client.me + ": " + e);
                }
            }, ThreadLocalRandom.current().nextLong(periodNanos), periodNanos, TimeUnit.NANOSECONDS);
        }
        RtuBench.Window window = RtuBench.window(seconds, measuring, () -> clients.getFirst().seq());
        typists.shutdownNow();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && !clients.stream().allMatch(Client::quiet)) {
            Thread.sleep(50);
        }
        Thread.sleep(1_000); // late fan-out
        measuring.set(2);
        long keystrokes = Math.round(count * rate * seconds);
        System.out.printf(Locale.ROOT, "deltas sent in the window: %d (%d keystrokes expected: %d clients x %.1f/s x "
                + "%d s; keystrokes typed while a delta is in flight go out together)%n", sent.size(), keystrokes,
                count, rate, seconds);
        System.out.printf(Locale.ROOT, "sequenced: %.0f deltas/s (log %d -> %d)%n", window.perSecond(),
                window.seqFrom(), window.seqTo());
        RtuBench.report("ack latency", acks);
        RtuBench.report("fan-out latency", fanOut);
        for (Client client : clients) {
            client.socket.abort();
        }
    }
}
