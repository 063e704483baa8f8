package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A space in Chromium, driven through the room page: a listener raises a hand, the host makes them a speaker, the
 * other listener hears them, the host moves them back and the audio stops within 2 s, although the demoted page
 * keeps sending (the server drops it and counts the drops).
 */
class SpaceStageTest {

    @Test
    void aSpeakerTheHostPromotesIsHeardAndFallsSilentWhenMovedBack() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode result = harness.run("space.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "outputDir", harness.reportDir().toString()), Duration.ofSeconds(120));
            System.out.println("space: " + result);
            assertTrue(result.path("heard").path("audioLevel").asDouble() > 0, "the listener hears the speaker: " + result);
            long stoppedMs = result.path("stoppedMs").asLong(-1);
            assertTrue(result.path("stoppedHow").isTextual() && stoppedMs <= 2000,
                    "the speaker's audio stops within 2 s of being moved back: " + result);
            assertEquals("listener", result.path("speakerRole").asText(), result.toString());
            assertTrue(result.path("speakerKeptSending").asLong() > 10, "the demoted page kept sending: " + result);
            JsonNode drops = result.path("droppedNotAllowed");
            assertTrue(drops.path("after").asLong() > drops.path("before").asLong(),
                    "what the demoted page sent was dropped as not allowed: " + result);
        }
    }
}
