package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A subscriber's downlink cut to 300 kbit/s in Chromium (it/browser/downlinkcut.mjs): publisher P sends its camera in
 * three layers (960x540, 480x270, 240x135), subscriber S, whose media goes through {@link UdpFaultProxy}, shows it
 * large and decodes the widest. When the proxy limits what the server sends S to 300 kbit/s, the server's estimate of
 * S's downlink falls (transport-cc feedback: loss and queueing) and its allocator moves S to a layer that fits: S
 * decodes a narrower frame within 5 s and never freezes for more than a second. When the limit is lifted, the estimate
 * climbs back (GCC's 8% a second, helped by the allocator's padding probe) and S decodes the widest layer again.
 */
class DownlinkCutTest {
    private static final long LIMIT_BPS = 300_000;
    /** Bursts of up to 8 KB pass at once; up to 24 KB (about 0.65 s at 300 kbit/s) wait behind; the rest is dropped. */
    private static final int BUCKET_BYTES = 8_000;
    private static final int QUEUE_BYTES = 24_000;
    private static final int DOWN_WITHIN_MS = 5_000;
    private static final int LONGEST_FREEZE_MS = 1_000;
    /**
     * How long S may take to decode the widest layer again once the limit is lifted: from the ~300 kbit/s it settled
     * at, GCC's estimate grows 8% a second while the link shows no queueing; the 1.5 Mbit/s top layer plus the 15%
     * headroom needs about 1.8 Mbit/s, some 23 s of growth, plus a keyframe.
     */
    private static final int UP_WITHIN_MS = 60_000;
    private static final Map<String, Object> SCRIPT = Map.of(
            "receiveTimeoutMs", 90_000,
            "warmupFrames", 90,
            "sampleMs", 100,
            "cutMs", 15_000,
            "liftTimeoutMs", UP_WITHIN_MS,
            "commandTimeoutMs", 120_000);

    @Test
    void aSubscriberCutTo300kbpsMovesDownWithoutFreezingAndBackUpWhenTheLimitLifts() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start(); var proxy = new UdpFaultProxy(server.mediaPort(), 17)) {
            var harness = new BrowserHarness();
            var config = new HashMap<String, Object>(SCRIPT);
            config.putAll(Map.of("baseUrl", server.baseUrl(), "room", server.createRoom("call"),
                    "outputDir", harness.reportDir().toString(), "proxyPort", proxy.port()));
            try (var run = harness.start("downlinkcut.mjs", config, Duration.ofSeconds(300))) {
                JsonNode ready = run.awaitEvent("ready");
                assertTrue(ready.path("candidatesRewritten").asInt() >= 1, "S's server candidates untouched: " + ready);
                for (JsonNode pair : ready.path("pairs")) {
                    assertEquals(proxy.port(), pair.path("port").asInt(), "S's media bypasses the proxy: " + ready);
                }
                int wide = ready.path("widest").asInt();
                assertTrue(wide >= 960, "P sends its 960x540 layer and S decodes it: " + ready);

                proxy.downlink().limit(LIMIT_BPS, BUCKET_BYTES, QUEUE_BYTES);
                run.send("cut");
                JsonNode cut = run.awaitEvent("cut");
                var afterCut = proxy.downlink().figures();
                proxy.downlink().unlimited();
                run.send("lift");
                JsonNode lift = run.awaitEvent("lift");
                run.send("done");
                run.result();
                String figures = "\nready: " + ready + "\ncut: " + cut + "\nproxy after the cut: " + afterCut
                        + "\nlift: " + lift;
                System.out.println("downlink cut:" + figures);

                int downMs = cut.path("downMs").asInt();
                assertTrue(downMs >= 0 && downMs <= DOWN_WITHIN_MS, "S moved to a narrower layer in " + downMs
                        + " ms (at most " + DOWN_WITHIN_MS + "):" + figures);
                assertTrue(cut.path("endWidth").asInt() > 0 && cut.path("endWidth").asInt() < wide,
                        "S still decodes a narrower layer at the end of the cut:" + figures);
                assertTrue(cut.path("longestFreezeMs").asInt() <= LONGEST_FREEZE_MS,
                        "a freeze over " + LONGEST_FREEZE_MS + " ms during the cut:" + figures);
                assertTrue(cut.path("framesDecoded").asLong() >= 10L * cut.path("ms").asLong() / 1000 / 2,
                        "S goes on decoding during the cut (at least 5 frames a second):" + figures);
                int upMs = lift.path("upMs").asInt();
                assertTrue(upMs >= 0, "S did not get back to the " + wide + "-wide layer within " + UP_WITHIN_MS
                        + " ms of the limit lifting:" + figures);
                assertTrue(lift.path("longestFreezeMs").asInt() <= LONGEST_FREEZE_MS,
                        "a freeze over " + LONGEST_FREEZE_MS + " ms while climbing back:" + figures);
            }
        }
    }
}
