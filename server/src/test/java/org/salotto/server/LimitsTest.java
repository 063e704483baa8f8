package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.limits.Limits;
import org.salotto.rooms.limits.Rate;
import org.salotto.server.security.BrowserSecurity;

/**
 * Each limit of the configuration's {@code limits} section against the real server: the burst that crosses it is
 * answered {@code 429 rate_limited} with {@code Retry-After} (an {@code error} frame with {@code retryAfterMs} on the
 * WebSocket), and a legitimate user, from another address (127.0.0.x: all of 127/8 is this machine), is still
 * answered during the burst. Every window is short and set here, and a test waits for the time the server announced,
 * measured from the refusal.
 */
class LimitsTest {
    private SalottoServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private String start(Limits limits) throws Exception {
        return start(limits, ServerFixture.testRooms());
    }

    private String start(Limits limits, RoomsConfig rooms) throws Exception {
        server = SalottoServer.start(ServerConfig.forTests().withRooms(rooms).withLimits(limits));
        return "http://127.0.0.1:" + server.httpPort();
    }

    /** A server whose time the test moves on ({@link ManualTime}): windows and lockouts pass without waiting. */
    private String start(Limits limits, ManualTime time) throws Exception {
        server = SalottoServer.start(ServerConfig.forTests().withRooms(ServerFixture.testRooms()).withLimits(limits),
                time, time);
        return "http://127.0.0.1:" + server.httpPort();
    }

