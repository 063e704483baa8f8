package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salotto.server.Person.Reply;

/**
 * PostgreSQL stopped for 20 s under a running room (a private cluster: the shared one is never stopped): the API
 * answers {@code 503 unavailable} within a second instead of hanging; the room's people keep each other (pings,
 * events) and what the room decides meanwhile is kept; once the database is back the server works again by itself and
 * those decisions are in the database, in order.
 */
class DatabaseOutageTest {
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final Duration FAST = Duration.ofSeconds(1);

    @Test
    void theApiAnswers503FastTheRoomGoesOnAndItsDecisionsAreStoredOnceTheDatabaseIsBack() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start();
             SalottoServer server = SalottoServer.start(ServerConfig.forTests().withRooms(ServerFixture.testRooms()
                     .withResumeGrace(Duration.ofSeconds(30))).withDatabase(pg.url(), "postgres", ""))) {
            String url = server.baseUrl();
            Person host = Person.account(url, ServerFixture.uniqueName("outage"));
            String room = host.createRoom("space", Map.of());
            RoomClient h = host.enter(room);
            Person listener = Person.guest(url, "listener");
            RoomClient l = listener.enter(room);
            h.awaitEvent("memberJoined", e -> e.toString().contains(l.participantId));
            long seqBefore = lastSeq(pg, room);

            pg.stop();
            long down = System.nanoTime();
            Person stranger = Person.guest(url, "stranger"); // a guest token is signed, not stored: made without the database
            assertFast503(host, "GET", "/api/me", null);
            assertFast503(host, "POST", "/api/rooms", "{\"kind\":\"call\",\"title\":\"during the outage\"}");
            // An open room's state is in memory: it answers as before.
            long asked = System.nanoTime();
            Reply state = stranger.get("/api/rooms/" + room);
            assertEquals(200, state.status(), state.toString());
            assertEquals(2, state.body().get("people").asInt());
            assertTrue(System.nanoTime() - asked < FAST.toNanos(), "the open room's state took too long");
            assertFast503(stranger, "POST", "/api/rooms/" + room + "/join", "{\"displayName\":\"stranger\"}");
            assertEquals(200, java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode(), "liveness does not need the database");

            // The room decides while the database is down: its people see it at once.
            l.send(Map.of("type", "raiseHand"));
            h.awaitEvent("handRaised", e -> e.get("participantId").asText().equals(l.participantId));
            // The outage lasts: each second, both still answer pings and the API still answers fast.
            while (System.nanoTime() - down < OUTAGE.toNanos()) {
                for (RoomClient c : List.of(h, l)) {
                    c.send(Map.of("type", "ping"));
                    c.awaitType("pong");
                }
                assertFast503(host, "GET", "/api/me/rooms", null);
                Thread.sleep(1000); // the outage's length is the point here, not a wait for an event
            }
            l.send(Map.of("type", "leave"));
            h.awaitEvent("memberLeft", e -> e.get("participantId").asText().equals(l.participantId));
            assertTrue(metric(url, "salotto_rooms_write_retries_total") > 0, "the held writes were retried");

            pg.startAgain();
            long back = System.nanoTime();
            // The server recovers by itself: no restart, the pool reconnects.
            Reply me;
            do {
                me = host.get("/api/me");
            } while (me.status() != 200 && System.nanoTime() - back < 10_000_000_000L);
            assertEquals(200, me.status(), "the API works again once the database is back: " + me);
            System.out.printf("the API worked again %d ms after the database was back%n", (System.nanoTime() - back) / 1_000_000);

            // What the room decided during the outage is stored, in order (the writer retries every 2 s at most). A
            // change of the room's title now is written after them and answered once stored: the barrier.
            Reply retitled = host.patch("/api/rooms/" + room, Map.of("title", "after the outage"));
            assertEquals(200, retitled.status(), retitled.toString());
            List<String> after = eventsAfter(pg, room, seqBefore);
            assertEquals(List.of("handRaised", "memberLeft", "roomChanged"), after,
                    "the decisions of the outage, in the outbox, then the new title");
            assertEquals(0.0, metric(url, "salotto_rooms_writers_waiting_for_database"));

            // And everything works: a new room, someone joining the old one.
            host.createRoom("call", Map.of());
            RoomClient again = Person.guest(url, "after").enter(room);
            h.awaitEvent("memberJoined", e -> e.toString().contains(again.participantId));
        }
    }

    private static void assertFast503(Person who, String method, String path, String json) throws Exception {
        long start = System.nanoTime();
        Reply r = who.send(method, path, json);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, r.status(), method + " " + path + ": " + r);
        assertEquals("unavailable", r.code(), method + " " + path + ": " + r);
        assertTrue(ms < FAST.toMillis(), method + " " + path + " took " + ms + " ms");
    }

    private static long lastSeq(PrivatePostgres pg, String room) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.url(), "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM room_events WHERE room_id = ?")) {
            ps.setString(1, room);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> eventsAfter(PrivatePostgres pg, String room, long seq) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.url(), "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT type FROM room_events WHERE room_id = ? AND seq > ? ORDER BY seq")) {
            ps.setString(1, room);
            ps.setLong(2, seq);
            List<String> types = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) types.add(rs.getString(1));
            }
            return types;
        }
    }

    private static double metric(String url, String name) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String text = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
        throw new AssertionError("no " + name + " in /metrics");
    }
}
