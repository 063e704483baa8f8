package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.salotto.server.ServerConfig;
import org.salotto.server.SalottoServer;

/**
 * A short scenario (a) against the real server in this process: 2 audio publishers and 50 listeners for 10 s in one
 * room. A correctness check, not a speed check: every listener must hear both publishers, with loss under 1%. Run with
 * the generator's shared sockets (recvmmsg, a loopback address per connection) and with a socket per connection.
 */
class LoadTestAgainstServerTest {

    @ParameterizedTest(name = "socket per connection: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(60)
    void everyListenerHearsBothSpeakers(boolean socketPerConnection) throws Exception {
        // Shared sockets need native access (surefire's argLine): without it the run would quietly use the other way.
        assertTrue(MediaReceiver.sharedAvailable(java.net.InetAddress.getByName("127.0.0.1")),
                "shared sockets unavailable: " + org.salotto.media.udp.LinuxUdp.unavailableReason());
        try (SalottoServer server = SalottoServer.start(ServerConfig.forTests())) {
            LoadTestConfig config = new LoadTestConfig(ServerKind.SALOTTO, URI.create(server.baseUrl()), "space-test", "space", 2, true, 0, 3, 50,
                    Duration.ofSeconds(10), 20, 10, 1, 0, Path.of("target/loadtest"), null, socketPerConnection);
            LoadResult r = new LoadRun(config, new PrintStream(OutputStream.nullOutputStream())).run();
            ReportWriter.write(r, config.report());

            assertEquals(0, r.joinsFailed(), "joins failed");
            assertEquals(50, r.listeners().size());
            for (LoadResult.Listener l : r.listeners()) {
                assertEquals(2, l.publishersHeard(), l.name() + " heard " + l.publishersHeard() + " publishers");
                assertTrue(l.received() > 100, l.name() + " received only " + l.received());
                assertTrue(l.lossRatio() < 0.01, l.name() + " lost " + l.lost() + " of " + l.expected());
            }
            assertTrue(r.delaySamples() > 0, "no delay was measured");
            assertTrue(r.serverDeltas().getOrDefault("salotto_media_rtp_forwarded_total", 0.0) > 0);
            // The report's charts: delay, packets and the server's CPU, which was busy forwarding every second.
            assertTrue(r.timeline().size() >= 10, "one sample a second: " + r.timeline().size());
            assertTrue(r.timeline().stream().anyMatch(s -> s.serverCpuPercent() > 0), "no server CPU sampled");
            String html = java.nio.file.Files.readString(config.report().resolve("report.html"));
            for (String chart : new String[] {"One-way delay", "Packets per second", "Server CPU"}) {
                assertTrue(html.contains(chart), "report.html lacks the chart " + chart);
            }
        }
    }
}
