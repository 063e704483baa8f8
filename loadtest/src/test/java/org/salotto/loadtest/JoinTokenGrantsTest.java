package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.media.transport.DropReason;
import org.salotto.media.transport.MediaCounters;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;
import org.salotto.signaling.sdp.SdpParser;

/**
 * Join tokens with grants, end to end (issue 14): tokens minted offline by this test with the recipe of docs/api.md
 * ("Join tokens") — its Java example compiled and run as it is written there, its JavaScript example run with
 * {@code node} — join a real server with exactly their grants. Media goes over our own ICE, DTLS and SRTP; what the
 * server drops is read from its drop counters, what a person receives from their decrypted packets.
 */
@Timeout(180)
class JoinTokenGrantsTest {
    private static final Path API_DOC = Path.of("..", "docs", "api.md");
    /** The audio payload's first byte, and the video one's (a VP8 descriptor with S set): told apart at the viewer. */
    private static final byte AUDIO_MARK = (byte) 0xAA;
    private static final byte VIDEO_MARK = (byte) 0x10;

    private static SalottoServer server;
    private static MediaReceiver receiver;
    private static HttpClient http;
    private static SalottoRoom room;
    private static String apiKey;
    private static Method mint;
    private static final ClientIdentity IDENTITY = ClientIdentity.generate();

    @BeforeAll
    static void start() throws Exception {
        server = SalottoServer.start(ServerConfig.forTests());
        receiver = new MediaReceiver(1, new Metrics(), false);
        http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        room = SalottoRoom.create(http, LoadTest.parse("--url", server.baseUrl(), "--kind", "call", "--room", "grants"));
        apiKey = room.asHost("POST", "/api/me/api-keys", json().put("name", "the application"), 201).get("key").asText();
        mint = documentedJavaRecipe();
    }

    @AfterAll
    static void stop() throws Exception {
        if (receiver != null) receiver.close();
        if (server != null) server.close();
    }

    // ---- the must-shows ----

    @Test
    void aTokenWithoutPublishJoinsButCannotPublishAndItsPacketsAreDropped() throws Exception {
        String token = mint(room.id(), "nopub", "No Publish", "{\"publish\":[]}", 600);
        SignalingClient person = new SignalingClient(http, room, quiet());
        person.joinWithToken(token);
        try (ClientConnection c = connection()) {
            String offer = ClientSdp.publisherOffer(c, IDENTITY, "nopub", ServerKind.SALOTTO.publisherSetup, Vp8Host.ssrc(), 0, 0);
            ExecutionException refused = assertThrows(ExecutionException.class, () -> person.publish(offer, true, false));
            assertTrue(refused.getCause().getMessage().startsWith("publish_not_allowed:"), refused.getCause().getMessage());
            // With its offer refused, the person has no media connection: RTP sent to the media port anyway is
            // dropped, and counted, before any decryption.
            long before = drops(DropReason.UNVALIDATED_SOURCE);
            byte[] rtp = new byte[100];
            rtp[0] = (byte) 0x80;
            rtp[1] = (byte) ClientSdp.OPUS_PT;
            try (DatagramSocket s = new DatagramSocket()) {
                for (int i = 0; i < 20; i++) {
                    s.send(new DatagramPacket(rtp, rtp.length, InetAddress.getByName("127.0.0.1"), server.mediaPort()));
                }
            }
            awaitDrops(DropReason.UNVALIDATED_SOURCE, before + 20);
        } finally {
            person.close();
        }
    }

