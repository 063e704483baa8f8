package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A browser whose UDP cannot reach the server still joins: two Chromium pages in a call, each of which drops the
 * server's UDP candidate from every remote description (a script the test injects; the app is unchanged), so that the
 * server's ICE-TCP candidate is the only way in. B decodes A's camera, every selected candidate pair is TCP, and the
 * server saw the media come over its TCP port.
 */
class IceTcpBrowserTest {

    @Test
    void pagesThatCanOnlyReachTheServerOverTcpJoinAndDecode() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            var harness = new BrowserHarness();
            JsonNode result = harness.run("icetcp.mjs", Map.of(
                    "baseUrl", server.baseUrl(),
                    "room", server.createRoom("call"),
                    "outputDir", harness.reportDir().toString()), Duration.ofSeconds(90));
            assertTrue(result.path("framesDecoded").asLong() >= 10, "frames decoded over TCP: " + result);
            assertTrue(result.path("candidatesRemoved").asLong() >= 2, "no UDP candidate was held back: " + result);
            JsonNode pairs = result.path("pairs");
            assertTrue(pairs.size() >= 3, "publisher and subscriber connections of both pages: " + result);
            for (JsonNode pair : pairs) {
                assertEquals("tcp", pair.path("protocol").asText(), "a connection is not on TCP: " + pair);
                assertEquals("succeeded", pair.path("state").asText(), "pair " + pair);
            }
            var counters = server.counters();
            assertTrue(counters.tcpConnectionsAccepted() >= pairs.size(), "TCP connections accepted: "
                    + counters.tcpConnectionsAccepted());
            assertTrue(counters.tcpFramesIn() >= 100 && counters.tcpFramesOut() >= 100,
                    "frames over TCP in " + counters.tcpFramesIn() + ", out " + counters.tcpFramesOut());
            String metrics = server.metrics().orElseThrow();
            assertTrue(metrics.contains("salotto_media_tcp_frames_received_total "), metrics);
        }
    }
}