    /** An HTTP client whose connections come from {@code ip}, with its own cookies. */
    private static HttpClient from(String ip) throws Exception {
        return HttpClient.newBuilder().localAddress(InetAddress.getByName(ip)).cookieHandler(new java.net.CookieManager())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> post(HttpClient c, String url, String json) throws Exception {
        return post(c, url, json, null);
    }

    private static HttpResponse<String> post(HttpClient c, String url, String json, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("X-Salotto-Request", "1")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRateLimited(HttpResponse<String> r) throws Exception {
        assertEquals(429, r.statusCode(), r.body());
        assertEquals("rate_limited", Person.JSON.readTree(r.body()).path("error").path("code").asText(), r.body());
        String retry = r.headers().firstValue("Retry-After").orElse(null);
        assertNotNull(retry, "429 carries Retry-After");
        assertTrue(Long.parseLong(retry) >= 1, retry);
    }

    private static String login(String user, String password) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    @Test
    void aForgedXForwardedForDoesNotEscapeTheLimitsAndATrustedProxysNamesItsClients() throws Exception {
        server = SalottoServer.start(ServerConfig.forTests().withRooms(ServerFixture.testRooms())
                .withLimits(Limits.relaxed().withTokens(Rate.unlimited(), Rate.of(3, Duration.ofMinutes(1)), Rate.unlimited()))
                .withBrowserSecurity(new BrowserSecurity(List.of(), List.of("127.0.0.5"), "")));
        String base = "http://127.0.0.1:" + server.httpPort();
        // Not a trusted proxy: whatever X-Forwarded-For it writes, it is counted as the address it connects from.
        HttpClient attacker = from("127.0.0.2");
        for (int i = 0; i < 3; i++) assertEquals(201, guestToken(attacker, base, "198.51.100." + i).statusCode());
        assertRateLimited(guestToken(attacker, base, "198.51.100.99"));
        // A trusted proxy: each client it names has its own count, and what a client wrote before the proxy's own
        // entry does not change who it is.
        HttpClient proxy = from("127.0.0.5");
        for (int i = 0; i < 3; i++) assertEquals(201, guestToken(proxy, base, "203.0.113." + i + ", 198.51.100.7").statusCode());
        assertRateLimited(guestToken(proxy, base, "203.0.113.200, 198.51.100.7"));
        assertEquals(201, guestToken(proxy, base, "198.51.100.8").statusCode(), "another client behind the proxy");
    }

    private static HttpResponse<String> guestToken(HttpClient c, String base, String forwardedFor) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/api/guests")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        return c.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLoginFloodFromOneAddressIsRefusedWhileSomeoneElseLogsIn() throws Exception {
        String base = start(Limits.relaxed().withLogin(Rate.of(5, Duration.ofMinutes(1)), Rate.unlimited(), 0, Duration.ofMinutes(5)));
        HttpClient legit = from("127.0.0.3");
        assertEquals(201, post(legit, base + "/api/accounts", login("carol", "carol's password")).statusCode());
        assertEquals(201, post(from("127.0.0.3"), base + "/api/accounts", login("victim", "victim's password")).statusCode());

        HttpClient attacker = from("127.0.0.2");
        for (int i = 0; i < 5; i++) assertEquals(401, post(attacker, base + "/api/sessions", login("victim", "guess" + i)).statusCode());
        for (int i = 0; i < 20; i++) {
            assertRateLimited(post(attacker, base + "/api/sessions", login("victim", "guess" + i)));
            if (i == 10) {
                // During the burst, from another address: answered, and logged in.
                assertEquals(200, post(legit, base + "/api/sessions", login("carol", "carol's password")).statusCode());
            }
        }
        // Sign-ups count with logins.
        assertRateLimited(post(attacker, base + "/api/accounts", login("spammer", "spammer password")));
    }

    @Test
    void wrongPasswordsLockTheAccountFromEveryAddressAndTheRightOneWorksOnceTheLockoutIsOver() throws Exception {
        Duration lockout = Duration.ofMillis(1500);
        ManualTime time = new ManualTime();
        String base = start(Limits.relaxed().withLogin(Rate.unlimited(), Rate.unlimited(), 3, lockout), time);
        HttpClient dorasBrowser = from("127.0.0.3");
        HttpResponse<String> signUp = post(dorasBrowser, base + "/api/accounts", login("dora", "dora's password"));
        assertEquals(201, signUp.statusCode());
        String device = signUp.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("salotto_device="))
                .findFirst().orElseThrow(() -> new AssertionError("no device cookie: " + signUp.headers()));
        assertTrue(device.contains("Path=/api/sessions") && device.contains("HttpOnly") && device.contains("SameSite=Strict"), device);
        HttpResponse<String> last = null;
        for (int i = 0; i < 3; i++) {
            last = post(from("127.0.1." + (i + 1)), base + "/api/sessions", login("dora", "guess" + i));
            assertEquals(401, last.statusCode());
        }
        HttpResponse<String> locked = post(from("127.0.0.3"), base + "/api/sessions", login("dora", "dora's password"));
        assertRateLimited(locked);
        assertEquals("2", locked.headers().firstValue("Retry-After").orElseThrow(), "1.5 s, rounded up");
        assertEquals(200, post(dorasBrowser, base + "/api/sessions", login("dora", "dora's password")).statusCode(),
                "the browser she signed up in (its device cookie) is not locked out by others' guesses");

        // The server's time stands still until the test moves it: locked until the last moment, over once it has passed.
        time.advance(lockout.minusMillis(1));
        assertRateLimited(post(from("127.0.0.3"), base + "/api/sessions", login("dora", "dora's password")));
        time.advance(Duration.ofMillis(1));
        assertEquals(200, post(from("127.0.0.3"), base + "/api/sessions", login("dora", "dora's password")).statusCode());
    }

