package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A space in Chromium, driven through the web app (it/browser/space.mjs): the host signs up, creates the space and
 * opens it; a listener raises a hand, the host invites them to speak, the other listener hears them and sees their
 * speaker ring and reaction; the host moves them back: the audio stops within 2 s, and they stay in the space as a
 * listener who still hears the host. That the server drops what a demoted client still sends is proved with a raw
 * client that ignores its demotion ({@code org.salotto.loadtest.DemotedRtpTest}): no test hook changes how the web app
 * behaves.
 */
class SpaceStageTest {

    @Test
    void aSpeakerTheHostPromotesIsHeardAndFallsSilentWhenMovedBack() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode result = harness.run("space.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "outputDir", harness.screenshots("space")), Duration.ofSeconds(120));
            System.out.println("space: " + result);
            ContentSecurityPolicyTest.assertNoViolation("space.mjs", result);
            assertTrue(result.path("heard").path("audioLevel").asDouble() > 0, "the listener hears the speaker: " + result);
            assertTrue(result.path("ringSeen").asBoolean(), "the listener sees the speaker's ring while they talk: " + result);
            assertTrue(result.path("reactionSeen").asBoolean(), "the listener sees the speaker's reaction: " + result);
            assertTrue(result.path("screenshots").size() >= 6, "screenshots along the way: " + result);
            long stoppedMs = result.path("stoppedMs").asLong(-1);
            assertTrue(result.path("stoppedHow").isTextual() && stoppedMs <= 2000,
                    "the speaker's audio stops within 2 s of being moved back: " + result);
            assertEquals("listener", result.path("speakerRole").asText(), result.toString());
            JsonNode after = result.path("speakerAfter");
            assertEquals("in", after.path("phase").asText(), "moved to the audience, still in the space: " + result);
            assertEquals(result.path("speaker").asText(), after.path("id").asText(), "as the same participant: " + result);
            assertTrue(after.path("notice").isNull(), "no end screen: " + result);
            assertTrue(after.path("hearsHost").isObject(), "and still hears the host: " + result);
        }
    }
}
