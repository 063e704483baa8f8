package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.media.transport.DropReason;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;

/**
 * The server, not the client, keeps the audience off the air: a raw WebRTC client (the load generator's) that the host
 * moves back to the audience and that ignores it, sending RTP on as before, is not forwarded: every packet it sends
 * afterwards is dropped and counted as {@code rtp_not_allowed}. (The web app closes its publisher connection when it
 * leaves the stage, so no browser can show this; see SpaceStageTest for what a person sees.)
 *
 * <p>In the load generator's package, from it/, to use its package-private client as it is.
 */
class DemotedRtpTest {

    @Test
    @Timeout(60)
    void rtpOfASpeakerMovedToTheAudienceIsDroppedAsNotAllowed() throws Exception {
        try (SalottoServer server = SalottoServer.start(ServerConfig.forTests());
             HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
            // A space, 2 audio publishers, nobody else; a socket per connection.
            LoadTestConfig config = new LoadTestConfig(ServerKind.SALOTTO, URI.create(server.baseUrl()), "demoted", "space",
                    2, true, 0, 3, 0, Duration.ofSeconds(10), 10, 10, 1, 0, null, null, true);
            SalottoRoom room = SalottoRoom.create(http, config);
            Metrics metrics = new Metrics();
            try (MediaReceiver receiver = new MediaReceiver(1, metrics, false); Pacer pacer = new Pacer(1)) {
                Harness h = new Harness(config, http, ClientIdentity.generate(), receiver, pacer, metrics, System.nanoTime(),
                        InetAddress.getLoopbackAddress(), null, room);
                // The first publisher joins as the space's host; the second as a listener, invited to speak by the host.
                try (var host = new SimulatedParticipant(h, "host", true);
                     var speaker = new SimulatedParticipant(h, "speaker", true)) {
                    host.run();
                    speaker.run();
                    assertNull(host.failure, "the host joined and publishes");
                    assertNull(speaker.failure, "the speaker joined and publishes");
                    double forwardedBefore = metric(http, server, "salotto_media_rtp_forwarded_total");
                    // Each packet the clients receive after that read was forwarded after it: 60 of them (a few more
                    // than the 50 asserted, as /metrics reads the loop's counters racily) are the event waited for.
                    Semaphore received = new Semaphore(0);
                    metrics.onPacketReceived = received::release;
                    received.tryAcquire(60, 5, TimeUnit.SECONDS);
                    metrics.onPacketReceived = null;
                    assertTrue(metric(http, server, "salotto_media_rtp_forwarded_total") > forwardedBefore + 50,
                            "the speaker's and host's audio are forwarded");

                    double droppedBefore = metric(http, server, "salotto_media_dropped_total{reason=\"rtp_not_allowed\"}");
                    long sentBefore = metrics.packetsSent.sum();
                    // Each drop as the server counts it, from after the read above.
                    Semaphore notAllowed = new Semaphore(0);
                    server.media().counters().observeDrops(reason -> {
                        if (reason == DropReason.RTP_NOT_ALLOWED) notAllowed.release();
                    });
                    room.setRole(speaker.participantId, "listener");
                    // 50 audio packets a second: at least half a second of them dropped, as the client sends on.
                    notAllowed.tryAcquire(25, 5, TimeUnit.SECONDS);
                    server.media().counters().observeDrops(null);
                    assertTrue(metric(http, server, "salotto_media_dropped_total{reason=\"rtp_not_allowed\"}") >= droppedBefore + 25,
                            "RTP of the demoted speaker is dropped as rtp_not_allowed (before: " + droppedBefore + ", now: "
                                    + metric(http, server, "salotto_media_dropped_total{reason=\"rtp_not_allowed\"}") + ")");
                    assertTrue(metrics.packetsSent.sum() > sentBefore + 25, "the raw client kept sending");
                }
            }
        }
    }

    /** One sample of the server's {@code /metrics}, 0 when absent. */
    private static double metric(HttpClient http, SalottoServer server, String name) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
        return 0;
    }
}
