package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.salotto.media.stun.StunAttribute;
import org.salotto.media.stun.StunMessageType;
import org.salotto.media.stun.StunMessageWriter;

/**
 * During a call of three browser pages, an attacker forges packets from the participants' own addresses (a raw
 * socket writes the IP header, so the source is exactly the address and port each page's Chromium sends from, while
 * Chromium holds that port): an epoch-1 DTLS record with a 2-byte body (once fatal in BouncyCastle), a well-framed
 * epoch-1 record with a wrong tag, and, for the whole measuring window, ICE checks made with valid credentials of
 * page C's own transport but sent from A's and B's addresses (once enough to take their addresses, and their media,
 * over). Every page must keep decoding video from every other, and the server must have counted what it dropped.
 */
class ForgedMediaPacketsTest {
    private static final long SETTLE_MS = 6_000;
    private static final long SAMPLE_MS = 1_000;
    /** Frames each page must decode from each other page in each second of the attack (the camera sends ~20-30). */
    private static final int MIN_FRAMES_PER_SAMPLE = 2;
    private static final SecureRandom RANDOM = new SecureRandom();

    record Peer(String page, InetSocketAddress address, String browserUfrag, String serverUfrag, String serverPwd) {}

    @Test
    void everyPageKeepsDecodingThroughForgedDtlsAndSpoofedChecks() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start(); var raw = new SpoofingUdpSender()) {
            var harness = new BrowserHarness();
            InetSocketAddress media = new InetSocketAddress("127.0.0.1", server.mediaPort());
            JsonNode result;
            List<Peer> peers = new ArrayList<>();
            Optional<String> metricsBefore;
            Optional<String> metricsAfter;
            AtomicLong checksSent = new AtomicLong();
            AtomicReference<Throwable> spooferFailure = new AtomicReference<>();
            try (var call = harness.start("call3.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "room", server.createRoom("call"),
                    "outputDir", harness.reportDir().toString(),
                    "hold", true,
                    "holdMs", 90_000,
                    "settleMs", SETTLE_MS,
                    "sampleEveryMs", SAMPLE_MS,
                    "exposeIce", true), Duration.ofSeconds(180))) {
                JsonNode ready = call.awaitEvent("ready");
                ready.path("ice").properties().forEach(page -> page.getValue().forEach(pc -> peers.add(new Peer(
                        page.getKey(), new InetSocketAddress(pc.path("address").asText(), pc.path("port").asInt()),
                        pc.path("browserUfrag").asText(), pc.path("serverUfrag").asText(),
                        pc.path("serverPwd").asText()))));
                assertTrue(peers.stream().map(Peer::page).distinct().count() == 3, "every page's connections: " + ready);
                metricsBefore = server.metrics();

                for (Peer p : peers) {
                    raw.send(p.address(), media, hex("17 fefd 0001 000000000005 0002 abcd"));
                    raw.send(p.address(), media, hex("17 fefd 0001 0000ffff0000 0020 0000000000000001"
                            + "00112233445566778899aabbccddeeff 0001020304050607"));
                }
                Peer attacker = peers.stream().filter(p -> p.page().equals("C")).findFirst().orElseThrow();
                List<Peer> victims = peers.stream().filter(p -> !p.page().equals("C")).toList();
                AtomicBoolean attacking = new AtomicBoolean(true);
                Thread spoofer = Thread.ofPlatform().name("spoofer").uncaughtExceptionHandler((t, e) ->
                        spooferFailure.set(e)).start(() -> {
                    try {
                        while (attacking.get()) {
                            for (Peer v : victims) {
                                raw.send(v.address(), media, check(attacker));
                                checksSent.incrementAndGet();
                            }
                            Thread.sleep(20); // the pace is the point: a burst of spoofed checks all through the window
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try {
                    call.send("go-on");
                    result = call.result();
                } finally {
                    attacking.set(false);
                    spoofer.join();
                }
                metricsAfter = server.metrics();
            }

            List<Executable> checks = new ArrayList<>();
            checks.add(() -> assertNull(spooferFailure.get(), "the spoofing thread failed: " + spooferFailure.get()));
            // Every 20 ms to each of A's and B's connections for the whole window: hundreds, not a handful.
            checks.add(() -> assertTrue(checksSent.get() >= 100, checksSent + " spoofed checks sent"));
            JsonNode hold = result.path("hold");
            checks.add(() -> assertTrue(hold.path("atGo").size() == 3, "no hold figures: " + result));
            hold.path("before").properties().forEach(page -> page.getValue().properties().forEach(remote -> {
                // before (ready), atGo, each second of the attack, after: the same track, decoding all along. A
                // person whose transport was closed, or whose address was taken, stops; one who came back after
                // that shows a new track or a count that started again.
                String who = page.getKey() + " receiving from " + remote.getKey();
                List<JsonNode> series = new ArrayList<>();
                series.add(remote.getValue());
                series.add(hold.path("atGo").path(page.getKey()).path(remote.getKey()));
                hold.path("during").forEach(sample -> series.add(sample.path(page.getKey()).path(remote.getKey())));
                series.add(hold.path("after").path(page.getKey()).path(remote.getKey()));
                List<Long> frames = series.stream().map(f -> f.path("framesDecoded").asLong()).toList();
                List<String> tracks = series.stream().map(f -> f.path("trackId").asText()).distinct().toList();
                checks.add(() -> assertTrue(frames.size() >= 2 + SETTLE_MS / SAMPLE_MS - 1,
                        who + ": too few samples " + frames));
                checks.add(() -> assertTrue(tracks.size() == 1, who + ": the track changed " + tracks));
                for (int i = 2; i < frames.size(); i++) {
                    long from = frames.get(i - 1);
                    long to = frames.get(i);
                    checks.add(() -> assertTrue(to - from >= MIN_FRAMES_PER_SAMPLE,
                            who + ": decoding stalled during the attack, frames " + frames));
                }
                checks.add(() -> assertTrue(frames.get(1) >= frames.get(0), who + ": the count started again " + frames));
            }));
            checks.add(() -> assertFalse(metricsBefore.isEmpty() || metricsAfter.isEmpty(), "GET /metrics not served"));
            if (metricsBefore.isPresent() && metricsAfter.isPresent()) {
                String before = metricsBefore.get();
                String after = metricsAfter.get();
                checks.add(() -> assertTrue(grew(before, after, "dtls_invalid_record") >= peers.size(),
                        "the 2-byte records counted: " + grew(before, after, "dtls_invalid_record")));
                checks.add(() -> assertTrue(grew(before, after, "dtls_unauthentic") >= 1,
                        "the records with a wrong tag counted: " + grew(before, after, "dtls_unauthentic")));
                checks.add(() -> assertTrue(grew(before, after, "ice_address_held") >= checksSent.get() / 2,
                        "spoofed checks refused: " + grew(before, after, "ice_address_held") + " of " + checksSent));
            }
            System.out.println("ForgedMediaPacketsTest: peers " + peers + "; spoofed checks " + checksSent
                    + "; drops grew " + metricsBefore.flatMap(b -> metricsAfter.map(a ->
                    Map.of("dtls_invalid_record", grew(b, a, "dtls_invalid_record"),
                            "dtls_unauthentic", grew(b, a, "dtls_unauthentic"),
                            "ice_address_held", grew(b, a, "ice_address_held")))).orElse(Map.of())
                    + "; hold " + hold);
            assertAll("forged packets from " + peers + "; " + checksSent + " spoofed checks; call: " + hold, checks);
        }
    }

    /** A valid, nominating check made with the attacker's own credentials, as a controlling browser sends it. */
    private static byte[] check(Peer attacker) {
        byte[] transaction = new byte[12];
        RANDOM.nextBytes(transaction);
        byte[] tieBreaker = new byte[8];
        RANDOM.nextBytes(tieBreaker);
        return new StunMessageWriter(StunMessageType.BINDING_REQUEST, transaction)
                .addUsername(attacker.serverUfrag() + ":" + attacker.browserUfrag())
                .addPriority(2_130_706_431L)
                .addAttribute(StunAttribute.ICE_CONTROLLING, tieBreaker)
                .addAttribute(StunAttribute.USE_CANDIDATE, new byte[0])
                .addMessageIntegrity(attacker.serverPwd().getBytes(StandardCharsets.UTF_8))
                .addFingerprint()
                .toByteArray();
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** How much {@code salotto_media_dropped_total{reason="<reason>"}} grew between two scrapes. */
    private static double grew(String before, String after, String reason) {
        return dropped(after, reason) - dropped(before, reason);
    }

    private static double dropped(String metrics, String reason) {
        String prefix = "salotto_media_dropped_total{reason=\"" + reason + "\"} ";
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix)) return Double.parseDouble(line.substring(prefix.length()).strip());
        }
        return 0;
    }
}
