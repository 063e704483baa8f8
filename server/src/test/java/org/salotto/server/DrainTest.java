package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SalottoServer#drain()} in one process, with real sockets and the embedded database: joins refused with
 * {@code server_draining}, {@code serverDraining} to everyone, the wait for people to leave, then {@code roomEnded},
 * close code 1012 and the room ended in the database. The SIGTERM path around it is {@link DrainProcessTest}.
 */
class DrainTest {
    private static final int SERVICE_RESTART = 1012;

    @Test
    void aDrainRefusesJoinsTellsEveryoneWaitsForThoseWhoStayThenEndsTheirRoom() throws Exception {
        Duration timeout = Duration.ofSeconds(3);
        try (SalottoServer server = SalottoServer.start(ServerConfig.forTests().withDrainTimeout(timeout))) {
            String url = "http://127.0.0.1:" + server.httpPort();
            Person host = Person.account(url, ServerFixture.uniqueName("drainhost"));
            String room = host.createRoom("call", Map.of());
            RoomClient h = host.enter(room);
            RoomClient g = Person.guest(url, "Gina").enter(room);
            Person late = Person.guest(url, "Late");
            String lateToken = late.joinToken(room).body().get("token").asText();
            Person outsider = Person.account(url, ServerFixture.uniqueName("outsider"));
            assertEquals(200, status(url + "/ready"));

            long start = System.nanoTime();
            Thread drain = Thread.ofVirtual().start(server::drain);
            assertEquals(SalottoServer.DRAIN_MESSAGE, h.awaitType("serverDraining").get("message").asText());
            assertEquals(SalottoServer.DRAIN_MESSAGE, g.awaitType("serverDraining").get("message").asText());

            // No new joins, by HTTP or by WebSocket (even with a token from before the drain).
            Person.Reply refused = outsider.joinToken(room);
            assertEquals(503, refused.status(), refused.toString());
            assertEquals("server_draining", refused.code());
            RoomClient l = RoomClient.open(url, room);
            l.send(Map.of("type", "join", "token", lateToken, "id", 7));
            assertEquals(7, l.awaitError("server_draining").get("ref").asInt());
            // A load balancer stops sending people here; the process is still alive.
            assertEquals(503, status(url + "/ready"));
            assertEquals(200, status(url + "/health"));

            // The guest leaves; the host stays, so the drain waits out its timeout, then ends the room.
            g.send(Map.of("type", "leave"));
            JsonNode ended = h.awaitType("roomEnded");
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(SalottoServer.DRAIN_MESSAGE, ended.get("message").asText());
            assertTrue(elapsedMillis >= timeout.toMillis() - 100, "the room ended after " + elapsedMillis + " ms");
            assertEquals(SERVICE_RESTART, h.closeCode(Duration.ofSeconds(5)));
            assertEquals(SERVICE_RESTART, l.closeCode(Duration.ofSeconds(5)));
            drain.join(Duration.ofSeconds(10));
            assertFalse(drain.isAlive(), "drain() did not return");
            assertEquals("ended", host.get("/api/rooms/" + room).body().get("state").asText());
        }
    }

    @Test
    void aDrainEndsAsSoonAsEveryoneHasLeftAndEndsTheRoomsTheyLeft() throws Exception {
        Duration timeout = Duration.ofSeconds(30);
        try (SalottoServer server = SalottoServer.start(ServerConfig.forTests().withDrainTimeout(timeout))) {
            String url = "http://127.0.0.1:" + server.httpPort();
            Person host = Person.account(url, ServerFixture.uniqueName("livehost"));
            // A live whose host leaves would stay open for the host's grace (30 s by default): the drain ends it.
            String live = host.createRoom("live", Map.of());
            RoomClient h = host.enter(live);
            RoomClient v = Person.guest(url, "Vic").enter(live);

            long start = System.nanoTime();
            Thread drain = Thread.ofVirtual().start(server::drain);
            h.awaitType("serverDraining");
            v.awaitType("serverDraining");
            v.send(Map.of("type", "leave"));
            h.send(Map.of("type", "leave"));
            drain.join(Duration.ofSeconds(10));
            assertFalse(drain.isAlive(), "drain() waited although everyone had left");
            assertTrue(System.nanoTime() - start < timeout.toNanos() / 2);
            assertEquals("ended", host.get("/api/rooms/" + live).body().get("state").asText());
            // drain() again (the shutdown hook after a test's call) returns at once.
            server.drain();
        }
    }

    private static int status(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
