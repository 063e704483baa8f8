package org.salotto.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code salotto loadtest flood}: a legitimate user's latency while attackers flood the server (issue 11's limits).
 * Attackers come from {@code --addresses} loopback addresses (127.20.0.1, ...; all of 127/8 is this machine) so that
 * the per-address limits see many clients. The legitimate user, from 127.0.0.1, reads the room
 * ({@code GET /api/rooms/ID}) every 20 ms and, in a room, pings over its WebSocket; the figures are taken for
 * {@code --baseline} before the flood and for {@code --duration} during it.
 *
 * <ul>
 * <li>{@code --mode login}: attackers post wrong passwords to {@code /api/sessions} as fast as they are answered, for
 *     another account's username (the victim's) and random ones; the user also logs in to its own account with
 *     the right password once a second.</li>
 * <li>{@code --mode reaction}: attackers join the room as guests and send reactions as fast as the socket takes them;
 *     closed, they join again.</li>
 * </ul>
 */
@Command(name = "flood", description = "A legitimate user's latency during a login or reaction flood (issue 11).")
final class FloodProbe implements Callable<Integer> {
    @Option(names = "--url", description = "the server (default http://127.0.0.1:8080)")
    URI url = URI.create("http://127.0.0.1:8080");

    @Option(names = "--mode", description = "login or reaction")
    String mode = "login";

    @Option(names = "--attackers", description = "flooding clients (default 64)")
    int attackers = 64;

    @Option(names = "--addresses", description = "loopback addresses the attackers come from (default 16)")
    int addresses = 16;

    @Option(names = "--duration", description = "seconds of flood (default 10)")
    int seconds = 10;

    @Option(names = "--baseline", description = "seconds measured before the flood (default 3)")
    int baselineSeconds = 3;

    @Option(names = "--attacker-nice", description = "nice value of the attackers' process (default 10; 0: none): "
            + "on one machine the attackers' own CPU would otherwise be counted against the server")
    int attackerNice = 10;

    @Option(names = "--attack-only", hidden = true, description = "be the attackers' process (started by the probe)")
    boolean attackOnly;

    @Option(names = "--room", hidden = true)
    String attackRoom;

    @Option(names = "--victim", hidden = true)
    String victim;

    private String base;
    private final Map<String, AtomicLong> attackerAnswers = new ConcurrentHashMap<>();
    private volatile boolean stop;

    @Override
    public Integer call() throws Exception {
        base = url.toString().replaceAll("/+$", "");
        if (attackOnly) return attack();
        String tag = Long.toString(System.nanoTime(), 36);
        HttpClient user = client("127.0.0.1");
        String name = "legit" + tag;
        expect(post(user, "/api/accounts", "{\"username\":\"" + name + "\",\"password\":\"the right password\"}", null), 201);
        // The attackers guess another account's password: this user is a bystander (the victim's own login is locked
        // while it is attacked, by design: limits.login-lockout-failures).
        String victimName = "victim" + tag;
        expect(post(client("127.0.0.1"), "/api/accounts", "{\"username\":\"" + victimName + "\",\"password\":\"the victim's password\"}", null), 201);
        String room = SignalingClient.JSON.readTree(post(user, "/api/rooms", "{\"kind\":\"space\",\"title\":\"flood\"}", null).body())
                .get("id").asText();
        String token = SignalingClient.JSON.readTree(post(user, "/api/rooms/" + room + "/join", "{}", null).body()).get("token").asText();
        Member me = Member.join(client("127.0.0.1"), base, room, token, null);
        me.awaitJoined();

        Histogram baseRead = histogram(), baseKnown = histogram(), baseNew = histogram(), basePing = histogram();
        measure(user, room, name, me, baseRead, baseKnown, baseNew, basePing, baselineSeconds);

        // The attackers run in a process of their own, so that their threads do not delay the probe's.
        Process attackersProcess = startAttackers(room, victimName);
        Histogram read = histogram(), known = histogram(), fresh = histogram(), ping = histogram();
        long loginFailures = measure(user, room, name, me, read, known, fresh, ping, seconds);
        attackersProcess.waitFor(seconds + 30L, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "mode %s, %d attackers from %d addresses, %d s%n", mode, attackers, addresses, seconds);
        System.out.println(new String(attackersProcess.getInputStream().readAllBytes()).strip());
        print("GET /api/rooms/ID   before", baseRead);
        print("GET /api/rooms/ID   during", read);
        print("ws ping -> pong     before", basePing);
        print("ws ping -> pong     during", ping);
        print("login, known browser  before", baseKnown);
        print("login, known browser  during", known);
        print("login, new browser    before", baseNew);
        print("login, new browser    during", fresh);
        System.out.println("right-password logins refused during the flood: " + loginFailures);
        me.close();
        return 0;
    }

