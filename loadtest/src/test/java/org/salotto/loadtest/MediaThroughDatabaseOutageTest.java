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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.server.PrivatePostgres;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;

/**
 * PostgreSQL stopped for 20 s while a call runs (a private cluster: the shared one is never stopped). The call's
 * media does not notice: every second of the outage the other person receives the host's video at its full rate,
 * while the API answers a join that needs the database with {@code 503 unavailable} within a second; once the
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
            AtomicLong received = new AtomicLong();
            CompletableFuture<Void> flowing = new CompletableFuture<>();
            try (Vp8Host host = new Vp8Host(http, room, receiver, identity, failures(flowing));
                 Viewer viewer = new Viewer(http, room, receiver, identity, 0, (buf, payload, end, now) -> {
                     if (received.incrementAndGet() >= FRAMES_PER_SECOND) flowing.complete(null);
                 }).join("guest")) {
                viewer.connectedAt.get(15, TimeUnit.SECONDS);
                flowing.get(10, TimeUnit.SECONDS); // a second of video before the outage

                pg.stop();
                long down = System.nanoTime();
                List<Long> perSecond = new ArrayList<>();
                long last = received.get();
                while (System.nanoTime() - down < OUTAGE.toNanos()) {
                    long start = System.nanoTime();
                    HttpResponse<String> join = joinAsGuest(http, server.baseUrl(), room.id());
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(503, join.statusCode(), "a join needs the database: " + join.body());
                    assertTrue(join.body().contains("\"unavailable\""), join.body());
                    assertTrue(ms < 1000, "the 503 took " + ms + " ms");
                    long rest = 1000 - (System.nanoTime() - start) / 1_000_000;
                    if (rest > 0) Thread.sleep(rest); // the outage's seconds are the point here, not a wait for an event
                    long now = received.get();
                    perSecond.add(now - last);
                    last = now;
                }
                System.out.println("video packets received each second of the outage: " + perSecond);
                for (long n : perSecond) {
                    assertTrue(n >= FRAMES_PER_SECOND * 8 / 10,
                            "the call's video stalled during the outage, packets per second: " + perSecond);
                }

                pg.startAgain();
                long back = System.nanoTime();
                HttpResponse<String> join;
                do {
                    join = joinAsGuest(http, server.baseUrl(), room.id());
                } while (join.statusCode() != 200 && System.nanoTime() - back < TimeUnit.SECONDS.toNanos(15));
                assertEquals(200, join.statusCode(), "joining works again once the database is back: " + join.body());

                CompletableFuture<Void> late = new CompletableFuture<>();
                AtomicLong lateReceived = new AtomicLong();
                try (Viewer after = new Viewer(http, room, receiver, identity, 0, (buf, payload, end, now) -> {
                    if (lateReceived.incrementAndGet() >= FRAMES_PER_SECOND) late.complete(null);
                }).join("after the outage")) {
                    after.connectedAt.get(15, TimeUnit.SECONDS);
                    late.get(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static Signaling.Events failures(CompletableFuture<?> fail) {
        return new Signaling.Events() {
            @Override
            public void onSubscribeOffer(String sdp, long version) {
                // the host receives nobody's media in this test
            }

            @Override
            public void onFailure(String why) {
                fail.completeExceptionally(new java.io.IOException("host: " + why));
            }
        };
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
