package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Resume, in Chromium through the web app (it/browser/resume.mjs): the host of a live and two viewers (a desktop page
 * and a 390x844 phone) reach the server through a TCP proxy; the test resets every connection of the proxy, as a
 * network drop does. Each comes back as the same participant by itself, the host still publishing, and the viewers
 * decode the host again within 5 s; the host never sees them leave. Then one viewer goes offline for 5 s and comes
 * back the same way.
 */
class ResumeTest {

    private static final long BACK_WITHIN_MS = 5_000;
    /** After the cut, new connections are refused this long, as a network still down (and so the state shows). */
    private static final long DOWN_MS = 500;

    @Test
    void aPageWhoseConnectionIsCutComesBackAsTheSameParticipant() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start(); var proxy = new CuttableProxy(Integer.parseInt(server.baseUrl().replaceAll(".*:", "")))) {
            var harness = new BrowserHarness();
            try (var run = harness.start("resume.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "proxyUrl", proxy.baseUrl(),
                    "outputDir", harness.screenshots("resume"),
                    "backWithinMs", BACK_WITHIN_MS), Duration.ofSeconds(180))) {
                run.awaitEvent("ready");
                long at = System.currentTimeMillis();
                int cut = proxy.cut(DOWN_MS);
                run.send("cut " + at);
                JsonNode r = run.result();
                System.out.println("resume (" + cut + " connections cut): " + r);
                assertAll("resume: " + r,
                        () -> assertBack(r.path("viewers").path("desk"), "the desktop viewer"),
                        () -> assertBack(r.path("viewers").path("phone"), "the phone viewer"),
                        () -> assertTrue(r.path("viewers").path("desk").path("reconnectingSeen").asBoolean(),
                                "the desktop viewer saw \"Reconnecting…\" meanwhile"),
                        () -> assertBack(r.path("offline"), "the viewer back online"),
                        () -> assertTrue(r.path("hostBack").path("sameId").asBoolean()
                                && r.path("hostBack").path("publishing").asBoolean()
                                && r.path("hostBack").path("rejoins").asInt() == 0, "the host is back as the host, publishing"),
                        () -> assertEquals(0, r.path("hostSawLeaving").size(), "the host never saw a viewer leave"),
                        () -> assertTrue(cut >= 6, "the proxy had the three sockets open (both ends of each): " + cut));
            }
        }
    }

    private static void assertBack(JsonNode viewer, String who) {
        JsonNode back = viewer.path("back");
        assertTrue(back.path("sameId").asBoolean(), who + " is back as the same participant: " + viewer);
        assertEquals(0, back.path("rejoins").asInt(), who + " did not need a fresh join: " + viewer);
        assertTrue(back.path("ms").asLong(Long.MAX_VALUE) <= BACK_WITHIN_MS, who + " decodes again within 5 s: " + viewer);
    }
}
