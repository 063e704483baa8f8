package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Uplink repair in Chromium: publisher P's media goes to the server through {@link UdpFaultProxy}, subscriber S's
 * directly (it/browser/uplinkloss.mjs). Over one window with no loss and one with 5% of P's packets to the server lost,
 * S decodes about as many frames of P's camera and freezes about as often, because the server asks P again for what it
 * lost (NACK) and forwards the retransmissions (RTX): P's outbound-rtp counts the NACKs, the server's /metrics counts
 * the NACKs it sent and the retransmissions that filled a gap.
 */
class UplinkLossTest {

    /** Each window's length; 15 s at Chromium's 30 frames a second is some 450 frames and, at 5%, ~250 packets lost. */
    private static final int WINDOW_MS = 15_000;
    private static final double LOSS = 0.05;
    private static final long SEED = 15;
    /** The lossy window decodes at least this share of the loss-free window's frames. */
    private static final double FRAMES_KEPT = 0.85;
    /**
     * Freezes the lossy window may have beyond the loss-free one. Chromium counts a freeze when a frame comes more than
     * max(3 frame intervals, one interval + 150 ms) after the previous one; a loss repaired by NACK on loopback costs a
     * round trip of milliseconds plus the server's first NACK delay, far less. A freeze needs a repair that failed (a
     * keyframe asked for instead), which 5% random loss makes rare but not impossible; 2 leaves room for that and for
     * a scheduling stall of this 2-core machine's, while a repair that did not work (freezes every few seconds) fails.
     */
    private static final int EXTRA_FREEZES = 2;
    private static final Map<String, Object> SCRIPT = Map.of(
            "receiveTimeoutMs", 60_000,
            "warmupFrames", 150,
            "windowMs", WINDOW_MS,
            "commandTimeoutMs", 60_000);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);

    @Test
    void fivePercentLossOnThePublishersUplinkIsRepairedAndTheSubscriberBarelyNotices() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start(); var proxy = new UdpFaultProxy(server.mediaPort(), SEED)) {
            var harness = new BrowserHarness();
            var config = new java.util.HashMap<String, Object>(SCRIPT);
            config.putAll(Map.of("baseUrl", server.baseUrl(), "room", server.createRoom("call"),
                    "outputDir", harness.reportDir().toString(), "proxyPort", proxy.port()));
            try (var run = harness.start("uplinkloss.mjs", config, SCRIPT_TIMEOUT)) {
                JsonNode ready = run.awaitEvent("ready");
                assertTrue(ready.path("candidatesRewritten").asInt() >= 1, "P's server candidates untouched: " + ready);
                assertTrue(ready.path("pairs").size() >= 1, "P has no selected pair: " + ready);
                for (JsonNode pair : ready.path("pairs")) {
                    assertEquals(proxy.port(), pair.path("port").asInt(), "P's media bypasses the proxy: " + ready);
                }

                Window clean = measure(run, server, proxy, "clean", 0);
                Window lossy = measure(run, server, proxy, "lossy", LOSS);
                run.send("done");
                JsonNode result = run.result();
                String figures = "\nclean: " + clean + "\nlossy: " + lossy + "\nresult: " + result;
                System.out.println("uplink loss:" + figures);

                long cleanFrames = clean.event.path("subscriber").path("framesDecoded").asLong();
                long lossyFrames = lossy.event.path("subscriber").path("framesDecoded").asLong();
                // S decodes P steadily without loss (at least 10 frames a second), or the comparison means nothing.
                assertTrue(cleanFrames >= WINDOW_MS / 100, "too few frames decoded without loss:" + figures);
                // The proxy lost about 5% of P's packets in the lossy window, none in the clean one.
                assertEquals(0, clean.proxyLost, "packets lost without loss:" + figures);
                double lostShare = (double) lossy.proxyLost / (lossy.proxyLost + lossy.proxyForwarded);
                assertTrue(lostShare > 0.03 && lostShare < 0.07, "share of P's packets lost " + lostShare + figures);

                assertTrue(lossyFrames >= FRAMES_KEPT * cleanFrames, "frames decoded with 5% loss fell more than "
                        + Math.round(100 * (1 - FRAMES_KEPT)) + "%:" + figures);
                long cleanFreezes = clean.event.path("subscriber").path("freezeCount").asLong();
                long lossyFreezes = lossy.event.path("subscriber").path("freezeCount").asLong();
                assertTrue(lossyFreezes <= cleanFreezes + EXTRA_FREEZES, "freezes with 5% loss:" + figures);

                assertTrue(lossy.event.path("publisher").path("nackCount").asLong() > 0, "P saw no NACK:" + figures);
                assertTrue(lossy.nacksSent > 0, "the server sent no NACK (salotto_media_nacks_sent_total):" + figures);
                assertTrue(lossy.rtxRecovered > 0,
                        "no retransmission filled a gap (salotto_media_rtx_recovered_total):" + figures);
            }
        }
    }

    /** One window at this loss rate on P's uplink: the script's figures, the proxy's and the server's growth. */
    private static Window measure(BrowserHarness.Run run, TestServer server, UdpFaultProxy proxy, String label,
                                  double loss) {
        proxy.uplink().loss(loss);
        long lost = proxy.uplink().lost();
        long forwarded = proxy.uplink().forwarded();
        String before = server.metrics().orElseThrow();
        run.send("measure " + label);
        JsonNode event = run.awaitEvent("window");
        String after = server.metrics().orElseThrow();
        return new Window(event, proxy.uplink().lost() - lost, proxy.uplink().forwarded() - forwarded,
                counter(after, "salotto_media_nacks_sent_total") - counter(before, "salotto_media_nacks_sent_total"),
                counter(after, "salotto_media_rtx_recovered_total") - counter(before, "salotto_media_rtx_recovered_total"));
    }

    private static long counter(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)").matcher(metrics);
        assertTrue(m.find(), name + " missing from /metrics");
        return Long.parseLong(m.group(1));
    }

    private record Window(JsonNode event, long proxyLost, long proxyForwarded, long nacksSent, long rtxRecovered) {
    }
}