    @Test
    void roomsPerAccountGuestTokensAndJoinTokensPerAddress() throws Exception {
        String base = start(Limits.relaxed().withTokens(Rate.of(3, Duration.ofHours(1)), Rate.of(4, Duration.ofMinutes(1)),
                Rate.of(4, Duration.ofMinutes(1))));
        HttpClient host = from("127.0.0.3");
        assertEquals(201, post(host, base + "/api/accounts", login("erin", "erin's password")).statusCode());
        String room = null;
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = post(host, base + "/api/rooms", "{\"kind\":\"call\",\"title\":\"room " + i + "\"}");
            assertEquals(201, r.statusCode(), r.body());
            room = Person.JSON.readTree(r.body()).get("id").asText();
        }
        assertRateLimited(post(host, base + "/api/rooms", "{\"kind\":\"call\",\"title\":\"spam\"}"));
        HttpClient other = from("127.0.0.4");
        assertEquals(201, post(other, base + "/api/accounts", login("frank", "frank's password")).statusCode());
        assertEquals(201, post(other, base + "/api/rooms", "{\"kind\":\"call\",\"title\":\"frank's\"}").statusCode(),
                "another account creates its rooms");

        HttpClient flood = from("127.0.0.5");
        List<String> guests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = post(flood, base + "/api/guests", "{}");
            assertEquals(201, r.statusCode());
            guests.add(Person.JSON.readTree(r.body()).get("guestToken").asText());
        }
        assertRateLimited(post(flood, base + "/api/guests", "{}"));
        assertEquals(201, post(from("127.0.0.6"), base + "/api/guests", "{}").statusCode(), "another address gets one");

        for (int i = 0; i < 4; i++) {
            assertEquals(200, post(flood, base + "/api/rooms/" + room + "/join", "{\"displayName\":\"g\"}", guests.get(i)).statusCode());
        }
        assertRateLimited(post(flood, base + "/api/rooms/" + room + "/join", "{\"displayName\":\"g\"}", guests.getFirst()));
        assertEquals(200, post(host, base + "/api/rooms/" + room + "/join", "{}").statusCode(), "the host still joins");
    }

    @Test
    void reactionsAndKnocksPerPersonAndFramesPerConnection() throws Exception {
        // A resume grace far longer than the test: a member cut off for flooding must leave without it.
        String base = start(Limits.relaxed().withRoom(Rate.of(5, Duration.ofMinutes(1)), Rate.of(1, Duration.ofMinutes(1)), 100,
                Rate.of(40, Duration.ofSeconds(10))), ServerFixture.testRooms().withResumeGrace(Duration.ofMinutes(5)));
        Person host = Person.account(base, "gina");
        String room = host.createRoom("call", Map.of());
        RoomClient h = host.enter(room);
        Person guest = Person.guest(base, "spammy");
        RoomClient g = guest.enter(room);

        for (int i = 0; i < 5; i++) g.send(Map.of("type", "react", "emoji", "👏"));
        g.send(Map.of("type", "react", "emoji", "👏"));
        JsonNode refused = g.awaitError("rate_limited");
        assertTrue(refused.path("retryAfterMs").asLong() > 0, refused.toString());
        h.send(Map.of("type", "react", "emoji", "🎉"));
        h.awaitEvent("reaction", e -> e.path("emoji").asText().equals("🎉"));
        assertEquals(5, countReactions(h, "👏"), "the host saw 5 of the 6 reactions");

        // Knocks (joins) per person, one a minute here: the same guest's second join is refused.
        String token = guest.joinToken(room).body().get("token").asText();
        RoomClient again = RoomClient.open(base, room);
        again.send(Map.of("type", "join", "token", token));
        assertTrue(again.awaitError("rate_limited").path("retryAfterMs").asLong() > 0);

        // Frames per connection: a flood of pings gets one error, then the socket closes; others go on.
        RoomClient flood = RoomClient.open(base, room);
        try {
            for (int i = 0; i < 200; i++) flood.send(Map.of("type", "ping"));
        } catch (java.util.concurrent.ExecutionException closedMeanwhile) {
            // The server closed the socket before the flood was all sent: what the test expects.
        }
        flood.awaitError("rate_limited");
        assertTrue(flood.closedWithin(Duration.ofSeconds(5)));
        h.send(Map.of("type", "ping"));
        h.awaitType("pong");

        // A member who floods is cut off the same way, and leaves the room at once: no resume grace for a flooder.
        try {
            for (int i = 0; i < 200; i++) g.send(Map.of("type", "ping"));
        } catch (java.util.concurrent.ExecutionException closedMeanwhile) {
            // as above
        }
        g.awaitError("rate_limited");
        assertTrue(g.closedWithin(Duration.ofSeconds(5)));
        h.awaitEvent("memberLeft", e -> e.path("participantId").asText().equals(g.participantId));
    }

    @Test
    void theSocketReadsOnThroughPingsFragmentsAndBinaryFrames() throws Exception {
        // A room socket asks for each frame once it handled the last: frames the application never sees (a ping, a
        // binary frame) and a text frame in pieces must not stop it reading.
        String base = start(Limits.relaxed());
        Person host = Person.account(base, "tess");
        String room = host.createRoom("call", Map.of());
        RoomClient c = RoomClient.open(base, room);
        c.socket().sendPing(java.nio.ByteBuffer.wrap(new byte[] {1, 2})).get(5, TimeUnit.SECONDS);
        c.send(Map.of("type", "ping", "id", "after-control"));
        assertEquals("after-control", c.awaitType("pong").path("ref").asText());

        c.socket().sendText("{\"type\":\"pi", false).get(5, TimeUnit.SECONDS);
        c.socket().sendText("ng\",\"id\":\"in-pieces\"}", true).get(5, TimeUnit.SECONDS);
        assertEquals("pong", c.await("the answer to a fragmented ping",
                f -> f.path("ref").asText().equals("in-pieces")).path("type").asText());

        c.socket().sendBinary(java.nio.ByteBuffer.wrap(new byte[] {7, 7, 7}), true).get(5, TimeUnit.SECONDS);
        c.send(Map.of("type", "ping", "id", "after-binary"));
        assertEquals("pong", c.await("the pong after a binary frame",
                f -> f.path("ref").asText().equals("after-binary")).path("type").asText());
    }

    private static long countReactions(RoomClient c, String emoji) {
        return c.seen().stream().filter(f -> f.path("event").asBoolean() && f.path("type").asText().equals("reaction")
                && f.path("emoji").asText().equals(emoji)).count();
    }

    @Test
    void connectionsPerAddressAreCappedAndOthersAreStillServed() throws Exception {
        String base = start(Limits.relaxed().withConnections(4, Duration.ofSeconds(30)));
        // Connections the server has closed, as it sees them (its listeners apply to connections made from now on).
        // (The address is taken when a connection opens: a closed endpoint no longer knows it.)
        BlockingQueue<SocketAddress> closed = new LinkedBlockingQueue<>();
        java.util.Map<Connection, SocketAddress> remotes = new java.util.concurrent.ConcurrentHashMap<>();
        server.observeConnections(new Connection.Listener() {
            @Override
            public void onOpened(Connection c) {
                remotes.put(c, c.getEndPoint().getRemoteSocketAddress());
            }

            @Override
            public void onClosed(Connection c) {
                SocketAddress a = remotes.remove(c);
                if (a != null) closed.add(a);
            }
        });
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) held.add(connect("127.0.0.7"));
            for (Socket s : held) assertFalse(closedByServer(s, Duration.ofMillis(300)), "within the limit: kept open");
            Socket extra = connect("127.0.0.7");
            assertTrue(closedByServer(extra, Duration.ofSeconds(5)), "the fifth from one address is closed");
            assertEquals(201, post(from("127.0.0.8"), base + "/api/guests", "{}").statusCode(), "another address is served");

            // The server counts the close when it sees it: wait for it (the listener after the guard's hears of it
            // once the guard has counted it), then a new connection is allowed.
            Socket first = held.removeFirst();
            InetSocketAddress gone = (InetSocketAddress) first.getLocalSocketAddress(); // read before close: then wildcard
            first.close();
            for (SocketAddress a = closed.poll(5, TimeUnit.SECONDS); !gone.equals(a); a = closed.poll(5, TimeUnit.SECONDS)) {
                assertNotNull(a, "the server never saw the close");
            }
            assertEquals(3, server.connectionGuardOpenFrom("127.0.0.7"));
            Socket again = connect("127.0.0.7");
            held.add(again);
            assertEquals(200, get(again, "/health").code, "a connection within the limit is served");
        } finally {
            for (Socket s : held) s.close();
        }
    }

    @Test
    void aConnectionThatDoesNotFinishItsHeadersInTimeIsClosed() throws Exception {
        Duration deadline = Duration.ofMillis(400);
        start(Limits.relaxed().withConnections(0, deadline));
        try (Socket idle = connect("127.0.0.9"); Socket slow = connect("127.0.0.9"); Socket fine = connect("127.0.0.9")) {
            assertEquals(200, get(fine, "/health").code, "a complete request, in time");
            OutputStream out = slow.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            // Checked every deadline: closed after one or two.
            assertTrue(closedByServer(slow, Duration.ofSeconds(3)), "headers never finished: closed");
            assertTrue(closedByServer(idle, Duration.ofSeconds(3)), "nothing sent: closed");
            assertTrue(System.nanoTime() - t0 < deadline.multipliedBy(2).plusMillis(900).toNanos());
            // A connection that sends complete requests is kept between them, and served again.
            assertFalse(closedByServer(fine, Duration.ofMillis(100)));
            assertEquals(200, get(fine, "/health").code);
        }
    }

    @Test
    void aThousandKnocksSendTheHostAFewLobbyFramesNotAThousand() throws Exception {
        String base = start(Limits.relaxed());
        Person host = Person.account(base, "hugo");
        String room = host.createRoom("call", Map.of("knock", true));
        RoomClient h = host.enter(room);
        int knockers = 60;
        List<RoomClient> waiting = new ArrayList<>();
        try {
            // Tokens and sockets first, then every knock at once: what a flood looks like to the room.
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < knockers; i++) {
                tokens.add(Person.guest(base, "k" + i).joinToken(room).body().get("token").asText());
                waiting.add(RoomClient.open(base, room));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < knockers; i++) waiting.get(i).send(Map.of("type", "join", "token", tokens.get(i)));
            JsonNode full = h.await("the lobby with everyone", f -> f.path("type").asText().equals("lobby")
                    && f.path("waiting").size() == knockers);
            long batches = (System.nanoTime() - t0) / Duration.ofMillis(100).toNanos() + 1;
            assertNotNull(full);
            long lobbyFrames = h.seen().stream().filter(f -> f.path("type").asText().equals("lobby")).count() + 1;
            // One per knock before (60); now at most one per 100 ms batch interval while the knocks came in.
            assertTrue(lobbyFrames <= batches + 1 && lobbyFrames < knockers / 3,
                    "lobby frames: " + lobbyFrames + " for " + knockers + " knocks in " + batches + " batch intervals");
            for (RoomClient w : waiting) w.awaitType("waiting");
        } finally {
            for (RoomClient w : waiting) w.abort();
        }
    }

    // ---- raw sockets ----

    private Socket connect(String fromIp) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(fromIp, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.httpPort()), 5000);
        return s;
    }

    /** True when the server closes (end of stream or reset) within the time; false when the socket is still open. */
    private static boolean closedByServer(Socket s, Duration within) throws Exception {
        s.setSoTimeout((int) within.toMillis());
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    private record Raw(int code) {
    }

    /** One request on a kept-alive socket; reads the whole answer (headers and Content-Length body). */
    private static Raw get(Socket s, String path) throws Exception {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new AssertionError("closed before the answer: " + head);
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
        }
        in.readNBytes(length);
        return new Raw(Integer.parseInt(head.substring(9, 12)));
    }
}
