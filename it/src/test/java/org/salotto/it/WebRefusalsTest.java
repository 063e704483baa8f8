package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Refusals in the web app (it/browser/refusals.mjs), each told in words: no camera or mic for a host, a locked room
 * (then unlocked), a room ended for all, and its link afterwards. Room full and removal have their own tests
 * (RoomFlows, WebCallFlowTest).
 */
class WebRefusalsTest {

    @Test
    void everyRefusalIsToldInWords() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode r = harness.run("refusals.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "outputDir", harness.screenshots("refusals")), Duration.ofSeconds(120));
            System.out.println("refusals: " + r);
            assertAll("refusals: " + r,
                    () -> assertTrue(r.path("noDevices").path("text").asText().contains("Hosting needs both a camera and a microphone")),
                    () -> assertTrue(r.path("noDevices").path("joinDisabled").asBoolean(), "a host without camera cannot go live"),
                    () -> assertEquals("room_locked", r.path("locked").path("code").asText()),
                    () -> assertEquals("This room is locked", r.path("locked").path("title").asText()),
                    () -> assertEquals("participant", r.path("afterUnlock").path("role").asText(), "in once unlocked"),
                    () -> assertEquals("room_ended", r.path("ended").path("code").asText()),
                    () -> assertEquals("This room has ended", r.path("ended").path("title").asText()),
                    () -> assertEquals("room_ended", r.path("endedLink").path("code").asText(), "the link says it ended"));
        }
    }
}