    @Test
    void aTokenLimitedToTheMicrophoneSendsAudioButItsVideoIsRefusedAndDropped() throws Exception {
        PacketCount audio = new PacketCount();
        PacketCount video = new PacketCount();
        try (Viewer viewer = new Viewer(http, room, receiver, IDENTITY, () -> { }, (buf, payload, end, now) -> {
            if (buf[payload] == AUDIO_MARK) audio.add(now);
            else video.add(now);
        }).joinWithToken(mint(room.id(), "viewer-mic", "Viewer", "{\"publish\":[]}", 600), null)) {
            SignalingClient ann = new SignalingClient(http, room, quiet());
            ann.joinWithToken(mint(room.id(), "ann", "Ann", "{\"publish\":[\"microphone\"]}", 600));
            int audioSsrc = Vp8Host.ssrc();
            int videoSsrc = Vp8Host.ssrc();
            try (ClientConnection c = connection()) {
                String both = ClientSdp.publisherOffer(c, IDENTITY, "ann", ServerKind.SALOTTO.publisherSetup, audioSsrc,
                        videoSsrc, Vp8Host.ssrc());
                ExecutionException refused = assertThrows(ExecutionException.class, () -> ann.publish(both, true, true));
                assertTrue(refused.getCause().getMessage().startsWith("publish_not_allowed:"), refused.getCause().getMessage());
                assertTrue(refused.getCause().getMessage().contains("camera"), refused.getCause().getMessage());

                String audioOnly = ClientSdp.publisherOffer(c, IDENTITY, "ann", ServerKind.SALOTTO.publisherSetup, audioSsrc, 0, 0);
                connect(c, ann.publish(audioOnly, true, false));
                viewer.connectedAt.get(15, TimeUnit.SECONDS);

                // The refused track's packets, sent anyway on the connection that carries the granted audio.
                long notGranted = drops(DropReason.RTP_NOT_GRANTED);
                RtpWriter mic = new RtpWriter(c, new Metrics(), ClientSdp.OPUS_PT, audioSsrc, true);
                RtpWriter camera = new RtpWriter(c, new Metrics(), ClientSdp.VP8_PT, videoSsrc, false);
                for (int i = 0; i < 50; i++) {
                    send(mic, AUDIO_MARK, 960L * i);
                    send(camera, VIDEO_MARK, 3000L * i);
                    LockSupport.parkNanos(20_000_000L); // paced as a microphone sends, not a wait for the server
                }
                awaitDrops(DropReason.RTP_NOT_GRANTED, notGranted + 50);
                assertTrue(audio.await(40, 10_000), "the microphone is heard: " + audio.count() + " packets");
                assertEquals(0, video.count(), "no video reaches anyone");
            } finally {
                ann.close();
            }
        }
    }

    @Test
    void revokingPublishThroughTheApiStopsThePersonsMediaWithinASecond() throws Exception {
        PacketCount heard = new PacketCount();
        CompletableFuture<Long> trackEnded = new CompletableFuture<>();
        List<String> participants = new CopyOnWriteArrayList<>();
        SignalingClient bo = new SignalingClient(http, room, quiet());
        try (Viewer viewer = new Viewer(http, room, receiver, IDENTITY, () -> { }, (buf, payload, end, now) -> heard.add(now))
                .joinWithToken(mint(room.id(), "viewer-revoke", "Viewer", "{\"publish\":[]}", 600), frame -> {
                    if (frame.path("type").asText().equals("trackUnpublished")) {
                        participants.add(frame.path("participantId").asText());
                        trackEnded.complete(System.nanoTime());
                    }
                })) {
            bo.joinWithToken(mint(room.id(), "bo", "Bo", "{\"publish\":[\"microphone\"]}", 600));
            int ssrc = Vp8Host.ssrc();
            try (ClientConnection c = connection();
                 AudioSender sender = new AudioSender(new RtpWriter(c, new Metrics(), ClientSdp.OPUS_PT, ssrc, true))) {
                connect(c, bo.publish(ClientSdp.publisherOffer(c, IDENTITY, "bo", ServerKind.SALOTTO.publisherSetup, ssrc, 0, 0),
                        true, false));
                sender.start();
                viewer.connectedAt.get(15, TimeUnit.SECONDS);
                assertTrue(heard.await(25, 10_000), "Bo is heard before");

                long notAllowed = drops(DropReason.RTP_NOT_ALLOWED);
                long revokedAt = System.nanoTime();
                HttpResponse<String> put = withApiKey("PUT", "/api/rooms/" + room.id() + "/participants/" + bo.participantId()
                        + "/grants", "{\"publish\":[]}");
                assertEquals(204, put.statusCode(), put.body());
                long endedAt = trackEnded.get(1000, TimeUnit.MILLISECONDS);
                assertEquals(List.of(bo.participantId()), participants, "Bo's track ended for the viewer");
                assertTrue(endedAt - revokedAt < 1_000_000_000L, "the track ended " + (endedAt - revokedAt) / 1_000_000 + " ms after");

                // Bo's client goes on sending: 60 more packets (1.2 s of audio), none of which reaches anyone.
                sender.awaitSent(sender.sent() + 60, 10_000);
                long lastHeard = heard.lastNanos();
                assertTrue(lastHeard - revokedAt < 1_000_000_000L,
                        "the last packet was heard " + (lastHeard - revokedAt) / 1_000_000 + " ms after the revocation");
                awaitDrops(DropReason.RTP_NOT_ALLOWED, notAllowed + 30);

                ExecutionException again = assertThrows(ExecutionException.class, () -> bo.publish(
                        ClientSdp.publisherOffer(c, IDENTITY, "bo", ServerKind.SALOTTO.publisherSetup, ssrc, 0, 0), true, false));
                assertTrue(again.getCause().getMessage().startsWith("publish_not_allowed:"), again.getCause().getMessage());
            }
        } finally {
            bo.close();
        }
    }

