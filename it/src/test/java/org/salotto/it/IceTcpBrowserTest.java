package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A browser whose UDP cannot reach the server still joins, over the server's ICE-TCP candidate. Two Chromium pages in
 * a call; a script the test injects (the app is unchanged) rewrites the server's UDP candidate in each remote
 * description: taken out, or pointed at a UDP socket that answers nothing (as a firewall dropping UDP would). Either
 * way B decodes A's camera, every selected candidate pair is TCP, and the server saw the media on its TCP port. With
 * UDP left alone, the same pages stay on UDP: the TCP candidate's lower priority keeps it a fallback.
 */
class IceTcpBrowserTest {

    private static JsonNode call(TestServer server, String udp, Integer blackholePort) throws Exception {
        var harness = new BrowserHarness();
        Map<String, Object> config = new HashMap<>(Map.of(
                "baseUrl", server.baseUrl(),
                "room", server.createRoom("call"),
                "udp", udp,
                "outputDir", harness.reportDir().toString()));
        if (blackholePort != null) config.put("blackholePort", blackholePort);
        JsonNode result = harness.run("icetcp.mjs", config, Duration.ofSeconds(90));
        assertTrue(result.path("framesDecoded").asLong() >= 10, "frames decoded: " + result);
        assertTrue(result.path("pairs").size() >= 3, "publisher and subscriber connections of both pages: " + result);
        return result;
    }

    private static void assertAllPairs(JsonNode result, String protocol) {
        for (JsonNode pair : result.path("pairs")) {
            assertEquals(protocol, pair.path("protocol").asText(), "a connection on the wrong protocol: " + result);
            // The selected pair carried media both ways (its state flips to in-progress while a consent check waits).
            assertTrue(pair.path("bytesSent").asLong() > 0 && pair.path("bytesReceived").asLong() > 0, "pair " + pair);
        }
    }

    private static void assertMediaCameOverTcp(TestServer server, JsonNode result) {
        var counters = server.counters();
        assertTrue(counters.tcpConnectionsAccepted() >= result.path("pairs").size(), "TCP connections accepted: "
                + counters.tcpConnectionsAccepted());
        assertTrue(counters.tcpFramesIn() >= 100 && counters.tcpFramesOut() >= 100,
                "frames over TCP in " + counters.tcpFramesIn() + ", out " + counters.tcpFramesOut());
        String metrics = server.metrics().orElseThrow();
        assertTrue(metrics.contains("\nsalotto_media_tcp_frames_received_total "), metrics);
        assertTrue(metrics.contains("\nsalotto_media_tcp_connections "), metrics);
    }

    @Test
    void pagesThatCannotSeeTheUdpCandidateJoinOverTcpAndDecode() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            JsonNode result = call(server, "remove", null);
            assertTrue(result.path("candidatesRewritten").asLong() >= 2, "no UDP candidate was held back: " + result);
            assertAllPairs(result, "tcp");
            assertMediaCameOverTcp(server, result);
        }
    }

    @Test
    void pagesWhoseUdpGoesUnansweredFallBackToTcpAndDecode() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start();
             DatagramChannel blackhole = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) blackhole.getLocalAddress()).getPort();
            JsonNode result = call(server, "blackhole", port);
            assertTrue(result.path("candidatesRewritten").asLong() >= 2, "no UDP candidate was rewritten: " + result);
            assertAllPairs(result, "tcp");
            assertMediaCameOverTcp(server, result);
            assertEquals(0, server.counters().datagramsIn(), "a datagram reached the server's UDP port");
        }
    }

    @Test
    void pagesWhoseUdpWorksStayOnUdp() throws Exception {
        BrowserHarness.requireBrowsers();
        try (var server = TestServer.start()) {
            JsonNode result = call(server, "open", null);
            assertAllPairs(result, "udp");
        }
    }
}
