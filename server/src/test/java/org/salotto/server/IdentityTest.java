package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salotto.server.Person.Reply;

/**
 * Who someone is, and for how long (issue 11, docs/security.md): join tokens spent on first use and dead with their
 * API key, log out everywhere, guest tokens refused once invalid, names normalized, and a removed person shut out of
 * what a private room shows. The real server over real sockets, on the embedded database.
 */
class IdentityTest {
    private static ServerFixture fixture;
    private final List<RoomClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @AfterEach
    void closeClients() {
        for (RoomClient c : clients) c.close();
        clients.clear();
    }

    private static String url() {
        return fixture.url();
    }

    private static Person account(String prefix) throws Exception {
        return Person.account(url(), ServerFixture.uniqueName(prefix));
    }

    private RoomClient open(String room) throws Exception {
        RoomClient c = RoomClient.open(url(), room);
        clients.add(c);
        return c;
    }

    private static void assertRefused(Reply r, int status, String code) {
        assertEquals(status, r.status(), "status of " + r);
        assertEquals(code, r.code(), "code of " + r);
    }

    @Test
    void aJoinTokenCannotBeReplayedOnAnotherConnection() throws Exception {
        Person host = account("replay");
        String room = host.createRoom("call", Map.of());
        Person guest = Person.guest(url(), "Gina");
        String token = guest.joinToken(room).body().get("token").asText();

        RoomClient first = open(room);
        first.send(Map.of("type", "join", "token", token));
        first.awaitType("joined");
        RoomClient thief = open(room);
        thief.send(Map.of("type", "join", "token", token));
        assertTrue(thief.awaitError("invalid_token").path("message").asText().contains("used already"));
        // And not after the first connection has gone either.
        first.close();
        RoomClient later = open(room);
        later.send(Map.of("type", "join", "token", token));
        later.awaitError("invalid_token");
    }

    @Test
    void anApplicationsJoinTokenDiesWithItsApiKey() throws Exception {
        Person host = account("appkey");
        String room = host.createRoom("call", Map.of());
        Reply key = host.post("/api/me/api-keys", Map.of("name", "my app"));
        Person app = new Person(url(), "app");
        app.bearer = key.body().get("key").asText();
        Reply made = app.post("/api/rooms/" + room + "/tokens", Map.of("user", "user-1", "displayName", "One"));
        assertEquals(201, made.status(), made.toString());

        assertEquals(204, host.delete("/api/me/api-keys/" + key.body().get("id").asText()).status());
        RoomClient c = open(room);
        c.send(Map.of("type", "join", "token", made.body().get("token").asText()));
        assertTrue(c.awaitError("invalid_token").path("message").asText().contains("deleted"));
    }

    @Test
    void logOutEverywhereEndsEverySessionOfTheAccount() throws Exception {
        String username = ServerFixture.uniqueName("everywhere");
        Person laptop = Person.account(url(), username);
        Person phone = new Person(url(), username);
        assertEquals(200, phone.post("/api/sessions", Map.of("username", username, "password", "correct horse " + username)).status());
        Person other = account("bystander");
        assertEquals(200, phone.get("/api/me").status());

        assertEquals(204, laptop.delete("/api/sessions").status());
        assertRefused(laptop.get("/api/me"), 401, "unauthenticated");
        assertRefused(phone.get("/api/me"), 401, "unauthenticated");
        assertEquals(200, other.get("/api/me").status(), "another account's session stays");
        assertRefused(new Person(url(), "nobody").delete("/api/sessions"), 401, "unauthenticated");
    }