    @Test
    void expiredForAnotherRoomUnsignedAndWrongKeyTypeTokensAreRefused() throws Exception {
        assertEquals("token_expired", refusal(mint(room.id(), "late", "Late", "{}", -60)));
        String otherRoom = room.asHost("POST", "/api/rooms", json().put("kind", "call").put("title", "another"), 201)
                .get("id").asText();
        assertEquals("wrong_room", refusal(mint(otherRoom, "lost", "Lost", "{}", 600)));
        SalottoRoom someoneElses = SalottoRoom.create(http, LoadTest.parse("--url", server.baseUrl(), "--kind", "call"));
        SignalingClient s = new SignalingClient(http, someoneElses, quiet());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> s.joinWithToken(mint(someoneElses.id(), "intruder", "Intruder", "{}", 600)));
        assertTrue(e.getCause().getMessage().startsWith("wrong_room:"), "a room another account hosts: " + e.getCause().getMessage());

        String keyId = apiKey.substring(3, 15);
        long exp = Instant.now().getEpochSecond() + 600;
        ObjectNode claims = json().put("sub", "mallory").put("room", room.id()).put("exp", exp);
        claims.putObject("grants").putArray("publish").add("camera").add("microphone").add("screen");
        String none = b64(json().put("alg", "none").put("typ", "JWT").put("kid", keyId)) + "." + b64(claims) + ".";
        assertEquals("invalid_token", refusal(none), "alg none");

        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] raw = java.util.Arrays.copyOfRange(ed25519.getPublic().getEncoded(), 12, 44);
        String edKeyId = room.asHost("POST", "/api/me/signing-keys", json().put("name", "app signing key")
                .put("publicKey", Base64.getUrlEncoder().withoutPadding().encodeToString(raw)), 201).get("id").asText();
        assertEquals("invalid_token", refusal(eddsa(ed25519, keyId, claims)), "EdDSA naming the API key");
        assertEquals("invalid_token", refusal(hs256(apiKey, edKeyId, claims)), "HS256 naming the signing key");
        // The same claims signed as the contract says do join: the refusals were for the key type alone.
        SignalingClient ok = new SignalingClient(http, room, quiet());
        ok.joinWithToken(eddsa(ed25519, edKeyId, claims));
        assertNotNull(ok.participantId());
        ok.close();
    }

    @Test
    void theJavaScriptRecipeMintsATokenThatJoinsWithItsGrants() throws Exception {
        String token = node(apiKey, room.id(), "js-user", "Jay", "{\"publish\":[\"microphone\"]}", "600");
        SignalingClient jay = new SignalingClient(http, room, quiet());
        jay.joinWithToken(token);
        try (ClientConnection c = connection()) {
            String video = ClientSdp.publisherOffer(c, IDENTITY, "jay", ServerKind.SALOTTO.publisherSetup, 0, Vp8Host.ssrc(), Vp8Host.ssrc());
            ExecutionException refused = assertThrows(ExecutionException.class, () -> jay.publish(video, false, true));
            assertTrue(refused.getCause().getMessage().startsWith("publish_not_allowed:"), refused.getCause().getMessage());
            assertNotNull(jay.publish(ClientSdp.publisherOffer(c, IDENTITY, "jay", ServerKind.SALOTTO.publisherSetup,
                    Vp8Host.ssrc(), 0, 0), true, false), "the microphone is granted");
        } finally {
            jay.close();
        }
    }

    @Test
    void aHiddenMemberIsListedToNobodyAndCannotPublish() throws Exception {
        List<JsonNode> seenByCarl = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> daveArrived = new CompletableFuture<>();
        SignalingClient carl = new SignalingClient(http, room, quiet()).observe(frame -> {
            seenByCarl.add(frame);
            if (frame.path("type").asText().equals("roomEvents")) {
                for (JsonNode e : frame.path("events")) {
                    if (e.path("type").asText().equals("memberJoined") && e.path("member").path("name").asText().equals("Dave")) {
                        daveArrived.complete(null);
                    }
                }
            }
        });
        SignalingClient ghost = new SignalingClient(http, room, quiet());
        SignalingClient dave = new SignalingClient(http, room, quiet());
        CompletableFuture<JsonNode> daveJoined = new CompletableFuture<>();
        dave.observe(frame -> {
            if (frame.path("type").asText().equals("joined")) daveJoined.complete(frame);
        });
        try {
            carl.joinWithToken(mint(room.id(), "carl", "Carl", "{}", 600));
            ghost.joinWithToken(mint(room.id(), "ghost", "Ghost", "{\"hidden\":true,\"publish\":[\"microphone\"]}", 600));
            dave.joinWithToken(mint(room.id(), "dave", "Dave", "{}", 600));
            // Carl hears of Dave, who came after the hidden member: anything about the hidden one would have come first.
            daveArrived.get(10, TimeUnit.SECONDS);
            for (JsonNode f : seenByCarl) assertFalse(f.toString().contains(ghost.participantId()), "Carl saw the hidden member: " + f);
            JsonNode members = daveJoined.get(10, TimeUnit.SECONDS).path("members");
            assertFalse(members.toString().contains(ghost.participantId()), "listed to Dave: " + members);
            assertTrue(members.toString().contains(carl.participantId()));
            try (ClientConnection c = connection()) {
                ExecutionException refused = assertThrows(ExecutionException.class, () -> ghost.publish(
                        ClientSdp.publisherOffer(c, IDENTITY, "ghost", ServerKind.SALOTTO.publisherSetup, Vp8Host.ssrc(), 0, 0), true, false));
                assertTrue(refused.getCause().getMessage().startsWith("publish_not_allowed:"), refused.getCause().getMessage());
            }
        } finally {
            carl.close();
            ghost.close();
            dave.close();
        }
    }

    @Test
    void grantsAreChangedOnlyByTheHostsAccountAndAreChecked() throws Exception {
        SignalingClient eve = new SignalingClient(http, room, quiet());
        eve.joinWithToken(mint(room.id(), "eve", "Eve", "{}", 600));
        try {
            String path = "/api/rooms/" + room.id() + "/participants/" + eve.participantId() + "/grants";
            assertEquals(400, withApiKey("PUT", path, "{\"publish\":[\"speakers\"]}").statusCode());
            assertEquals(400, withApiKey("PUT", path, "{}").statusCode());
            assertEquals(204, withApiKey("PUT", path, "{\"publish\":[\"camera\"],\"admin\":true}").statusCode());
            // The role route takes the host's API key too.
            HttpResponse<String> role = withApiKey("PUT", "/api/rooms/" + room.id() + "/participants/" + eve.participantId()
                    + "/role", "{\"role\":\"co_host\"}");
            assertEquals(200, role.statusCode(), role.body());
            assertEquals(409, withApiKey("PUT", "/api/rooms/" + room.id() + "/participants/nobody/grants",
                    "{\"subscribe\":false}").statusCode(), "not_in_room");
            String guest = post("/api/guests", null, "{}").get("guestToken").asText();
            HttpResponse<String> byGuest = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + guest)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"publish\":[]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, byGuest.statusCode(), byGuest.body());
            // The convenience route answers the same kind of token, with the body's grants.
            JsonNode made = post("/api/rooms/" + room.id() + "/tokens", apiKey,
                    "{\"user\":\"frank\",\"displayName\":\"Frank\",\"publish\":[\"screen\"],\"subscribe\":false}");
            String payload = made.get("token").asText().split("\\.")[1];
            JsonNode claims = SignalingClient.JSON.readTree(Base64.getUrlDecoder().decode(payload));
            assertEquals("[\"screen\"]", claims.path("grants").path("publish").toString());
            assertFalse(claims.path("grants").path("subscribe").asBoolean(true));
        } finally {
            eve.close();
        }
    }

    // ---- the documented recipes ----

    /** The Java example of docs/api.md, "Join tokens", compiled as it is written there. */
    private static Method documentedJavaRecipe() throws Exception {
        String source = example("MintJoinToken.java", "java");
        Path dir = Files.createTempDirectory("recipe");
        Files.writeString(dir.resolve("MintJoinToken.java"), source);
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(),
                dir.resolve("MintJoinToken.java").toString());
        assertEquals(0, status, "the documented Java example compiles");
        URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()});
        return loader.loadClass("MintJoinToken").getMethod("mint", String.class, String.class, String.class, String.class,
                String.class, long.class);
    }

    private static String mint(String roomId, String user, String name, String grants, long ttlSeconds) throws Exception {
        return (String) mint.invoke(null, apiKey, roomId, user, name, grants, ttlSeconds);
    }

    /** The JavaScript example of docs/api.md, run by node with these arguments. */
    private static String node(String... args) throws Exception {
        String code = example("mint-join-token.js", "js") + "\nconst a = process.argv.slice(1);\n"
                + "console.log(mintJoinToken(a[0], a[1], a[2], a[3], JSON.parse(a[4]), Number(a[5])));\n";
        List<String> command = new java.util.ArrayList<>(List.of("node", "-e", code));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The fenced block after {@code <!-- example: name -->} in docs/api.md. */
    private static String example(String name, String language) throws IOException {
        String doc = Files.readString(API_DOC);
        int marker = doc.indexOf("<!-- example: " + name + " -->");
        assertTrue(marker >= 0, "docs/api.md has the example " + name);
        int start = doc.indexOf("```" + language + "\n", marker) + 4 + language.length();
        return doc.substring(start, doc.indexOf("\n```", start) + 1);
    }

    // ---- helpers ----

    private static String refusal(String token) throws Exception {
        SignalingClient s = new SignalingClient(http, room, quiet());
        try {
            s.joinWithToken(token);
            throw new AssertionError("joined with a token that should be refused");
        } catch (ExecutionException e) {
            return e.getCause().getMessage().split(":")[0];
        } finally {
            s.close();
        }
    }

    private static String hs256(String key, String kid, ObjectNode claims) throws Exception {
        String input = b64(json().put("alg", "HS256").put("typ", "JWT").put("kid", kid)) + "." + b64(claims);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String eddsa(KeyPair key, String kid, ObjectNode claims) throws Exception {
        String input = b64(json().put("alg", "EdDSA").put("typ", "JWT").put("kid", kid)) + "." + b64(claims);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    }

    private static String b64(ObjectNode n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode json() {
        return SignalingClient.JSON.createObjectNode();
    }

    private static ClientConnection connection() throws IOException {
        return new ClientConnection(receiver.open(InetAddress.getByName("127.0.0.1")), true, false, ServerKind.SALOTTO.srtpProfiles);
    }

    /** Connects the publisher connection with the server's answer (up to 10 s). */
    private static void connect(ClientConnection c, String answer) throws Exception {
        RemoteTransport remote = RemoteTransport.read(SdpParser.parse(answer));
        c.setRemote(remote, (conn, buf, off, len, now) -> { });
        receiver.register(c);
        c.connect(IDENTITY, remote.fingerprintSha256(), 10_000);
    }

    private static void send(RtpWriter w, byte mark, long timestamp) {
        byte[] buf = w.buffer();
        int at = w.payloadOffset();
        java.util.Arrays.fill(buf, at, at + 40, mark);
        w.send(timestamp, true, 40);
    }

    private static MediaCounters counters() {
        return server.media().counters();
    }

    private static long drops(DropReason reason) {
        return counters().drops(reason);
    }

    /** Waits until the server has dropped {@code target} packets for {@code reason} in all (10 s at most). */
    private static void awaitDrops(DropReason reason, long target) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (drops(reason) < target) {
            if (System.nanoTime() > deadline) throw new AssertionError(reason + ": " + drops(reason) + " drops, expected " + target);
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private static HttpResponse<String> withApiKey(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode post(String path, String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, path + ": " + r.statusCode() + " " + r.body());
        return SignalingClient.JSON.readTree(r.body());
    }

    private static Signaling.Events quiet() {
        return new Signaling.Events() {
            @Override
            public void onSubscribeOffer(String sdp, long version) {
                // these people receive nothing in the tests
            }

            @Override
            public void onFailure(String why) {
                // refusals are asserted where they are expected
            }
        };
    }

    /** Packets received, when the last came, and a wait for a count. */
    private static final class PacketCount {
        private long count;
        private long lastNanos;

        synchronized void add(long nowNanos) {
            count++;
            lastNanos = nowNanos;
            notifyAll();
        }

        synchronized long count() {
            return count;
        }

        synchronized long lastNanos() {
            return lastNanos;
        }

        synchronized boolean await(long target, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (count < target) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) return false;
                wait(left);
            }
            return true;
        }
    }

    /** A microphone: 50 Opus-sized packets a second, counted. */
    private static final class AudioSender implements AutoCloseable {
        private final RtpWriter writer;
        private volatile boolean running = true;
        private Thread thread;
        private long sent;

        AudioSender(RtpWriter writer) {
            this.writer = writer;
        }

        void start() {
            thread = Thread.ofPlatform().name("audio-sender").start(() -> {
                long next = System.nanoTime();
                for (long i = 0; running; i++) {
                    send(writer, AUDIO_MARK, 960L * i);
                    synchronized (this) {
                        sent++;
                        notifyAll();
                    }
                    next += 20_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) LockSupport.parkNanos(wait);
                }
            });
        }

        synchronized long sent() {
            return sent;
        }

        synchronized void awaitSent(long target, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (sent < target) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) throw new AssertionError("sent " + sent + " of " + target);
                wait(left);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            if (thread != null) thread.join();
        }
    }
}
