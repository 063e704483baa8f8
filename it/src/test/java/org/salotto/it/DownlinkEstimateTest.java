package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salotto.media.bwe.EstimateHistogram;

/**
 * Chromium answers the subscriber connection's transport-cc: two people in a call (one sharing a screen too), and
 * the server reads the browsers' transport-cc feedback about what it sent them, matches it to the packets it
 * numbered, and moves their downlink estimates (observed in {@code salotto_media_downlink_estimate_bps}).
 */
class DownlinkEstimateTest {

    @Test
    void browsersFeedBackOnWhatTheServerSendsThemAndTheirEstimatesMove() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode result = harness.run("screenshare.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "rooms", Map.of("desktop", server.createRoom("call")),
                    "only", java.util.List.of("desktop"),
                    "outputDir", harness.reportDir().toString()), Duration.ofSeconds(90));
            JsonNode screen = result.path("desktop").path("decodedWhileSharing").path("screen");
            assertTrue(screen.path("framesDecoded").asLong() >= 10, "the call worked: " + result);
            EstimateHistogram estimates = server.counters().downlinkEstimates();
            System.out.println("transport-cc feedback read: " + estimates.feedback() + ", estimates observed: "
                    + estimates.count());
            assertTrue(estimates.feedback() >= 20, "feedback from the subscribers' browsers: " + estimates.feedback());
            assertTrue(estimates.count() >= 20, "feedback matched to numbered packets: " + estimates.count());
            String metrics = server.metrics().orElseThrow();
            assertTrue(metrics.contains("# TYPE salotto_media_downlink_estimate_bps histogram"), metrics);
            assertTrue(server.counters().drops(org.salotto.media.transport.DropReason.RTCP_MALFORMED) == 0,
                    "Chromium's feedback all parsed");
        }
    }
}
