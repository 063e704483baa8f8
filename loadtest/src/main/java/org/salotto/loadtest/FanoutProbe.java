package org.salotto.loadtest;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code salotto loadtest fanout}: a notification fanned out to many followers (issue 13). A host B signs up through
 * the API and opens a live in its backstage; {@code --followers} accounts following B are written straight into the
 * server's PostgreSQL database (the API would hash 10,000 passwords), with a browser session for the first
 * {@code --connected} of them, each of which opens the notification stream (server-sent events) with its session
 * cookie. Then B goes live ({@code POST /api/rooms/{id}/go-live}), and the probe measures, from just before that
 * request, the time until each connected follower's stream delivers the {@code went_live} notification: p50/p99/max,
 * and how many arrived. The database work is read around it: rows inserted, updated, deleted in the server's schema
 * ({@code pg_stat_user_tables}) and the fan-out worker's own transactions and statements ({@code /metrics}).
 */
@Command(name = "fanout", usageHelpAutoWidth = true, sortOptions = false,
        description = "Notification fan-out: a host with many followers goes live (issue 13).",
        footer = {"", "Exit status: 0 when every connected follower got the notification, 1 otherwise."})
final class FanoutProbe implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", description = "the server (default http://127.0.0.1:8080)")
    URI url = URI.create("http://127.0.0.1:8080");

    @Option(names = "--db-url", paramLabel = "JDBC", required = true,
            description = "the server's PostgreSQL database, with its schema (jdbc:postgresql://host/db?currentSchema=s)")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "USER", description = "default postgres")
    String dbUser = "postgres";

    @Option(names = "--followers", paramLabel = "N", description = "B's followers (default 10000)")
    int followers = 10_000;

    @Option(names = "--connected", paramLabel = "N", description = "followers with the stream open (default 1000)")
    int connected = 1_000;

    @Option(names = "--timeout", paramLabel = "TIME", converter = LoadTest.DurationConverter.class,
            description = "how long to wait for every connected follower (default 60s)")
    Duration timeout = Duration.ofSeconds(60);

    private final Histogram delays = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(120), 3);

    @Override
    public Integer call() throws Exception {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        HttpClient host = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String hostName = "ltb" + run;
        send(host, "POST", "/api/accounts", "{\"username\":\"" + hostName + "\",\"password\":\"load test " + run + "\"}", 201);
        String created = send(host, "POST", "/api/rooms", "{\"kind\":\"live\",\"title\":\"Fan-out " + run + "\",\"practice\":true}", 201);
        String roomId = created.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");

        List<String> tokens = new ArrayList<>();
        long t = System.nanoTime();
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, null)) {
            db.setAutoCommit(false);
            long hostId = id(db, hostName);
            tokens = seed(db, run, hostId);
            db.commit();
            // As a server that grew its followers over time has: planner statistics of the tables just filled.
            db.setAutoCommit(true);
            try (Statement s = db.createStatement()) {
                s.execute("ANALYZE accounts, follows, sessions, notifications, notification_jobs");
            }
        }
        System.out.printf("seeded %d followers (%d with a session) in %d ms%n", followers, connected,
                (System.nanoTime() - t) / 1_000_000);

        CountDownLatch ready = new CountDownLatch(connected);
        CountDownLatch got = new CountDownLatch(connected);
        AtomicInteger failed = new AtomicInteger();
        long[] goLiveAt = {Long.MAX_VALUE};
        List<InputStream> streams = new ArrayList<>();
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < connected; i++) {
            if (i % 50 == 0) clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
            HttpClient c = clients.getLast();
            String token = tokens.get(i);
            Thread.ofVirtual().start(() -> {
                try {
                    HttpResponse<InputStream> r = c.send(HttpRequest.newBuilder(url.resolve("/api/me/notifications/stream"))
                            .header("Cookie", "salotto_session=" + token).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                    if (r.statusCode() != 200) {
                        if (failed.incrementAndGet() == 1) System.out.println("a stream was refused: " + r.statusCode());
                        ready.countDown();
                        return;
                    }
                    synchronized (streams) {
                        streams.add(r.body());
                    }
                    read(r.body(), ready, got, goLiveAt);
                } catch (Exception e) {
                    if (failed.incrementAndGet() == 1) System.out.println("a stream failed: " + e);
                    ready.countDown();
                }
            });
        }
        if (!ready.await(120, TimeUnit.SECONDS)) System.out.println("not every stream opened in 120 s");
        System.out.printf("%d streams open (%d failed)%n", connected - failed.get(), failed.get());
        Thread.sleep(1500); // PostgreSQL's statistics are flushed at most once a second
        Map<String, Long> rowsBefore = rows();
        Map<String, Long> metricsBefore = metrics();

        goLiveAt[0] = System.nanoTime();
        send(host, "POST", "/api/rooms/" + roomId + "/go-live", "{}", 200);
        long answered = System.nanoTime() - goLiveAt[0];
        // The job is in the database once go-live is answered; it is gone when its last batch is written.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pendingJobs(roomId) > 0 && System.nanoTime() < deadline) Thread.sleep(20);
        long doneAt = System.nanoTime() - goLiveAt[0];
        boolean all = got.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long allAt = System.nanoTime() - goLiveAt[0];
        Thread.sleep(1500);
        Map<String, Long> rowsAfter = rows();
        Map<String, Long> metricsAfter = metrics();

        System.out.printf("go-live answered in %.1f ms%n", answered / 1e6);
        System.out.printf("went_live delivered to %d of %d connected followers; all by %.1f ms%n",
                connected - got.getCount(), connected, allAt / 1e6);
        System.out.printf("delivery delay: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", delays.getValueAtPercentile(50) / 1e6,
                delays.getValueAtPercentile(99) / 1e6, delays.getMaxValue() / 1e6);
        System.out.printf("fan-out to all %d followers finished by %.1f ms%n", followers, doneAt / 1e6);
        System.out.printf("notifications written for the room: %d%n", notifications(roomId));
        for (String k : rowsAfter.keySet()) {
            System.out.printf("database rows %s: %d%n", k, rowsAfter.get(k) - rowsBefore.getOrDefault(k, 0L));
        }
        for (String k : metricsAfter.keySet()) {
            System.out.printf("server %s: %d%n", k, metricsAfter.get(k) - metricsBefore.getOrDefault(k, 0L));
        }
        for (InputStream s : streams) s.close();
        return all && failed.get() == 0 ? 0 : 1;
    }

    private void read(InputStream body, CountDownLatch ready, CountDownLatch got, long[] goLiveAt) throws Exception {
        boolean opened = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("event: ")) event = line.substring(7);
                else if (line.startsWith("data: ")) {
                    if (!opened && "unread".equals(event)) {
                        opened = true;
                        ready.countDown();
                    } else if ("notification".equals(event) && line.contains("\"type\":\"went_live\"")) {
                        delays.recordValue(Math.max(0, System.nanoTime() - goLiveAt[0]));
                        got.countDown();
                    }
                } else if (line.isEmpty()) event = null;
            }
        }
    }

    /** Accounts, follows and sessions, in batches; returns the session tokens of the connected followers. */
    private List<String> seed(Connection db, String run, long hostId) throws Exception {
        SecureRandom random = new SecureRandom();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO accounts (username, username_lower, display_name, "
                + "password_hash, created_at) VALUES (?, ?, ?, ?, ?)", new String[] {"id"})) {
            for (int i = 0; i < followers; i++) {
                String name = "ltf" + run + "x" + i;
                ps.setString(1, name);
                ps.setString(2, name);
                ps.setString(3, "Follower " + i);
                ps.setString(4, "$load-test$no-login");
                ps.setObject(5, now);
                ps.addBatch();
                if (i % 1000 == 999 || i == followers - 1) {
                    ps.executeBatch();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        while (keys.next()) ids.add(keys.getLong(1));
                    }
                }
            }
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO follows (follower_id, followee_id, at) VALUES (?, ?, ?)")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setLong(1, ids.get(i));
                ps.setLong(2, hostId);
                ps.setObject(3, now);
                ps.addBatch();
                if (i % 1000 == 999) ps.executeBatch();
            }
            ps.executeBatch();
        }
        List<String> tokens = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO sessions (token_hash, account_id, expires_at) VALUES (?, ?, ?)")) {
            for (int i = 0; i < connected; i++) {
                byte[] b = new byte[24];
                random.nextBytes(b);
                String token = HexFormat.of().formatHex(b);
                tokens.add(token);
                ps.setBytes(1, sha.digest(token.getBytes(StandardCharsets.UTF_8)));
                ps.setLong(2, ids.get(i));
                ps.setObject(3, now.plusDays(1));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return tokens;
    }

    private static long id(Connection db, String username) throws Exception {
        try (PreparedStatement ps = db.prepareStatement("SELECT id FROM accounts WHERE username_lower = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no account " + username + ": is --db-url the server's database?");
                return rs.getLong(1);
            }
        }
    }

    private long pendingJobs(String roomId) throws Exception {
        return count("SELECT COUNT(*) FROM notification_jobs WHERE room_id = '" + roomId + "'");
    }

    private long notifications(String roomId) throws Exception {
        return count("SELECT COUNT(*) FROM notifications WHERE room_id = '" + roomId + "'");
    }

    private long count(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, null); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows inserted, updated, deleted and read by index in the server's schema (all its tables together). */
    private Map<String, Long> rows() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, null); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT SUM(n_tup_ins), SUM(n_tup_upd), SUM(n_tup_del), SUM(idx_tup_fetch), "
                     + "SUM(seq_tup_read) FROM pg_stat_user_tables WHERE schemaname = current_schema()")) {
            rs.next();
            out.put("inserted", rs.getLong(1));
            out.put("updated", rs.getLong(2));
            out.put("deleted", rs.getLong(3));
            out.put("fetched by index", rs.getLong(4));
            out.put("read by sequential scans", rs.getLong(5));
        }
        return out;
    }

    /** The fan-out worker's counters from /metrics. */
    private Map<String, Long> metrics() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            for (String name : List.of("salotto_notification_batches_total", "salotto_notification_statements_total",
                    "salotto_notifications_written_total", "salotto_notifications_pushed_total")) {
                if (line.startsWith(name + " ")) out.put(name, (long) Double.parseDouble(line.substring(name.length() + 1)));
            }
        }
        return out;
    }

    private String send(HttpClient c, String method, String path, String json, int expected) throws Exception {
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(url.resolve(path)).header("Content-Type", "application/json")
                .header("X-Salotto-Request", "1").method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }
}
