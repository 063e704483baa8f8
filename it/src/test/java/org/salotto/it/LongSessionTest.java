package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomsConfig;
import org.salotto.server.ServerConfig;

/**
 * Long sessions through the web app (it/browser/longsession.mjs), with the consent timeout shortened to 6 s: a live
 * whose host is the only publisher stays live for 10 x the timeout while a viewer keeps decoding (frames rising at
 * every sample), and a host alone in a call and a host alone in a space stay in as long. The live's host grace and the
 * resume grace are short too, so that a host wrongly taken for gone would end the live well within the hold.
 */
class LongSessionTest {

    /**
     * Chromium proves consent on a working connection every 2.5 s (its stable-connection ping interval), so a timeout
     * of 2 s would close healthy connections; 6 s leaves it two checks to spare.
     */
    private static final Duration CONSENT = Duration.ofSeconds(6);
    private static final Duration HOLD = CONSENT.multipliedBy(10);
    private static final Duration SAMPLE = Duration.ofSeconds(2);

    @Test
    void aLoneHostAndItsViewerStayForTenConsentTimeouts() throws Exception {
        BrowserHarness.requireBrowsers();
        ServerConfig config = ServerConfig.forTests().withConsentTimeout(CONSENT).withRooms(RoomsConfig.defaults()
                .withLiveHostGrace(Duration.ofSeconds(2)).withResumeGrace(Duration.ofSeconds(2)));
        try (var server = TestServer.start(config)) {
            var harness = new BrowserHarness();
            JsonNode r = harness.run("longsession.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "outputDir", harness.screenshots("long"),
                    "holdMs", HOLD.toMillis(),
                    "sampleMs", SAMPLE.toMillis()), Duration.ofSeconds(300));
            System.out.println("long session: " + r);
            JsonNode samples = r.path("samples");
            assertAll("long session: " + r,
                    () -> assertTrue(samples.size() >= HOLD.dividedBy(SAMPLE), "sampled over the whole hold"),
                    () -> assertTrue(samples.get(samples.size() - 1).path("at").asLong() >= HOLD.toMillis(), "for 10 x the consent timeout"),
                    () -> {
                        for (String page : new String[] {"live", "call", "space", "viewer"}) {
                            assertEquals("in", r.path("end").path(page).path("phase").asText(), page + " is still in");
                            JsonNode end = r.path("end").path(page);
                            assertEquals(r.path("ids").path(page).asText(), end.path("id").asText(), page + " as itself");
                            assertEquals(0, end.path("rebuilt").asInt(), page + ": no connection closed and rebuilt meanwhile");
                        }
                    },
                    () -> assertTrue(r.path("screenshots").size() >= 4, "screenshots"));
        }
    }
}
