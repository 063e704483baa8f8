package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Leaving the stage keeps the person in the room (it/browser/stageexit.mjs), clicks only: a live guest the host takes
 * off the stage, the same guest leaving the stage by herself, and a space speaker the host moves to the audience each
 * stay in the room as the same participant, with no end screen, and within 2 s of the click still receive the stage
 * (the host's frames decoded, or the host's audio samples, rising).
 */
class StageExitTest {

    private static final long WITHIN_MS = 2_000;

    @Test
    void peopleOffTheStageStayInTheRoomAndKeepReceivingIt() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode r = harness.run("stageexit.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "outputDir", harness.screenshots("stage-exit"),
                    "withinMs", WITHIN_MS), Duration.ofSeconds(240));
            System.out.println("stage exit: " + r);
            assertAll("stage exit: " + r,
                    () -> assertStays(r.path("cases").path("takenOff"), "viewer", "a live guest taken off the stage"),
                    () -> assertStays(r.path("cases").path("leftByHerself"), "viewer", "a live guest who left the stage"),
                    () -> assertStays(r.path("cases").path("movedToAudience"), "listener", "a space speaker moved to the audience"));
        }
    }

    private static void assertStays(JsonNode c, String role, String who) {
        assertEquals("in", c.path("after").path("phase").asText(), who + " is still in: " + c);
        assertEquals(c.path("before").path("id").asText(), c.path("after").path("id").asText(), who + ", as the same participant: " + c);
        assertEquals(role, c.path("after").path("role").asText(), who + ", in the audience: " + c);
        assertTrue(c.path("after").path("notice").isNull(), who + " sees no end screen: " + c);
        long ms = c.path("receivingMs").asLong(Long.MAX_VALUE);
        assertTrue(!c.path("receivingMs").isNull() && ms <= WITHIN_MS, who + " receives the stage within 2 s: " + c);
    }
}
