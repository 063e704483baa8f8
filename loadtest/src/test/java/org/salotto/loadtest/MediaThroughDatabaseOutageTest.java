package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.server.PrivatePostgres;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;

/**
 * PostgreSQL stopped for 20 s while a call runs (a private cluster: the shared one is never stopped). The call's
 * media does not notice: through the outage every 80 % of a second's packets of the host's video reach the other
 * person within a second, while the API answers a join that needs the database with {@code 503 unavailable} within a second; once the
 * database is back, a new person joins the same call and receives the video too. The server is not restarted.
 */
class MediaThroughDatabaseOutageTest {
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** The host sends 30 frames a second, a packet each (a 3-packet keyframe when asked). */
    private static final int FRAMES_PER_SECOND = 30;

    @Test
    @Timeout(120)
    void aCallsVideoKeepsFlowingWhilePostgresqlIsDownAndNewPeopleJoinOnceItIsBack() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start();
             SalottoServer server = SalottoServer.start(ServerConfig.forTests().withDatabase(pg.url(), "postgres", ""));
             MediaReceiver receiver = new MediaReceiver(1, new Metrics(), false)) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            ClientIdentity identity = ClientIdentity.generate();
            SalottoRoom room = SalottoRoom.create(http, LoadTest.parse(new String[] {"--url", server.baseUrl(),
                    "--kind", "call", "--room", "through an outage"}));
            PacketCount received = new PacketCount();
            try (Vp8Host host = new Vp8Host(http, room, receiver, identity, failures());
                 Viewer viewer = new Viewer(http, room, receiver, identity, () -> { }, (buf, payload, end, now) -> received.add())
                         .join("guest")) {
                viewer.connectedAt.get(15, TimeUnit.SECONDS);
                assertTrue(received.await(FRAMES_PER_SECOND, 10_000), "a second of video before the outage");

                pg.stop();
                long down = System.nanoTime();
                // Through the outage, each stretch of 80 % of a second's packets must arrive within a second: waited
                // for as they come, so a stall fails at once and a slow machine cannot make a gap look like video.
                int stretch = FRAMES_PER_SECOND * 8 / 10;
                List<Long> stretchesMs = new ArrayList<>();
                long target = received.count();
                while (System.nanoTime() - down < OUTAGE.toNanos()) {
                    long start = System.nanoTime();
                    HttpResponse<String> join = joinAsGuest(http, server.baseUrl(), room.id());
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(503, join.statusCode(), "a join needs the database: " + join.body());
                    assertTrue(join.body().contains("\"unavailable\""), join.body());
                    assertTrue(ms < 1000, "the 503 took " + ms + " ms");
                    target += stretch;
                    assertTrue(received.await(target, 1000 - ms), "the call's video stalled during the outage after "
                            + (System.nanoTime() - down) / 1_000_000 + " ms; stretches so far (ms): " + stretchesMs);
                    stretchesMs.add((System.nanoTime() - start) / 1_000_000);
                }
                System.out.println("the outage's video, ms for each " + stretch + " packets (a second's worth: "
                        + FRAMES_PER_SECOND + "): " + stretchesMs);

                pg.startAgain();
                long back = System.nanoTime();
                HttpResponse<String> join;
                do {
                    join = joinAsGuest(http, server.baseUrl(), room.id());
                } while (join.statusCode() != 200 && System.nanoTime() - back < TimeUnit.SECONDS.toNanos(15));
                assertEquals(200, join.statusCode(), "joining works again once the database is back: " + join.body());

                PacketCount late = new PacketCount();
                try (Viewer after = new Viewer(http, room, receiver, identity, () -> { }, (buf, payload, end, now) -> late.add())
                        .join("after the outage")) {
                    after.connectedAt.get(15, TimeUnit.SECONDS);
                    assertTrue(late.await(FRAMES_PER_SECOND, 10_000), "the person who joined after the outage receives video");
                }
            }
        }
    }

    private static Signaling.Events failures() {
        return new Signaling.Events() {
            @Override
            public void onSubscribeOffer(String sdp, long version) {
                // the host receives nobody's media in this test
            }

            @Override
            public void onFailure(String why) {
                // The host's signaling failed: its video stops, which the packet counts then report.
                System.err.println("host: " + why);
            }
        };
    }

    /** Packets a viewer decrypted, and a wait for a count of them. */
    private static final class PacketCount {
        private long count;

        synchronized void add() {
            count++;
            notifyAll();
        }

        synchronized long count() {
            return count;
        }

        /** Whether {@code target} packets have come within {@code timeoutMillis}. */
        synchronized boolean await(long target, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + Math.max(1, timeoutMillis) * 1_000_000L;
            while (count < target) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) return false;
                wait(left);
            }
            return true;
        }
    }

    /** A new guest asks to join: a guest token is signed, not stored; the join itself needs the database. */
    private static HttpResponse<String> joinAsGuest(HttpClient http, String base, String roomId) throws Exception {
        HttpResponse<String> guest = http.send(post(base + "/api/guests", null, "{}"), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, guest.statusCode(), guest.body());
        String token = SignalingClient.JSON.readTree(guest.body()).get("guestToken").asText();
        return http.send(post(base + "/api/rooms/" + roomId + "/join", token, "{\"displayName\":\"someone\"}"),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest post(String url, String bearer, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return b.build();
    }
}
