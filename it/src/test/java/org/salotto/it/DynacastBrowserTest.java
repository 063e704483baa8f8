package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salotto.server.ServerConfig;

/**
 * Dynacast in Chromium: P publishes its camera in two layers and S, the only one receiving it, shows it in a small
 * tile. Once the high layer has gone unneeded for the pause delay (2 s here), P is told to pause it: P's outbound-rtp
 * for that rid stops growing over a 4 s window while the low one goes on and S goes on decoding. When S's tile grows
 * back (the layout's own size: its ResizeObserver sends videoSize), the high layer is asked back at once, P's
 * outbound-rtp for it grows again and S decodes its width (it/browser/dynacast.mjs).
 */
class DynacastBrowserTest {
    private static final Duration PAUSE_DELAY = Duration.ofSeconds(2);

    @Test
    void aLayerNobodyReceivesStopsBeingSentAndComesBackWhenATileNeedsIt() throws Exception {
        BrowserHarness.requireBrowsers();
        ServerConfig config = ServerConfig.forTests();
        config = config.withMedia(config.media().withDynacastPauseDelay(PAUSE_DELAY));
        try (var server = TestServer.start(config)) {
            var harness = new BrowserHarness();
            JsonNode result = harness.run("dynacast.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "room", server.createRoom("call"),
                    "outputDir", harness.reportDir().toString(),
                    "minFrames", 20,
                    "receiveTimeoutMs", 45_000,
                    "switchTimeoutMs", 30_000,
                    "quietWindowMs", 4_000), Duration.ofSeconds(240));
            int wide = result.path("wide").asInt();
            assertTrue(result.path("narrow").path("frameWidth").asInt() < wide, "S's small tile gets the low layer: " + result);

            long pausedMs = result.path("paused").path("ms").asLong();
            assertTrue(pausedMs >= PAUSE_DELAY.toMillis() - 1_000,
                    "the high layer is paused only once unneeded for about the pause delay: " + result);
            JsonNode quiet = result.path("quiet");
            assertTrue(quiet.path("ms").asLong() >= 4_000, "a window of 4 s at least: " + quiet);
            assertEquals(0, quiet.path("high").asLong(), "P sends nothing of the layer nobody receives: " + result);
            assertTrue(quiet.path("low").asLong() > 10_000, "P goes on sending the low layer: " + result);
            assertTrue(quiet.path("framesDecoded").asLong() > 20, "and S goes on decoding it: " + result);

            JsonNode resumed = result.path("resumed");
            assertTrue(resumed.path("ms").asLong() < PAUSE_DELAY.toMillis(),
                    "a layer needed again is asked back at once, not after a delay: " + result);
            assertTrue(resumed.path("growMs").asLong() > 0, "P's outbound-rtp for it grows again: " + result);
            assertEquals(wide, resumed.path("frameWidth").asInt(), "S decodes the high layer again: " + result);
        }
    }
}
