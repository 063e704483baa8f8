package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * WHIP and WHEP (docs/api.md "WHIP and WHEP") with two independent WebRTC stacks: aiortc (Debian's python3-aiortc,
 * {@code it/whip/whipclient.py}) and Chromium running a minimal client written from RFC 9725 and the WHEP draft
 * ({@code it/browser/whipwhep.mjs}: fetch POST of the offer, setRemoteDescription of the answer, DELETE).
 *
 * <ul>
 * <li>a live: aiortc publishes over WHIP with the host's join token and is on the stage; a viewer in the web app
 *     and a browser WHEP player decode its video (getStats), and so does an aiortc WHEP player; the publisher's
 *     DELETE takes it out of the room, which the web app's viewer sees;</li>
 * <li>a space: the browser publishes its microphone over WHIP (its camera is refused per m-section: a space's stage
 *     is audio only) and an aiortc WHEP player hears it (decoded samples with energy); the player's DELETE takes it
 *     out of the space's participants.</li>
 * </ul>
 */
class WhipWhepTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CLIENT = Path.of(System.getProperty("salotto.whipDir", "whip")).toAbsolutePath();

    @Test
    void aWhipPublisherIsOnALiveStageAndBrowsersAndAiortcDecodeIt() throws Exception {
        requireAiortc();
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var host = RoomHttp.signUp(server.baseUrl());
            String room = host.createRoom("live");
            var harness = new BrowserHarness();
            try (BrowserHarness.Run publisher = aiortc(harness, Map.of("mode", "publish",
                    "url", server.baseUrl() + "/whip/" + room, "token", host.joinToken(room)))) {
                JsonNode published = publisher.awaitEvent("published");
                System.out.println("WHIP publisher: " + published);
                assertEquals(201, published.path("status").asInt(), published.toString());
                assertTrue(published.path("location").asText().startsWith(server.baseUrl() + "/whip/" + room + "/"),
                        "Location names the session under the room: " + published);
                assertTrue(published.path("etag").asText().startsWith("\""), "a quoted ETag: " + published);
                assertEquals("application/sdp", published.path("contentType").asText(), published.toString());

                // Someone on the stage, as the API shows the room: the publisher is the host.
                JsonNode people = host.participants(room);
                assertEquals(1, people.size(), people.toString());
                assertEquals("host", people.get(0).path("role").asText(), people.toString());
                String publisherId = people.get(0).path("participantId").asText();

                try (BrowserHarness.Run player = aiortc(harness, Map.of("mode", "play",
                        "url", server.baseUrl() + "/whep/" + room, "token", RoomHttp.guestJoinToken(server.baseUrl(), room, "Pia"),
                        "minVideoFrames", 30, "minLoudAudioFrames", 50, "timeoutMs", 30000))) {
                    JsonNode received = player.awaitEvent("received");
                    System.out.println("aiortc WHEP player: " + received);
                    assertTrue(received.path("videoFrames").asInt() >= 30, "aiortc decodes the live's video: " + received);
                    assertTrue(received.path("loudAudioFrames").asInt() >= 50, "and hears its tone: " + received);
                    assertEquals("viewer", roleOf(host.participants(room), "Pia"), "a WHEP player is in the audience");

                    player.send("delete");
                    JsonNode playerEnd = player.result();
                    assertEquals(200, playerEnd.path("deleteStatus").asInt(), playerEnd.toString());
                    assertEquals(404, playerEnd.path("deleteAgainStatus").asInt(), "a deleted session is gone: " + playerEnd);
                }

                try (BrowserHarness.Run browser = harness.start("whipwhep.mjs", Map.of("baseUrl", server.baseUrl(),
                        "room", room, "scenario", "live", "publisherId", publisherId,
                        "outputDir", harness.screenshots("whipwhep-live")), Duration.ofSeconds(180))) {
                    JsonNode decoded = browser.awaitEvent("decoded");
                    System.out.println("browsers: " + decoded);
                    assertTrue(decoded.path("app").path("framesDecoded").asInt() >= 20,
                            "a viewer in the web app decodes the WHIP publisher's video: " + decoded);
                    assertEquals("host", decoded.path("app").path("publisherRole").asText(),
                            "the web app shows the WHIP publisher on the stage: " + decoded);
                    assertTrue(decoded.path("whep").path("framesDecoded").asInt() >= 20,
                            "the browser's WHEP player decodes it: " + decoded);
                    assertEquals(201, decoded.path("whep").path("status").asInt(), decoded.toString());
                    assertEquals("viewer", decoded.path("app").path("wendyRole").asText(),
                            "the web app lists the WHEP player in the audience: " + decoded);
                    assertEquals(200, decoded.path("whep").path("deleteStatus").asInt(), decoded.toString());
                    assertTrue(decoded.path("app").path("sawWhepViewerLeave").asBoolean(),
                            "the web app's viewer sees the browser WHEP player leave after its DELETE: " + decoded);

                    publisher.send("delete");
                    JsonNode publisherEnd = publisher.result();
                    assertEquals(200, publisherEnd.path("deleteStatus").asInt(), publisherEnd.toString());
                    assertEquals(404, publisherEnd.path("deleteAgainStatus").asInt(), publisherEnd.toString());
                    browser.send("publisherGone");
                    JsonNode end = browser.result();
                    assertTrue(end.path("app").path("sawPublisherLeave").asBoolean(),
                            "the web app's viewer sees the WHIP publisher leave after its DELETE: " + end);
                }
            }
        }
    }

    @Test
    void aWhepPlayerHearsASpaceTheBrowserPublishesIntoOverWhip() throws Exception {
        requireAiortc();
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var host = RoomHttp.signUp(server.baseUrl());
            String room = host.createRoom("space");
            var harness = new BrowserHarness();
            try (BrowserHarness.Run browser = harness.start("whipwhep.mjs", Map.of("baseUrl", server.baseUrl(), "room", room,
                    "scenario", "space", "token", host.joinToken(room), "outputDir", harness.screenshots("whipwhep-space")),
                    Duration.ofSeconds(180))) {
                JsonNode published = browser.awaitEvent("published");
                System.out.println("browser WHIP publisher: " + published);
                assertEquals(201, published.path("status").asInt(), published.toString());
                assertEquals(List.of("audio"), kinds(published.path("accepted")),
                        "a space takes the microphone and refuses the camera in the answer: " + published);
                assertEquals(204, published.path("trickle").asInt(), "a trickled candidate is taken (and ignored): " + published);
                assertEquals(412, published.path("wrongEtag").asInt(), "a PATCH with another If-Match is refused: " + published);
                assertEquals(200, published.path("iceRestart").path("status").asInt(),
                        "an ICE restart by PATCH is answered with new credentials: " + published);
                assertTrue(published.path("iceRestart").path("etagChanged").asBoolean(), "and a new ETag: " + published);
                assertTrue(published.path("iceRestart").path("connectedAgain").asBoolean(),
                        "the browser connects again through the new credentials and its media goes on: " + published);

                try (BrowserHarness.Run player = aiortc(harness, Map.of("mode", "play",
                        "url", server.baseUrl() + "/whep/" + room, "token", RoomHttp.guestJoinToken(server.baseUrl(), room, "Lou"),
                        "video", false, "minLoudAudioFrames", 100, "timeoutMs", 30000))) {
                    JsonNode received = player.awaitEvent("received");
                    System.out.println("aiortc WHEP listener: " + received);
                    assertTrue(received.path("loudAudioFrames").asInt() >= 100,
                            "the WHEP player hears the space's speaker (decoded audio with energy): " + received);
                    assertEquals("listener", roleOf(host.participants(room), "Lou"), "a WHEP player is a listener");
                    player.send("delete");
                    assertEquals(200, player.result().path("deleteStatus").asInt());
                    assertTrue(afterRoomDecisions(server, room, () -> roleOf(host.participants(room), "Lou") == null),
                            "gone from the space's participants after DELETE: " + host.participants(room));
                }
                browser.send("delete");
                JsonNode end = browser.result();
                System.out.println("browser WHIP publisher end: " + end);
                assertEquals(200, end.path("deleteStatus").asInt(), end.toString());
                assertTrue(afterRoomDecisions(server, room, () -> host.participants(room).isEmpty()),
                        "the WHIP publisher left the space after its DELETE: " + host.participants(room));
            }
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /**
     * Whether the check holds, read again after each decision the room stores, waiting at most 5 s in all (a DELETE is
     * answered before the room has carried out the leave, which is a stored decision: a leave after a read is never
     * missed, the listener being added before the first read).
     */
    private static boolean afterRoomDecisions(TestServer server, String room, Check check) throws Exception {
        Semaphore stored = new Semaphore(0);
        try (AutoCloseable listening = server.onRoomEventsStored(id -> {
            if (id.equals(room)) stored.release();
        })) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!check.holds()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !stored.tryAcquire(left, TimeUnit.NANOSECONDS)) return false;
                stored.drainPermits();
            }
            return true;
        }
    }

    private static List<String> kinds(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String roleOf(JsonNode participants, String name) {
        for (JsonNode p : participants) if (p.path("name").asText().equals(name)) return p.path("role").asText();
        return null;
    }

    /** The aiortc client; the run's deadline covers its whole life (a publisher lives through the whole test). */
    private static BrowserHarness.Run aiortc(BrowserHarness harness, Map<String, ?> config) throws IOException {
        return harness.start(List.of("/usr/bin/python3", CLIENT.resolve("whipclient.py").toString(),
                JSON.writeValueAsString(config)), "whipclient.py", CLIENT, Duration.ofSeconds(300));
    }

    /** Never a skip, like the browsers: .ci/run installs it. */
    static void requireAiortc() throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import aiortc").redirectErrorStream(true).start();
        if (p.waitFor() != 0 || !Files.isRegularFile(CLIENT.resolve("whipclient.py"))) {
            fail("the WHIP/WHEP tests need aiortc: apt-get install python3-aiortc (./salotto test and .ci/run install it)");
        }
    }

    /** The HTTP API as one account (cookie) or a guest, enough to make rooms and join tokens. */
    static final class RoomHttp {
        private final HttpClient http;
        private final String baseUrl;

        private RoomHttp(HttpClient http, String baseUrl) {
            this.http = http;
            this.baseUrl = baseUrl;
        }

        static RoomHttp signUp(String baseUrl) throws IOException, InterruptedException {
            var h = new RoomHttp(HttpClient.newBuilder().cookieHandler(new CookieManager()).build(), baseUrl);
            h.post("/api/accounts", "{\"username\":\"host" + System.nanoTime() + "\",\"password\":\"a test password\"}", null, 201);
            return h;
        }

        String createRoom(String kind) throws IOException, InterruptedException {
            return post("/api/rooms", "{\"kind\":\"" + kind + "\",\"title\":\"WHIP " + kind + "\"}", null, 201).get("id").asText();
        }

        /** The host's own join token for the room. */
        String joinToken(String room) throws IOException, InterruptedException {
            return post("/api/rooms/" + room + "/join", "{}", null, 200).get("token").asText();
        }

        static String guestJoinToken(String baseUrl, String room, String name) throws IOException, InterruptedException {
            var g = new RoomHttp(HttpClient.newHttpClient(), baseUrl);
            String guest = g.post("/api/guests", "{}", null, 201).get("guestToken").asText();
            return g.post("/api/rooms/" + room + "/join", "{\"displayName\":\"" + name + "\"}", guest, 200).get("token").asText();
        }

        JsonNode participants(String room) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/rooms/" + room + "/participants"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body()).get("participants");
        }

        private JsonNode post(String path, String body, String bearer, int expected) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                    .header("X-Salotto-Request", "1").POST(HttpRequest.BodyPublishers.ofString(body));
            if (bearer != null) b.header("Authorization", "Bearer " + bearer);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(expected, r.statusCode(), path + ": " + r.body());
            JsonNode n = JSON.readTree(r.body());
            assertNotNull(n);
            assertFalse(n.isMissingNode());
            return n;
        }
    }
}
