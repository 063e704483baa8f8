package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Screen sharing in a call: one person shares their screen (Chromium's fake capture) and the other decodes it in a
 * tile of its own, beside the camera; when sharing stops, that tile goes.
 */
class ScreenShareTest {

    @Test
    void theOtherPersonSeesTheSharedScreenAndThenItsTileGoes() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode result = harness.run("screenshare.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "room", server.createRoom("call"),
                    "outputDir", harness.reportDir().toString()), Duration.ofSeconds(90));
            assertTrue(result.path("screenFrames").asLong() >= 10, "screen frames decoded: " + result);
            assertTrue(result.path("cameraFrames").asLong() >= 1, "the camera must keep coming too: " + result);
            long removedMs = result.path("screenTileRemovedMs").asLong(-1);
            assertTrue(removedMs >= 0 && removedMs <= 2000, "the screen tile must go within 2 s of the stop: " + result);
        }
    }
}
