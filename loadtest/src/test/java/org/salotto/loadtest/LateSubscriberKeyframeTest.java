package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;

/**
 * A subscriber that never asks for a keyframe still gets one as soon as its connection is up. The real server, and
 * clients built on our own ICE, DTLS and SRTP (nothing of a browser's habits): in each of 10 live rooms a host
 * publishes VP8 whose only keyframes are the ones the server asks for (PLI or FIR; delta frames otherwise), and a
 * viewer that sends no RTCP at all joins 90 frames (3 s of video) later. Each viewer must decrypt a keyframe (VP8 payload header P bit 0
 * on a frame's first packet) within 1 s of its DTLS handshake ending.
 */
class LateSubscriberKeyframeTest {
    private static final int RUNS = 10;
    /** The viewer comes after this many of the host's frames (3 s of video). */
    private static final long LATE_FRAMES = 90;
    private static final long WITHIN_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The viewer's first check comes this many host frames after its answer (~200 ms, as a browser's). */
    private static final long CONNECT_DELAY_FRAMES = 6;

    @Test
    @Timeout(90)
    void aViewerThatNeverSendsPliDecodesAKeyframeWithinOneSecondOfConnecting() throws Exception {
        try (SalottoServer server = SalottoServer.start(ServerConfig.forTests());
             MediaReceiver receiver = new MediaReceiver(1, new Metrics(), false)) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            ClientIdentity identity = ClientIdentity.generate();
            List<CompletableFuture<Long>> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                LoadTestConfig config = LoadTest.parse(new String[] {"--url", server.baseUrl(), "--kind", "live",
                        "--room", "late-subscriber-" + i});
                SalottoRoom room = SalottoRoom.create(http, config);
                CompletableFuture<Long> run = new CompletableFuture<>();
                Thread.ofVirtual().name("run-" + i).start(() -> {
                    try {
                        run.complete(play(http, room, receiver, identity));
                    } catch (Throwable e) {
                        run.completeExceptionally(e);
                    }
                });
                runs.add(run);
            }
            int ok = 0;
            List<String> outcomes = new ArrayList<>();
            for (CompletableFuture<Long> run : runs) {
                long nanos = run.get(60, TimeUnit.SECONDS);
                outcomes.add(nanos < 0 ? "no keyframe" : String.format("%.0f ms", nanos / 1e6));
                if (nanos >= 0 && nanos <= WITHIN_NANOS) ok++;
            }
            System.out.println("late subscribers, keyframe after connecting: " + outcomes);
            assertEquals(RUNS, ok, "keyframe after the viewer's connection came up, per run: " + outcomes);
        }
    }

    /**
     * One room: the host publishing, the viewer joining 3 s later. Nanoseconds from the viewer's connection coming up
     * to its first keyframe; -1 when none came in 2 s.
     */
    private static long play(HttpClient http, SalottoRoom room, MediaReceiver receiver, ClientIdentity identity)
            throws Exception {
        CompletableFuture<Long> keyframeAt = new CompletableFuture<>();
        try (Vp8Host host = new Vp8Host(http, room, receiver, identity, new Signaling.Events() {
            @Override
            public void onSubscribeOffer(String sdp, long version) {
                // the host has nothing to receive: the server sends it no offer
            }

            @Override
            public void onFailure(String why) {
                keyframeAt.completeExceptionally(new java.io.IOException("host: " + why));
            }
        })) {
            host.awaitFrames(LATE_FRAMES, 30_000); // the scenario: the viewer comes 3 s of video late
            try (Viewer viewer = new Viewer(http, room, receiver, identity, () -> host.awaitFrames(CONNECT_DELAY_FRAMES, 30_000),
                    (buf, payload, end, now) -> {
                        if (Viewer.startsKeyframe(buf, payload)) keyframeAt.complete(now);
                    }).join("viewer")) {
                long connected = viewer.connectedAt.get(15, TimeUnit.SECONDS);
                try {
                    return keyframeAt.get(2, TimeUnit.SECONDS) - connected;
                } catch (TimeoutException e) {
                    return -1;
                }
            }
        }
    }
}
