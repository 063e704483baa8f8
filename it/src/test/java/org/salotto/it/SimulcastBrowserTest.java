package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Simulcast in Chromium: three people in a call publish their cameras in three layers; once the page S shows its tiles
 * small (its videoSize frames say so), it decodes a narrower frame of P's camera than the page L, whose tiles are
 * large: the server forwards each the layer that fits its tile (it/browser/simulcast.mjs).
 */
class SimulcastBrowserTest {

    @Test
    void aSmallTileGetsALowerLayerThanALargeOne() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode result = harness.run("simulcast.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "room", server.createRoom("call"),
                    "outputDir", harness.reportDir().toString(),
                    "minFrames", 20,
                    "receiveTimeoutMs", 45_000,
                    "switchTimeoutMs", 30_000), Duration.ofSeconds(150));
            JsonNode small = result.path("after").path("small");
            JsonNode large = result.path("after").path("large");
            assertTrue(small.path("frameWidth").asInt() > 0, "the small tile decodes P's camera: " + result);
            assertTrue(large.path("frameWidth").asInt() > small.path("frameWidth").asInt(),
                    "the large tile decodes a wider layer than the small one: " + result);
            assertTrue(result.path("publisher").size() >= 2, "P sends at least two layers: " + result.path("publisher"));
        }
    }
}