    private Process startAttackers(String room, String name) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (attackerNice > 0 && new java.io.File("/usr/bin/nice").canExecute()) cmd.addAll(List.of("/usr/bin/nice", "-n", Integer.toString(attackerNice)));
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                LoadTest.class.getName(), "flood", "--attack-only", "--url", base, "--mode", mode, "--room", room,
                "--victim", name, "--attackers", Integer.toString(attackers), "--addresses", Integer.toString(addresses),
                "--duration", Integer.toString(seconds)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // The attackers' process says when its threads run; the flood starts then.
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = p.getInputStream().read()) >= 0 && c != '\n') line.append((char) c);
        if (!line.toString().equals("flooding")) throw new IllegalStateException("the attackers did not start: " + line);
        return p;
    }

    /** The attackers' process: floods for {@code --duration}, then prints what it was answered. */
    private int attack() throws Exception {
        List<Thread> flood = new ArrayList<>();
        for (int i = 0; i < attackers; i++) {
            String from = "127.20." + (i % addresses / 250) + "." + (i % addresses % 250 + 1);
            Runnable r = mode.equals("reaction") ? () -> reactionAttacker(from, attackRoom) : () -> loginAttacker(from, victim);
            flood.add(Thread.ofVirtual().start(r));
        }
        System.out.println("flooding");
        System.out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        stop = true;
        for (Thread t : flood) t.join(5_000);
        System.out.println("attackers' answers: " + new java.util.TreeMap<>(attackerAnswers));
        return 0;
    }

    private static Histogram histogram() {
        return new Histogram(60_000_000_000L, 3);
    }

    /**
     * The user's requests for {@code secs}: a read every 20 ms, a ping every 100 ms, a right-password login every
     * second, by turns from the browser the user signed up in (its device cookie: {@code known}) and from a new one
     * ({@code fresh}). Returns how many logins were refused.
     */
    private long measure(HttpClient user, String room, String name, Member me, Histogram read, Histogram known,
                         Histogram fresh, Histogram ping, int secs) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(secs);
        long nextLogin = 0;
        long refused = 0;
        int i = 0;
        int logins = 0;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            expect(get(user, "/api/rooms/" + room), 200);
            read.recordValue(System.nanoTime() - t0);
            if (i++ % 5 == 0) ping.recordValue(me.ping());
            if (System.nanoTime() > nextLogin) {
                nextLogin = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                long l0 = System.nanoTime();
                boolean knownBrowser = logins++ % 2 == 0;
                HttpResponse<String> r = post(knownBrowser ? user : client("127.0.0.1"), "/api/sessions",
                        "{\"username\":\"" + name + "\",\"password\":\"the right password\"}", null);
                if (r.statusCode() == 200) (knownBrowser ? known : fresh).recordValue(System.nanoTime() - l0);
                else refused++;
            }
            long left = TimeUnit.MILLISECONDS.toNanos(20) - (System.nanoTime() - t0);
            if (left > 0) Thread.sleep(Duration.ofNanos(left));
        }
        return refused;
    }

    private void loginAttacker(String from, String victim) {
        try {
            HttpClient c = client(from);
            long n = 0;
            while (!stop) {
                String who = n++ % 2 == 0 ? victim : "nobody" + n;
                HttpResponse<String> r = post(c, "/api/sessions", "{\"username\":\"" + who + "\",\"password\":\"guess " + n + "\"}", null);
                count("HTTP " + r.statusCode());
            }
        } catch (Exception e) {
            count(e.getClass().getSimpleName());
        }
    }

    private void reactionAttacker(String from, String room) {
        try {
            HttpClient c = client(from);
            while (!stop) {
                HttpResponse<String> g = post(c, "/api/guests", "{}", null);
                count("guest token " + g.statusCode());
                if (g.statusCode() != 201) {
                    pause(g);
                    continue;
                }
                String guest = SignalingClient.JSON.readTree(g.body()).get("guestToken").asText();
                HttpResponse<String> j = post(c, "/api/rooms/" + room + "/join", "{\"displayName\":\"flood\"}", guest);
                count("join token " + j.statusCode());
                if (j.statusCode() != 200) {
                    pause(j);
                    continue;
                }
                Member m = Member.join(c, base, room, SignalingClient.JSON.readTree(j.body()).get("token").asText(), this::count);
                while (!stop && !m.closed.isDone()) {
                    try {
                        m.ws.sendText("{\"type\":\"react\",\"emoji\":\"\\uD83D\\uDC4F\"}", true).get(5, TimeUnit.SECONDS);
                        count("reaction sent");
                    } catch (Exception e) {
                        break;
                    }
                }
                m.ws.abort();
            }
        } catch (Exception e) {
            count(e.getClass().getSimpleName());
        }
    }

    /** Waits as Retry-After says (an attacker that does not is refused at once anyway, which costs the server little). */
    private static void pause(HttpResponse<String> r) throws InterruptedException {
        long s = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
        Thread.sleep(Math.min(s, 1) * 1000);
    }

    private void count(String what) {
        attackerAnswers.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    private static void print(String what, Histogram h) {
        if (h.getTotalCount() == 0) {
            System.out.printf(Locale.ROOT, "%-28s  no samples%n", what);
            return;
        }
        System.out.printf(Locale.ROOT, "%-28s  n=%5d  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n", what,
                h.getTotalCount(), h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(95) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
    }

    private static HttpClient client(String from) throws Exception {
        return HttpClient.newBuilder().localAddress(InetAddress.getByName(from)).cookieHandler(new CookieManager())
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private HttpResponse<String> get(HttpClient c, String path) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(HttpClient c, String path, String json, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        // A cookie's requests carry the CSRF header, as the web app's do (docs/api.md).
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        else b.header("X-Salotto-Request", "1");
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) throw new IllegalStateException(r.uri() + ": " + r.statusCode() + " " + r.body());
    }

    /** One person in the room over its WebSocket, media left out: what the flood and the probe need. */
    private static final class Member implements WebSocket.Listener {
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final CompletableFuture<Void> joined = new CompletableFuture<>();
        private final java.util.concurrent.LinkedBlockingQueue<Long> pongs = new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.util.function.Consumer<String> errors;
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        private Member(java.util.function.Consumer<String> errors) {
            this.errors = errors;
        }

        static Member join(HttpClient c, String base, String room, String token, java.util.function.Consumer<String> errors) throws Exception {
            Member m = new Member(errors);
            m.ws = c.newWebSocketBuilder().buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/ws/rooms/" + room), m)
                    .get(10, TimeUnit.SECONDS);
            m.ws.sendText("{\"type\":\"join\",\"token\":\"" + token + "\"}", true).get(5, TimeUnit.SECONDS);
            return m;
        }

        void awaitJoined() throws Exception {
            joined.get(10, TimeUnit.SECONDS);
        }

        /** One ping's round trip, in nanoseconds. */
        long ping() throws Exception {
            pongs.clear();
            long t0 = System.nanoTime();
            ws.sendText("{\"type\":\"ping\"}", true).get(5, TimeUnit.SECONDS);
            Long at = pongs.poll(30, TimeUnit.SECONDS);
            if (at == null) throw new IllegalStateException("no pong within 30 s");
            return at - t0;
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (text.startsWith("{\"type\":\"pong\"")) {
                    pongs.add(System.nanoTime());
                } else {
                    try {
                        JsonNode f = SignalingClient.JSON.readTree(text);
                        String type = f.path("type").asText();
                        if (type.equals("joined")) joined.complete(null);
                        if (type.equals("pong")) pongs.add(System.nanoTime());
                        if (type.equals("error") && errors != null) errors.accept("error frame " + f.path("code").asText());
                    } catch (Exception e) {
                        // not ours to judge here
                    }
                }
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete(null);
        }

        void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}
