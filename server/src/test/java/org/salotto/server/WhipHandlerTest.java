package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of WHIP and WHEP (docs/api.md "WHIP and WHEP"), every status and header a client relies on, with
 * offers written here (no media flows: it/'s WhipWhepTest runs aiortc and Chromium for that). The room sees the
 * session as a member: it appears in the participants, and DELETE takes it out.
 */
class WhipHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FINGERPRINT = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
    private final HttpClient http = HttpClient.newHttpClient();

    /** A WHEP offer: receive audio (Opus) and video (VP8 with RTX), bundled. */
    static String whepOffer(String ufrag) {
        return String.join("\r\n",
                "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=ice-ufrag:" + ufrag,
                "a=ice-pwd:abcdefghijklmnopqrstuvwxyz", "a=fingerprint:sha-256 " + FINGERPRINT, "a=setup:actpass",
                "a=rtcp-mux", "a=recvonly", "a=rtpmap:111 opus/48000/2",
                "m=video 9 UDP/TLS/RTP/SAVPF 96 97", "c=IN IP4 0.0.0.0", "a=mid:1", "a=ice-ufrag:" + ufrag,
                "a=ice-pwd:abcdefghijklmnopqrstuvwxyz", "a=fingerprint:sha-256 " + FINGERPRINT, "a=setup:actpass",
                "a=rtcp-mux", "a=recvonly", "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli",
                "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96", "") ;
    }

    /** A WHIP offer: send audio (Opus) and video (VP8), each with its SSRC. */
    static String whipOffer() {
        return whepOffer("wxyz").replace("a=recvonly\r\na=rtpmap:111 opus/48000/2", "a=sendonly\r\na=rtpmap:111 opus/48000/2\r\na=ssrc:1111 cname:c")
                .replace("a=recvonly\r\na=rtpmap:96", "a=sendonly\r\na=ssrc:2222 cname:c\r\na=rtpmap:96");
    }

    private HttpResponse<String> send(String method, String url, String token, String type, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (type != null) b.header("Content-Type", type);
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error").path("code").asText();
    }

    private static String token(Person p, String room) throws Exception {
        Person.Reply r = p.joinToken(room);
        assertEquals(200, r.status(), r.toString());
        return r.body().get("token").asText();
    }

    @Test
    void aWhepSessionIsCreatedPatchedAndDeletedAsRfc9725Says() throws Exception {
        try (ServerFixture f = ServerFixture.embedded(c -> c.withWhip(new ServerConfig.Whip(
                List.of("stun:stun.example.net:3478", "turn:turn.example.net:3478?transport=udp"), "user", "secret")))) {
            Person host = Person.account(f.url(), ServerFixture.uniqueName("host"));
            String room = host.createRoom("live", Map.of());
            try (RoomClient hostSocket = host.enter(room)) {
                Person guest = Person.guest(f.url(), "Wes");
                String token = token(guest, room);
                String endpoint = f.url() + "/whep/" + room;

                HttpResponse<String> created = send("POST", endpoint, token, "application/sdp", whepOffer("abcd"), Map.of());
                assertEquals(201, created.statusCode(), created.body());
                assertEquals("application/sdp", created.headers().firstValue("Content-Type").orElse(""));
                String location = created.headers().firstValue("Location").orElseThrow();
                assertTrue(location.matches("/whep/" + room + "/[A-Za-z0-9_-]{22}"), location);
                String etag = created.headers().firstValue("ETag").orElseThrow();
                assertTrue(etag.matches("\"[A-Za-z0-9_-]+\""), etag);
                assertEquals(List.of("<stun:stun.example.net:3478>; rel=\"ice-server\"",
                        "<turn:turn.example.net:3478?transport=udp>; rel=\"ice-server\"; username=\"user\"; credential=\"secret\"; credential-type=\"password\""),
                        created.headers().allValues("Link"));
                String answer = created.body();
                assertTrue(answer.contains("a=ice-lite") && answer.contains("a=setup:passive") && answer.contains("a=sendonly")
                        && answer.contains("a=end-of-candidates") && answer.contains("a=rtpmap:96 VP8/90000")
                        && answer.contains("a=rtpmap:111 opus/48000/2") && answer.contains("a=ssrc-group:FID "), answer);
                JsonNode people = host.get("/api/rooms/" + room + "/participants").body().get("participants");
                assertTrue(people.toString().contains("\"name\":\"Wes\",\"role\":\"viewer\""), "a WHEP viewer is audience: " + people);

                String session = f.url() + location;
                String trickle = "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwxyz\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
                        + "a=candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host\r\na=end-of-candidates\r\n";
                // No If-Match, or another entity-tag: 412.
                HttpResponse<String> r = send("PATCH", session, token, "application/trickle-ice-sdpfrag", trickle, Map.of());
                assertEquals(412, r.statusCode(), r.body());
                assertEquals("precondition_failed", code(r));
                r = send("PATCH", session, token, "application/trickle-ice-sdpfrag", trickle, Map.of("If-Match", "\"other\""));
                assertEquals(412, r.statusCode(), r.body());
                // "*" is for a restart only.
                r = send("PATCH", session, token, "application/trickle-ice-sdpfrag", trickle, Map.of("If-Match", "*"));
                assertEquals(412, r.statusCode(), r.body());
                // Trickle with the ETag: taken, nothing to say (ICE-lite).
                r = send("PATCH", session, token, "application/trickle-ice-sdpfrag", trickle, Map.of("If-Match", etag));
                assertEquals(204, r.statusCode(), r.body());
                // The wrong type, a broken fragment.
                r = send("PATCH", session, token, "application/sdp", trickle, Map.of("If-Match", etag));
                assertEquals(415, r.statusCode(), r.body());
                r = send("PATCH", session, token, "application/trickle-ice-sdpfrag", "a=ice-ufrag:only\r\n", Map.of("If-Match", etag));
                assertEquals(400, r.statusCode(), r.body());
                assertEquals("bad_sdp", code(r));

                // ICE restart: new credentials both ways, a new ETag.
                String restart = "a=ice-ufrag:efgh\r\na=ice-pwd:zyxwvutsrqponmlkjihgfedcba\r\n";
                r = send("PATCH", session, token, "application/trickle-ice-sdpfrag", restart, Map.of("If-Match", "*"));
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("application/trickle-ice-sdpfrag", r.headers().firstValue("Content-Type").orElse(""));
                String newEtag = r.headers().firstValue("ETag").orElseThrow();
                assertNotEquals(etag, newEtag);
                assertTrue(r.body().startsWith("a=ice-lite\r\na=ice-ufrag:") && r.body().contains("a=ice-pwd:"), r.body());
                String oldUfrag = answer.replaceAll("(?s).*?a=ice-ufrag:(\\S+).*", "$1");
                assertTrue(!r.body().contains("a=ice-ufrag:" + oldUfrag + "\r"), "new server credentials: " + r.body());
                // The old ETag is stale now.
                r = send("PATCH", session, token, "application/trickle-ice-sdpfrag", trickle, Map.of("If-Match", etag));
                assertEquals(412, r.statusCode(), r.body());

                // Another token than the POST's may not end it; the right one does, once.
                r = send("DELETE", session, token(Person.guest(f.url(), "Eve"), room), null, null, Map.of());
                assertEquals(401, r.statusCode(), r.body());
                assertEquals("invalid_token", code(r));
                r = send("DELETE", session, token, null, null, Map.of());
                assertEquals(200, r.statusCode(), r.body());
                r = send("DELETE", session, token, null, null, Map.of());
                assertEquals(404, r.statusCode(), r.body());
                assertEquals("not_found", code(r));
                awaitRoom(() -> host.get("/api/rooms/" + room + "/participants").body(), b -> !b.toString().contains("Wes"),
                        hostSocket, "memberLeft", e -> e.path("event").asBoolean() && e.path("type").asText().equals("memberLeft"));
                assertTrue(!host.get("/api/rooms/" + room + "/participants").body().toString().contains("Wes"),
                        "DELETE takes the viewer out of the room");
            }
        }
    }

    @Test
    void refusalsAreTheApisErrorsWithTheirStatuses() throws Exception {
        try (ServerFixture f = ServerFixture.embedded()) {
            Person host = Person.account(f.url(), ServerFixture.uniqueName("host"));
            String live = host.createRoom("live", Map.of());
            try (RoomClient hostSocket = host.enter(live)) {
                String whip = f.url() + "/whip/" + live;
                HttpResponse<String> r = send("POST", whip, null, "application/sdp", whipOffer(), Map.of());
                assertEquals(401, r.statusCode());
                assertEquals("unauthenticated", code(r));
                assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
                r = send("POST", whip, "j1.forged", "application/sdp", whipOffer(), Map.of());
                assertEquals(401, r.statusCode());
                assertEquals("invalid_token", code(r));
                Person viewer = Person.guest(f.url(), "Vi");
                r = send("POST", whip, token(viewer, live), "application/json", "{}", Map.of());
                assertEquals(415, r.statusCode());
                assertEquals("unsupported_media_type", code(r));
                r = send("POST", f.url() + "/whip/nosuchroom", token(viewer, live), "application/sdp", whipOffer(), Map.of());
                assertEquals(404, r.statusCode());
                assertEquals("not_found", code(r));
                Person other = Person.account(f.url(), ServerFixture.uniqueName("other"));
                String otherRoom = other.createRoom("live", Map.of());
                // A token for another room: the join tokens' code for it (docs/api.md "Join tokens").
                r = send("POST", f.url() + "/whip/" + otherRoom, token(viewer, live), "application/sdp", whipOffer(), Map.of());
                assertEquals(403, r.statusCode());
                assertEquals("wrong_room", code(r));
                r = send("POST", f.url() + "/whep/" + live, token(viewer, live), "application/sdp", "v=0\r\nnot sdp\r\n", Map.of());
                assertEquals(400, r.statusCode());
                assertEquals("bad_sdp", code(r));
                // A live's viewer may not publish: refused, and not left in the room.
                r = send("POST", whip, token(viewer, live), "application/sdp", whipOffer(), Map.of());
                assertEquals(403, r.statusCode(), r.body());
                assertEquals("publish_not_allowed", code(r));
                // A spent token is spent.
                String once = token(viewer, live);
                send("POST", whip, once, "application/sdp", "v=0\r\n", Map.of());
                r = send("POST", whip, once, "application/sdp", whipOffer(), Map.of());
                assertEquals(401, r.statusCode());
                assertEquals("invalid_token", code(r));

                r = send("GET", whip, null, null, null, Map.of());
                assertEquals(405, r.statusCode());
                assertEquals("POST, OPTIONS", r.headers().firstValue("Allow").orElse(""));
                r = send("OPTIONS", whip, null, null, null, Map.of());
                assertEquals(204, r.statusCode());
                assertEquals("POST, OPTIONS", r.headers().firstValue("Allow").orElse(""));
                r = send("PATCH", whip + "/nosession", "x", "application/trickle-ice-sdpfrag", "", Map.of("If-Match", "*"));
                assertEquals(404, r.statusCode());
                assertEquals("not_found", code(r));
                r = send("POST", f.url() + "/whip/" + live + "/a/b", "x", "application/sdp", "", Map.of());
                assertEquals(404, r.statusCode());
                assertEquals("no_such_endpoint", code(r));

                awaitRoom(() -> host.get("/api/rooms/" + live + "/participants").body(), b -> b.get("participants").size() <= 1,
                        hostSocket, "memberLeft", e -> e.path("event").asBoolean() && e.path("type").asText().equals("memberLeft"));
                JsonNode people = host.get("/api/rooms/" + live + "/participants").body().get("participants");
                assertEquals(1, people.size(), "only the host is in the live: refused WHIP clients left: " + people);
            }
        }
    }

    @Test
    void anonymousWhepViewersComeOnlyToAPublicRoomWhoseHostAllowsThem() throws Exception {
        try (ServerFixture f = ServerFixture.embedded()) {
            Person host = Person.account(f.url(), ServerFixture.uniqueName("host"));
            String live = host.createRoom("live", Map.of());
            try (RoomClient hostSocket = host.enter(live)) {
                String whep = f.url() + "/whep/" + live;
                HttpResponse<String> r = send("POST", whep, null, "application/sdp", whepOffer("anon"), Map.of());
                assertEquals(401, r.statusCode(), "off by default: " + r.body());
                assertEquals("unauthenticated", code(r));
                assertEquals(false, host.get("/api/rooms/" + live + "/whep").body().get("anonymous").asBoolean());

                Person guest = Person.guest(f.url(), "Gil");
                assertEquals(403, guest.put("/api/rooms/" + live + "/whep", Map.of("anonymous", true)).status(),
                        "only the host decides");
                assertEquals(400, host.put("/api/rooms/" + live + "/whep", Map.of()).status(), "'anonymous' is required");
                Person.Reply set = host.put("/api/rooms/" + live + "/whep", Map.of("anonymous", true));
                assertEquals(200, set.status(), set.toString());
                assertTrue(set.body().get("anonymous").asBoolean());

                r = send("POST", whep, null, "application/sdp", whepOffer("anon"), Map.of());
                assertEquals(201, r.statusCode(), r.body());
                String location = r.headers().firstValue("Location").orElseThrow();
                JsonNode people = host.get("/api/rooms/" + live + "/participants").body().get("participants");
                assertTrue(people.toString().contains("\"name\":\"WHEP viewer\",\"role\":\"viewer\""), people.toString());
                // Its URL is its secret: ended without a token, as it was made.
                r = send("DELETE", f.url() + location, null, null, null, Map.of());
                assertEquals(200, r.statusCode(), r.body());

                // A private room takes no anonymous viewer, whatever the setting says.
                assertEquals(200, host.patch("/api/rooms/" + live, Map.of("visibility", "private")).status());
                r = send("POST", whep, null, "application/sdp", whepOffer("anon"), Map.of());
                assertEquals(401, r.statusCode(), r.body());
                assertEquals("unauthenticated", code(r));
            }
        }
    }

    @Test
    void aRoomThatKnocksRefusesWhepForItsClientCannotWaitInTheLobby() throws Exception {
        try (ServerFixture f = ServerFixture.embedded()) {
            Person host = Person.account(f.url(), ServerFixture.uniqueName("host"));
            String call = host.createRoom("call", Map.of("knock", true));
            try (RoomClient hostSocket = host.enter(call)) {
                HttpResponse<String> r = send("POST", f.url() + "/whep/" + call, token(Person.guest(f.url(), "Kim"), call),
                        "application/sdp", whepOffer("knck"), Map.of());
                assertEquals(403, r.statusCode(), r.body());
                assertEquals("not_allowed", code(r));
                awaitRoom(() -> host.get("/api/rooms/" + call + "/lobby").body(), b -> b.get("waiting").isEmpty(),
                        hostSocket, "lobby", l -> l.path("type").asText().equals("lobby"));
                assertEquals(0, host.get("/api/rooms/" + call + "/lobby").body().get("waiting").size(),
                        "the refused client does not stay in the lobby");
            }
        }
    }

    interface Read {
        JsonNode read() throws Exception;
    }

    /**
     * Reads the room through the API until {@code done} holds, waiting between reads for the next frame of the host's
     * socket that {@code change} matches: the room tells its members of a change after it made it, so a change after
     * a read is never missed (a DELETE or a refusal is answered before the room has carried out the leave). Fails
     * when no such frame comes within RoomClient's 10 s; the caller asserts on the last state itself.
     */
    private static void awaitRoom(Read read, java.util.function.Predicate<JsonNode> done, RoomClient socket, String what,
                                  java.util.function.Predicate<JsonNode> change) throws Exception {
        while (!done.test(read.read())) socket.await(what, change);
    }
}