    @Test
    void expiredSessionsArePurgedByTheServerOnItsOwn() throws Exception {
        ServerConfig config = ServerConfig.forTests().withRooms(ServerFixture.testRooms()
                .withSessionTtl(Duration.ofHours(1)).withPurgeInterval(Duration.ofMillis(200)));
        ManualTime time = new ManualTime();
        try (SalottoServer server = SalottoServer.start(config, time, time)) {
            String base = "http://127.0.0.1:" + server.httpPort();
            Person shortLived = Person.account(base, ServerFixture.uniqueName("brief"));
            assertEquals(200, shortLived.get("/api/me").status());
            assertEquals(0, metric(base, "salotto_sessions_purged_total"), "nothing to purge within the lifetime");
            // The server's clock moves past the session's lifetime; the next purge (every 200 ms) deletes its row,
            // says so in the log, and counts it in /metrics.
            try (LogWatch log = new LogWatch(SalottoServer.class)) {
                time.advance(Duration.ofHours(1).plusSeconds(1));
                assertEquals("purged 1 expired sessions", log.await(l -> l.startsWith("purged "), Duration.ofSeconds(10)));
            }
            assertEquals(1, metric(base, "salotto_sessions_purged_total"), "the expired session was deleted by the periodic purge");
            assertRefused(shortLived.get("/api/me"), 401, "unauthenticated");
        }
    }

    private static long metric(String base, String name) throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) if (line.startsWith(name + " ")) return Long.parseLong(line.substring(name.length() + 1));
        throw new AssertionError(name + " is not in /metrics");
    }

    @Test
    void aGuestTokenThatIsNotValidIsRefusedAsSuch() throws Exception {
        String room = account("guesttok").createRoom("call", Map.of());
        Person forger = new Person(url(), "Forger");
        forger.bearer = "g2.AAAAAAAAAAAAAAAAAAAA.9999999999.bm90IGEgc2lnbmF0dXJl";
        assertRefused(forger.post("/api/rooms/" + room + "/join", Map.of("displayName", "F")), 401, "invalid_token");
    }

    @Test
    void displayNamesAreNormalizedAtTheEdge() throws Exception {
        String room = account("names").createRoom("call", Map.of());
        Person guest = Person.guest(url(), "x");
        assertRefused(guest.post("/api/rooms/" + room + "/join", Map.of("displayName", "\u202Etsoh eht")), 400, "bad_request");
        assertRefused(guest.post("/api/rooms/" + room + "/join", Map.of("displayName", "\u3164")), 400, "bad_request");
        assertRefused(guest.post("/api/rooms/" + room + "/join", Map.of("displayName", "\u0420\u0430ul")), 400, "bad_request");
        Reply ok = guest.post("/api/rooms/" + room + "/join", Map.of("displayName", "  Zoe\u0308   Q "));
        assertEquals(200, ok.status(), ok.toString());
        RoomClient c = open(room);
        c.send(Map.of("type", "join", "token", ok.body().get("token").asText()));
        c.awaitType("joined");
        Reply people = account("look").get("/api/rooms/" + room + "/participants");
        assertTrue(people.toString().contains("\"Zoë Q\""), people.toString());
    }

    @Test
    void aRemovedPersonSeesNothingOfAPrivateRoom() throws Exception {
        Person host = account("private");
        String room = host.createRoom("call", Map.of("visibility", "private", "knock", false));
        RoomClient h = host.enter(room);
        clients.add(h);
        Person troll = account("troll");
        RoomClient t = troll.enter(room);
        clients.add(t);
        assertEquals(200, troll.get("/api/rooms/" + room + "/participants").status(), "a member sees who is in");

        assertEquals(204, host.post("/api/rooms/" + room + "/participants/" + t.participantId + "/remove", null).status());
        assertTrue(t.closedWithin(Duration.ofSeconds(5)));
        Person outsider = account("outsider");
        Reply unknown = outsider.get("/api/rooms/" + room + "/participants");
        assertRefused(unknown, 404, "not_found");
        Reply removed = troll.get("/api/rooms/" + room + "/participants");
        assertEquals(unknown.status(), removed.status(), "as an outsider: " + removed);
        assertEquals(unknown.code(), removed.code());
        assertRefused(troll.get("/api/rooms/" + room + "/lobby"), 404, "not_found");
        assertRefused(troll.post("/api/rooms/" + room + "/hand", null), 404, "not_found");
    }
}
