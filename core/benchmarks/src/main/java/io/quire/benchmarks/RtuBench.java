package io.quire.benchmarks;

import io.quire.client.rtu.CollabSession;
import io.quire.client.rtu.RtuClient;
import io.quire.collab.Delta;
import io.quire.collab.TextOperation;
import io.quire.collab.rtu.RtuEvent;
import io.quire.notebook.Notebook;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for the real-time channel {@code /api/v1/rtu}, through the SDK ({@link RtuClient}) against a running
 * server (see {@code scripts/rtu-bench.sh}, which starts one on 127.0.0.1). Three modes:
 *
 * <ul>
 *   <li>{@code latency BASE TOKEN FILE_ID CLIENTS RATE SECONDS}: CLIENTS sessions on one notebook, each typing one
 *       character into its own cell RATE times a second for SECONDS. Reports the ack latency (from {@code edit} to
 *       the delta's {@code ack} at its author; an edit made while the author's previous delta is in flight waits in
 *       the SDK's buffer, and that wait counts) and the fan-out latency (from {@code edit} to the delta's arrival at
 *       each other session), p50/p99/max, and the deltas sequenced per second.</li>
 *   <li>{@code latency-light BASE TOKEN FILE_ID CLIENTS RATE SECONDS}: the same load from clients that parse every
 *       event they receive but keep no document ({@link LightClients}), so that on a small machine the load
 *       generator's own work (100 documents applying 500 deltas/s each) does not decide the result.</li>
 *   <li>{@code throughput BASE TOKEN FILE_ID CLIENTS SECONDS}: CLIENTS sessions each sending its next delta as soon
 *       as the previous one is acknowledged (closed loop), for SECONDS; reports the deltas per second the file
 *       absorbed.</li>
 *   <li>{@code idle BASE TOKEN FILE_ID CONNECTIONS HOLD_SECONDS}: opens CONNECTIONS subscribed sessions, prints
 *       {@code READY n}, and keeps them open for HOLD_SECONDS (the script reads the server's heap meanwhile).</li>
 * </ul>
 *
 * The notebook must have cells {@code c0 .. c(k-1)}; session i edits cell {@code c(i mod k)}.
 */
public final class RtuBench {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private RtuBench() {
    }

    /**
     * Runs one mode.
     *
     * @param args the mode and its arguments (see the class comment)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: RtuBench latency BASE TOKEN FILE_ID CLIENTS RATE SECONDS\n"
                    + "       RtuBench latency-light BASE TOKEN FILE_ID CLIENTS RATE SECONDS\n"
                    + "       RtuBench throughput BASE TOKEN FILE_ID CLIENTS SECONDS\n"
                    + "       RtuBench idle BASE TOKEN FILE_ID CONNECTIONS HOLD_SECONDS");
            System.exit(2);
        }
        RtuClient client = RtuClient.create(URI.create(args[1]), args[2], HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30)).build());
        String fileId = args[3];
        int clients = Integer.parseInt(args[4]);
        switch (args[0]) {
            case "latency" -> latency(client, fileId, clients, Double.parseDouble(args[5]),
                    Integer.parseInt(args[6]));
            case "latency-light" -> LightClients.latency(client.endpoint(), args[2], fileId, clients,
                    Double.parseDouble(args[5]), Integer.parseInt(args[6]));
            case "throughput" -> throughput(client, fileId, clients, Integer.parseInt(args[5]));
            case "idle" -> idle(client, fileId, clients, Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("unknown mode '" + args[0]
                    + "'; known: latency, throughput, idle");
        }
        System.exit(0);
    }

    /** When and by whom a delta was made. */
    private record Sent(long nanos, int client) {
    }

    private static void latency(RtuClient client, String fileId, int count, double rate, int seconds)
            throws Exception {
        Map<UUID, Sent> sent = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> acks = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> fanOut = new ConcurrentLinkedQueue<>();
        AtomicLong measuring = new AtomicLong(); // 0 = warming up, 1 = measuring, 2 = done
        List<CollabSession> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int me = i;
            sessions.add(client.open(fileId, WAIT, event -> {
                long now = System.nanoTime();
                if (measuring.get() != 1) {
                    return;
                }
                if (event instanceof RtuEvent.Ack ack) {
                    Sent s = sent.get(ack.deltaId());
                    if (s != null && s.client() == me) {
                        acks.add(now - s.nanos());
                    }
                } else if (event instanceof RtuEvent.DeltaEvent delta) {
                    Sent s = sent.get(delta.delta().deltaId());
                    if (s != null && s.client() != me) {
                        fanOut.add(now - s.nanos());
                    }
                }
            }));
        }
        System.out.printf(Locale.ROOT, "%d sessions subscribed%n", count);
        long startSeq = sessions.getFirst().seq();
        ScheduledExecutorService typists = Executors.newScheduledThreadPool(Math.max(2,
                Runtime.getRuntime().availableProcessors()));
        long periodNanos = (long) (1e9 / rate);
        for (int i = 0; i < count; i++) {
            CollabSession session = sessions.get(i);
            int me = i;
            long offset = ThreadLocalRandom.current().nextLong(periodNanos);
            typists.scheduleAtFixedRate(() -> {
                try {
                    long now = System.nanoTime();
                    session.edit(header -> {
                        Delta delta = type(header, session.document(), cellOf(me, session.document()));
                        if (measuring.get() == 1) { // recorded before it is sent: its ack cannot come first
                            sent.put(delta.deltaId(), new Sent(now, me));
                        }
                        return delta;
                    });
                } catch (RuntimeException e) {
                    System.err.println("client " + me + ": " + e);
                }
            }, offset, periodNanos, TimeUnit.NANOSECONDS);
        }
        Window window = window(seconds, measuring, () -> sessions.getFirst().seq());
        typists.shutdownNow();
        for (CollabSession session : sessions) {
            session.awaitQuiet(WAIT);
        }
        Thread.sleep(1_000); // late fan-out
        measuring.set(2);
        System.out.printf(Locale.ROOT, "deltas made in the window: %d (%d clients x %.1f/s x %d s expected)%n",
                sent.size(), count, rate, seconds);
        System.out.printf(Locale.ROOT, "sequenced: %.0f deltas/s (log %d -> %d)%n", window.perSecond(), startSeq,
                window.seqTo());
        report("ack latency", acks);
        report("fan-out latency", fanOut);
        sessions.forEach(CollabSession::close);
    }

    private static void throughput(RtuClient client, String fileId, int count, int seconds) throws Exception {
        List<CollabSession> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sessions.add(client.open(fileId, WAIT));
        }
        long seqFrom = sessions.getFirst().seq();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        AtomicLong acked = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            CollabSession session = sessions.get(i);
            int me = i;
            threads.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < deadline) {
                    session.edit(header -> type(header, session.document(), cellOf(me, session.document())));
                    session.awaitQuiet(WAIT);
                    acked.incrementAndGet();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        sessions.getFirst().awaitQuiet(WAIT);
        long seqTo = sessions.getFirst().seq();
        System.out.printf(Locale.ROOT, "%d clients, closed loop: %d deltas acknowledged in %.1f s = %.0f deltas/s "
                + "(log %d -> %d)%n", count, acked.get(), elapsed, acked.get() / elapsed, seqFrom, seqTo);
        sessions.forEach(CollabSession::close);
    }

    private static void idle(RtuClient client, String fileId, int count, int holdSeconds) throws Exception {
        List<CollabSession> sessions = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            sessions.add(client.open(fileId, WAIT));
            if ((i + 1) % 1000 == 0) {
                System.out.printf(Locale.ROOT, "%d subscribed (%.1f s)%n", i + 1, (System.nanoTime() - start) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "READY %d%n", count);
        System.out.flush();
        Thread.sleep(holdSeconds * 1_000L);
        long connected = sessions.stream().filter(CollabSession::isConnected).count();
        System.out.printf(Locale.ROOT, "still connected after %d s: %d of %d%n", holdSeconds, connected, count);
        sessions.forEach(CollabSession::close);
    }

    private static String cellOf(int client, Notebook document) {
        String id = "c" + client;
        if (document.indexOf(id).isPresent()) {
            return id;
        }
        return document.cell(client % document.cells().size()).id().orElseThrow();
    }

    /** Types one character at the end of a cell (a newline every 60, so the text stays line-shaped). */
    private static Delta type(io.quire.collab.DeltaHeader header, Notebook document, String cellId) {
        int length = document.cell(document.indexOf(cellId).orElseThrow()).source().text().length();
        String text = length % 60 == 59 ? "\n" : "x";
        return new Delta.EditSource(header, cellId, TextOperation.builder().retain(length).insert(text).build());
    }

    /** The measured part of a latency run: the log's seq at its ends, and its length. */
    record Window(long seqFrom, long seqTo, long nanos) {
        double perSecond() {
            return (seqTo - seqFrom) / (nanos / 1e9);
        }
    }

    /** Warms up (a fifth of the time, at most 5 s), then measures for {@code seconds}. */
    static Window window(int seconds, AtomicLong measuring, java.util.function.LongSupplier seq)
            throws InterruptedException {
        Thread.sleep(Math.min(5_000, seconds * 200L));
        measuring.set(1);
        long from = System.nanoTime();
        long seqFrom = seq.getAsLong();
        Thread.sleep(seconds * 1_000L);
        long nanos = System.nanoTime() - from;
        return new Window(seqFrom, seq.getAsLong(), nanos);
    }

    static void report(String what, ConcurrentLinkedQueue<Long> samples) {
        long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            System.out.println(what + ": no samples");
            return;
        }
        System.out.printf(Locale.ROOT, "%s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n", what, sorted.length,
                at(sorted, 0.50), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
