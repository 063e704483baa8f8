package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Simulcast in Chromium: three people in a call publish their cameras in layers; pages S and L, with the same large
 * tiles, decode the same layer of P's camera; once S shows its tiles small (its videoSize frames say so), it moves down
 * to a narrower layer and goes on decoding, while L keeps the wide one: the server forwards each the layer that fits
 * its tile (it/browser/simulcast.mjs).
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
            JsonNode before = result.path("before");
            assertEquals(before.path("large").path("frameWidth").asInt(), before.path("small").path("frameWidth").asInt(),
                    "the same tiles, the same layer: " + result);
            JsonNode small = result.path("after").path("small");
            JsonNode large = result.path("after").path("large");
            assertTrue(small.path("frameWidth").asInt() > 0, "the small tile decodes P's camera: " + result);
            assertTrue(large.path("frameWidth").asInt() > small.path("frameWidth").asInt(),
                    "the large tile decodes a wider layer than the small one: " + result);
            assertTrue(small.path("frameWidth").asInt() < before.path("small").path("frameWidth").asInt(),
                    "the small tile moved down a layer: " + result);
            assertTrue(small.path("framesDecoded").asLong() > before.path("small").path("framesDecoded").asLong(),
                    "and goes on decoding after the switch: " + result);
            assertTrue(result.path("publisher").size() >= 2, "P sends at least two layers: " + result.path("publisher"));
        }
    }
}
