package org.salotto.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code salotto loadtest comments}: comment delivery in a big live (issue 12). A host creates a live and stays in it
 * over its WebSocket (no media: publishing and watching video are not part of a comment's path); {@code --viewers}
 * guests join it over the room WebSocket; {@code --commenters} of them (viewers too) post {@code --rate} comments a
 * second, by turns, for {@code --duration}. Each comment's text carries its number and its send time
 * ({@code ltc-SEQ-NANOS}, {@link System#nanoTime} of this process, just before the send), and every viewer records,
 * for every {@code commentPosted} it receives, the delay from that send to its receipt: p50/p95/p99/max over all
 * deliveries, the deliveries expected (comments sent x viewers) against those received (a missing one is a failure),
 * and the server's CPU over the window from the first send to the last delivery ({@code /proc/PID/stat}).
 *
 * <p>The generator parses only what it needs: a room-events frame is scanned for the comment marker in place (no JSON
 * tree, no String per frame when it arrives whole); members coming and going, the {@code joined} snapshots and the
 * rest are recognised by their first characters and dropped. An {@code error} frame (rare) is parsed.
 */
@Command(name = "comments", usageHelpAutoWidth = true, sortOptions = false,
        description = "Comment delivery delay and the server's CPU in a live with many viewers (issue 12).",
        footer = {"", "Exit status: 0 when every viewer joined and received every comment, 1 otherwise."})
final class CommentsProbe implements Callable<Integer> {
    /** The marker a comment's text starts with, behind the JSON string's opening quote. */
    private static final String MARKER = "\"ltc-";
    private static final String ROOM_EVENTS = "{\"type\":\"roomEvents\"";
    private static final String JOINED = "{\"type\":\"joined\"";
    private static final String ERROR = "{\"type\":\"error\"";

    @Option(names = "--url", paramLabel = "URL", description = "the server (default http://127.0.0.1:8080)")
    URI url = URI.create("http://127.0.0.1:8080");

    @Option(names = "--viewers", paramLabel = "N", description = "viewers (guests) in the live (default 1000)")
    int viewers = 1000;

    @Option(names = "--rate", paramLabel = "PER_S", description = "comments a second, all commenters together (default 20)")
    double rate = 20;

    @Option(names = "--duration", paramLabel = "TIME", converter = LoadTest.DurationConverter.class,
            description = "how long comments are sent: 500ms, 30s, 2m (default 30s)")
    Duration duration = Duration.ofSeconds(30);

    @Option(names = "--commenters", paramLabel = "N", description = "viewers who comment, by turns (default: enough "
            + "for each to stay at 80%% of the server's default limit, limits.comments-per-person 5 per 10 s: "
            + "ceil(rate / 0.4), 50 for 20/s)")
    int commenters;

    @Option(names = "--join-rate", paramLabel = "PER_S", description = "viewer joins started per second (default 100)")
    double joinRate = 100;

    @Option(names = "--clients", paramLabel = "N", description = "HTTP clients the viewers' WebSockets are spread over "
            + "(each has its own selector thread; default 4)")
    int clients = 4;

    @Option(names = "--server-pid", paramLabel = "PID", description = "the server's process, for its CPU time "
            + "(/proc/PID/stat); without it the CPU is not measured")
    long serverPid;

    @Option(names = "--drain-timeout", paramLabel = "TIME", converter = LoadTest.DurationConverter.class,
            description = "how long after the last send the viewers may take to receive everything (default 10s)")
    Duration drainTimeout = Duration.ofSeconds(10);

    @Option(names = "--join-timeout", paramLabel = "TIME", converter = LoadTest.DurationConverter.class,
            description = "how long one viewer's join may take (default 20s)")
    Duration joinTimeout = Duration.ofSeconds(20);

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    /** Every delivery's delay, in microseconds (up to 10 minutes), from every viewer's thread. */
    private final Histogram delays = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
    /** Each comment's slowest delivery in µs, by number: whether the tail is a few bad moments or all along. */
    private volatile AtomicLongArray slowest = new AtomicLongArray(0);
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final AtomicInteger socketsClosed = new AtomicInteger();
    private volatile boolean finished;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (viewers < 1 || rate <= 0 || duration.isNegative() || duration.isZero() || joinRate <= 0 || clients < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--viewers, --rate, --duration, --join-rate and --clients must be positive");
        }
        int k = commenters > 0 ? commenters : (int) Math.ceil(rate / 0.4);
        if (k > viewers) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), k + " commenters needed, only "
                    + viewers + " viewers: lower --rate or give --commenters");
        }
        try {
            return run(out, k);
        } finally {
            out.flush();
        }
    }

    private int run(PrintWriter out, int commenterCount) throws Exception {
        String base = url.toString().replaceAll("/+$", "");
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<HttpClient> sockets = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            sockets.add(HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
                    .connectTimeout(Duration.ofSeconds(10)).build());
        }
        // The host: an account that creates the live and stays in it over its WebSocket.
        HttpClient hostHttp = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
        String user = "comments" + Long.toString(System.nanoTime(), 36);
        post(hostHttp, base + "/api/accounts", null, "{\"username\":\"" + user + "\",\"password\":\"load test " + user + "\"}", 201);
        String room = post(hostHttp, base + "/api/rooms", null, "{\"kind\":\"live\",\"title\":\"comments load\"}", 201)
                .get("id").asText();
        URI ws = URI.create(base.replaceFirst("^http", "ws") + "/ws/rooms/" + room);
        Viewer host = Viewer.connect(sockets.getFirst(), ws, post(hostHttp, base + "/api/rooms/" + room + "/join", null, "{}", 200)
                .get("token").asText(), this, -1);
        host.joined.get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);

        long totalComments = Math.round(rate * duration.toNanos() / 1e9);
        slowest = new AtomicLongArray((int) totalComments);
        Viewer[] audience = new Viewer[viewers];
        AtomicInteger joinFailures = new AtomicInteger();
        Map<String, AtomicLong> joinErrors = new ConcurrentHashMap<>();
        long joinStart = System.nanoTime();
        List<Thread> joins = new ArrayList<>();
        // At most 64 joins in flight: a slow server is not drowned in connection attempts.
        Semaphore inFlight = new Semaphore(64);
        for (int i = 0; i < viewers; i++) {
            parkUntil(joinStart + (long) (i * 1e9 / joinRate));
            inFlight.acquire();
            int n = i;
            joins.add(Thread.ofVirtual().start(() -> {
                try {
                    String guest = post(http, base + "/api/guests", null, "{}", 201).get("guestToken").asText();
                    String token = post(http, base + "/api/rooms/" + room + "/join", guest,
                            "{\"displayName\":\"viewer " + n + "\"}", 200).get("token").asText();
                    Viewer v = Viewer.connect(sockets.get(n % sockets.size()), ws, token, this, (int) totalComments);
                    v.joined.get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    audience[n] = v;
                } catch (Exception e) {
                    joinFailures.incrementAndGet();
                    joinErrors.computeIfAbsent(String.valueOf(e.getMessage()).lines().findFirst().orElse("?"),
                            x -> new AtomicLong()).incrementAndGet();
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (Thread t : joins) t.join();
        double joinSeconds = (System.nanoTime() - joinStart) / 1e9;
        out.printf(Locale.ROOT, "a live: the host (WebSocket only: no media published or watched, comments do not "
                + "need it) and %d viewers (guests over the room WebSocket), %d joined in %.1f s%s%n", viewers,
                viewers - joinFailures.get(), joinSeconds, joinFailures.get() == 0 ? "" : ", FAILED joins: " + joinErrors);
        out.flush();
        List<Viewer> present = new ArrayList<>();
        for (Viewer v : audience) if (v != null) present.add(v);
        int k = Math.min(commenterCount, present.size());
        if (k == 0) {
            out.println("no viewer joined: nothing measured");
            return 1;
        }
        // Errors from the joins are not the comments'.
        errors.clear();

        String loadBefore = loadAverage();
        ServerCpu cpu = new ServerCpu(serverPid);
        long generatorCpu0 = generatorCpuNanos();
        long cpu0 = cpu.nanos();
        long start = System.nanoTime();
        for (long i = 0; i < totalComments; i++) {
            parkUntil(start + (long) (i * 1e9 / rate));
            present.get((int) (i % k)).comment(i);
        }
        long lastSend = System.nanoTime();
        long expected = totalComments * present.size();
        long drainEnd = lastSend + drainTimeout.toNanos();
        while (deliveries.sum() < expected && System.nanoTime() < drainEnd) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        long end = System.nanoTime();
        long cpu1 = cpu.nanos();
        long generatorCpu1 = generatorCpuNanos();
        finished = true;

        long distinct = 0;
        int viewersMissing = 0;
        for (Viewer v : present) {
            int got = v.seen.cardinality();
            distinct += got;
            if (got < totalComments) viewersMissing++;
        }
        long missing = expected - distinct;
        double window = (end - start) / 1e9;
        out.printf(Locale.ROOT, "comments: %d sent at %.1f/s for %.1f s by %d commenters (viewers, %.2f/s each: under "
                        + "the server's limits.comments-per-person, kept as configured)%n", totalComments, rate,
                duration.toNanos() / 1e9, k, rate / k);
        out.printf(Locale.ROOT, "error frames during the comments: %s%n", errors.isEmpty() ? "none" : new TreeMap<>(errors));
        out.printf(Locale.ROOT, "deliveries (commentPosted to a viewer): expected %d, received %d, missing %d%s, "
                        + "duplicates %d, sockets closed %d%n", expected, distinct, missing,
                missing == 0 ? "" : " (FAILURE: " + viewersMissing + " viewers lack some)", duplicates.sum(),
                socketsClosed.get());
        if (delays.getTotalCount() > 0) {
            out.printf(Locale.ROOT, "delivery delay ms (send -> a viewer's receipt, rooms.event-batch-interval's "
                            + "batching included): p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (%d samples)%n",
                    delays.getValueAtPercentile(50) / 1e3, delays.getValueAtPercentile(95) / 1e3,
                    delays.getValueAtPercentile(99) / 1e3, delays.getMaxValue() / 1e3, delays.getTotalCount());
            // Which moments the tail comes from: the comments whose slowest delivery took over 500 ms, by the
            // second of the run they were sent in.
            TreeMap<Long, Integer> slowBySecond = new TreeMap<>();
            int slow = 0;
            for (int i = 0; i < slowest.length(); i++) {
                if (slowest.get(i) > 500_000) {
                    slow++;
                    slowBySecond.merge((long) (i / rate), 1, Integer::sum);
                }
            }
            out.printf(Locale.ROOT, "comments whose slowest delivery took over 500 ms: %d of %d%s%n", slow, totalComments,
                    slow == 0 ? "" : " (second of the run sent in = how many: " + slowBySecond + ")");
        } else {
            out.println("delivery delay ms: no samples");
        }
        if (cpu0 >= 0 && cpu1 >= 0) {
            double seconds = (cpu1 - cpu0) / 1e9;
            out.printf(Locale.ROOT, "server CPU over the measured window (%.2f s, first send to last delivery): %.2f s, "
                            + "%.3f CPU s per s, %.4f CPU s per 1,000 deliveries (%s)%n", window, seconds,
                    seconds / window, distinct == 0 ? 0 : seconds * 1000 / distinct, cpu.source());
        } else {
            out.println("server CPU: not measured (give --server-pid)");
        }
        out.printf(Locale.ROOT, "machine: %d processors, load average (1, 5, 15 min) %s before, %s after%n",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        if (generatorCpu0 >= 0) {
            out.printf(Locale.ROOT, "generator CPU over the window: %.2f s, %.3f CPU s per s%n",
                    (generatorCpu1 - generatorCpu0) / 1e9, (generatorCpu1 - generatorCpu0) / 1e9 / window);
        }
        out.flush();
        // Everyone leaves, and the run waits (a bounded while) for the server to close the sockets.
        for (Viewer v : present) v.close();
        host.close();
        CompletableFuture.allOf(present.stream().map(v -> v.gone).toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
        return joinFailures.get() == 0 && missing == 0 && errors.isEmpty() ? 0 : 1;
    }

    /** The first three fields of /proc/loadavg, or "unknown". */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void parkUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) LockSupport.parkNanos(left);
    }

    private static long generatorCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private void error(String code) {
        errors.computeIfAbsent(code, x -> new AtomicLong()).incrementAndGet();
    }

    private static JsonNode post(HttpClient c, String url, String bearer, String json, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        // A cookie's requests carry the CSRF header, as the web app's do (docs/api.md).
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        else b.header("X-Salotto-Request", "1");
        HttpResponse<String> r = c.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) throw new IOException("POST " + url + ": " + r.statusCode() + " " + r.body());
        return SignalingClient.JSON.readTree(r.body());
    }

    /** CPU time of the server's process from /proc/PID/stat; the source says when that process is this one. */
    private record ServerCpu(long pid) {
        long nanos() {
            if (pid <= 0) return -1;
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // After "pid (comm) ", f[0] is field 3: utime is field 14, stime field 15 (proc(5)), in USER_HZ (100).
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        String source() {
            return "process " + pid + ", /proc utime+stime"
                    + (pid == ProcessHandle.current().pid() ? "; this process: the server and the generator together" : "");
        }
    }

    /**
     * One person in the live over the room WebSocket. Frames of one socket arrive one at a time (the JDK's client
     * asks for the next with {@code request(1)}), so the fields below are the listener's alone until the run ends.
     */
    private static final class Viewer implements WebSocket.Listener {
        final CompletableFuture<Void> joined = new CompletableFuture<>();
        final CompletableFuture<Void> gone = new CompletableFuture<>();
        /** The comments this viewer received, by number; null for the host, who does not count. */
        final BitSet seen;
        private final CommentsProbe probe;
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
        private WebSocket ws;

        private Viewer(CommentsProbe probe, int comments) {
            this.probe = probe;
            this.seen = comments >= 0 ? new BitSet(comments) : null;
        }

        static Viewer connect(HttpClient c, URI uri, String token, CommentsProbe probe, int comments) throws Exception {
            Viewer v = new Viewer(probe, comments);
            v.ws = c.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, v).get(20, TimeUnit.SECONDS);
            v.send("{\"type\":\"join\",\"token\":\"" + token + "\"}");
            return v;
        }

        /** Posts comment {@code seq}, its send time in its text. */
        void comment(long seq) {
            send("{\"type\":\"comment\",\"text\":\"ltc-" + seq + "-" + System.nanoTime() + "\"}");
        }

        /** A JDK WebSocket takes one send at a time: sends are chained. */
        private synchronized void send(String text) {
            sending = sending.handle((r, e) -> null).thenCompose(x -> ws.sendText(text, true));
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            if (!last) {
                partial.append(data);
            } else {
                long now = System.nanoTime();
                CharSequence frame = data;
                if (!partial.isEmpty()) frame = partial.append(data);
                onFrame(frame, now);
                partial.setLength(0);
            }
            w.request(1);
            return null;
        }

        private void onFrame(CharSequence f, long now) {
            if (startsWith(f, ROOM_EVENTS)) {
                if (seen == null) return;
                // Every comment in the batch: "ltc-SEQ-NANOS", read in place.
                for (int at = indexOf(f, MARKER, 0); at >= 0; at = indexOf(f, MARKER, at + MARKER.length())) {
                    int i = at + MARKER.length();
                    long seq = 0;
                    char c;
                    while (i < f.length() && (c = f.charAt(i)) >= '0' && c <= '9') {
                        seq = seq * 10 + (c - '0');
                        i++;
                    }
                    if (i >= f.length() || f.charAt(i) != '-') continue;
                    i++;
                    long sent = 0;
                    boolean negative = i < f.length() && f.charAt(i) == '-';
                    if (negative) i++;
                    while (i < f.length() && (c = f.charAt(i)) >= '0' && c <= '9') {
                        sent = sent * 10 + (c - '0');
                        i++;
                    }
                    if (negative) sent = -sent;
                    if (seq >= Integer.MAX_VALUE) continue;
                    if (seen.get((int) seq)) {
                        probe.duplicates.increment();
                        continue;
                    }
                    seen.set((int) seq);
                    probe.deliveries.increment();
                    if (!probe.finished) {
                        long micros = Math.max(0, (now - sent) / 1_000);
                        probe.delays.recordValue(micros);
                        probe.slowest.accumulateAndGet((int) seq, micros, Math::max);
                    }
                }
            } else if (startsWith(f, JOINED)) {
                joined.complete(null);
            } else if (startsWith(f, ERROR)) {
                String code;
                try {
                    code = SignalingClient.JSON.readTree(f.toString()).path("code").asText();
                } catch (Exception e) {
                    code = "unreadable error frame";
                }
                probe.error(code);
                if (!joined.isDone()) joined.completeExceptionally(new IOException("join refused: " + code));
            }
        }

        private static boolean startsWith(CharSequence s, String prefix) {
            if (s.length() < prefix.length()) return false;
            for (int i = 0; i < prefix.length(); i++) if (s.charAt(i) != prefix.charAt(i)) return false;
            return true;
        }

        private static int indexOf(CharSequence s, String what, int from) {
            if (s instanceof String str) return str.indexOf(what, from);
            if (s instanceof StringBuilder sb) return sb.indexOf(what, from);
            outer:
            for (int i = from; i <= s.length() - what.length(); i++) {
                for (int j = 0; j < what.length(); j++) if (s.charAt(i + j) != what.charAt(j)) continue outer;
                return i;
            }
            return -1;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
            closed(new IOException("closed " + status + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed(error);
        }

        private void closed(Throwable why) {
            if (!joined.isDone()) joined.completeExceptionally(why);
            if (!probe.finished) probe.socketsClosed.incrementAndGet();
            gone.complete(null);
        }

        synchronized void close() {
            send("{\"type\":\"leave\"}");
            sending.handle((r, e) -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
        }
    }
}
