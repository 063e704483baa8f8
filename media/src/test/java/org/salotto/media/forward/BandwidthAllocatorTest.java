package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.bwe.BandwidthSettings;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.WebRtcTransport;

/**
 * How one subscriber's downlink estimate is shared (no sockets: the estimate is given, the time is the test's, the
 * layers' bitrates are what the producers are fed). Real endpoints on a loop that never connect, so that the keyframe
 * requests the consumers make are kept pending there; everything runs on the loop thread, as in the server.
 */
class BandwidthAllocatorTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final RtpCodec VP8 = new RtpCodec("video/VP8", 96, 90000, 1, "", List.of("nack"), 97);
    private static final RtpCodec OPUS = new RtpCodec("audio/opus", 111, 48000, 2, "", List.of(), -1);
    /** The web app's layers: q 320x180 at 150 kbps, h 640x360 at 500 kbps, f 1280x720 at 1.5 Mbps. */
    private static final long Q = 150_000;
    private static final long H = 500_000;
    private static final long F = 1_500_000;
    private static final long AUDIO = 40_000;

    private MediaLoop loop;
    private ExecutorService control;
    private Endpoint publisher;
    private Endpoint subscriber;
    private final List<Runnable> feeders = new ArrayList<>();
    private final BandwidthSettings settings = BandwidthSettings.DEFAULT; // 500 ms, 15% headroom
    private int nextSsrc = 1000;

    @BeforeEach
    void start() throws Exception {
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters());
        control = Executors.newVirtualThreadPerTaskExecutor();
        publisher = endpoint("pub");
        subscriber = endpoint("sub");
    }

    @AfterEach
    void stop() {
        control.close();
        loop.close();
    }

    private Endpoint endpoint(String id) throws Exception {
        return new Endpoint(WebRtcTransport.create(id, loop, DtlsIdentity.generate(), control, new TransportListener() {
            @Override public void onConnected(WebRtcTransport t) { }
            @Override public void onClosed(WebRtcTransport t, String reason) { }
        }));
    }

    /** Runs the test's body on the loop thread; an assertion failed there fails the test (the loop keeps going). */
    private void onLoop(java.util.function.Supplier<?> work) throws Exception {
        Throwable failed = loop.submit(() -> {
            try {
                work.get();
                return null;
            } catch (Throwable t) {
                return t;
            }
        }).get(30, java.util.concurrent.TimeUnit.SECONDS);
        if (failed instanceof Error e) throw e;
        if (failed instanceof Exception e) throw e;
    }

    /** A camera published in three layers (q, h, f) and the subscriber's consumer of it. */
    private Consumer camera(String source) {
        Producer p = new Producer("p" + nextSsrc, publisher, new TrackParameters("v", MediaKind.VIDEO, source,
                List.of(VP8), List.of(new RtpHeaderExtension(RtpHeaderExtension.RID, 5)),
                List.of(RtpEncoding.ofRid("q"), RtpEncoding.ofRid("h"), RtpEncoding.ofRid("f"))));
        int base = nextSsrc;
        nextSsrc += 10;
        String[] rids = {"q", "h", "f"};
        long[] rates = {Q, H, F};
        int[] widths = {320, 640, 1280};
        for (int i = 0; i < 3; i++) {
            feeders.add(new LayerFeeder(p, rids[i], base + i, widths[i], rates[i])::second);
        }
        return consumer(p, MediaKind.VIDEO, source);
    }

    /** A one-stream track (a screen share without simulcast, or audio) at this bitrate. */
    private Consumer single(MediaKind kind, String source, long bitrate) {
        int ssrc = nextSsrc++;
        Producer p = new Producer("p" + ssrc, publisher, new TrackParameters("s", kind, source,
                List.of(kind == MediaKind.AUDIO ? OPUS : VP8), List.of(), List.of(new RtpEncoding(ssrc, 0))));
        feeders.add(new LayerFeeder(p, null, ssrc, kind == MediaKind.AUDIO ? 0 : 1920, bitrate)::second);
        return consumer(p, kind, source);
    }

    private Consumer consumer(Producer p, MediaKind kind, String source) {
        int ssrc = nextSsrc++;
        Consumer c = new Consumer("c" + ssrc, subscriber, p, new TrackParameters("c", kind, source,
                List.of(kind == MediaKind.AUDIO ? OPUS : VP8), List.of(),
                List.of(new RtpEncoding(ssrc, kind == MediaKind.AUDIO ? 0 : nextSsrc++))));
        p.addConsumer(c);
        return c;
    }

    /** Feeds one stream a second of its bitrate (counted bytes), with a keyframe telling its size at the end. */
    private static final class LayerFeeder {
        private final Producer producer;
        private final String rid;
        private final int ssrc;
        private final int width;
        private final long bitrate;
        private int seq;
        private long now;

        LayerFeeder(Producer producer, String rid, int ssrc, int width, long bitrate) {
            this.producer = producer;
            this.rid = rid;
            this.ssrc = ssrc;
            this.width = width;
            this.bitrate = bitrate;
        }

        void second() {
            now += SECOND;
            // A layer dynacast paused is not sent (as the publisher's browser does once told).
            if (rid != null && !producer.sendingRids().contains(rid)) return;
            byte[] b = packet(rid, ssrc, seq++, width, width * 9 / 16);
            if (rid != null && producer.layerOf(ssrc) < 0) assertTrue(producer.learnSsrc(b, 0, b.length, ssrc));
            producer.onRtp(b, 0, b.length, now);
            int layer = rid == null ? 0 : producer.layerOf(ssrc);
            producer.layers[layer].bytes += bitrate / 8 - b.length; // the rest of the second's bytes
        }
    }

    /** A VP8 packet (a keyframe of width x height when width > 0), with the RID element when rid is given. */
    static byte[] packet(String rid, int ssrc, int seq, int width, int height) {
        byte[] b = new byte[64];
        RtpPacket.writeHeader(b, 0, true, 96, seq, seq * 3000L, ssrc);
        int i = 12;
        if (rid != null) {
            b[0] |= 0x10;
            b[i++] = (byte) 0xBE;
            b[i++] = (byte) 0xDE;
            b[i++] = 0;
            b[i++] = 1;
            b[i++] = (byte) (5 << 4 | (rid.length() - 1));
            for (char ch : rid.toCharArray()) b[i++] = (byte) ch;
            while (i < 20) b[i++] = 0;
        }
        b[i++] = 0x10;
        if (width > 0) {
            byte[] key = {0, 0, 0, (byte) 0x9d, 0x01, 0x2a, (byte) width, (byte) (width >> 8), (byte) height,
                    (byte) (height >> 8)};
            System.arraycopy(key, 0, b, i, key.length);
            i += key.length;
        } else {
            b[i++] = 0x01;
        }
        return java.util.Arrays.copyOf(b, i);
    }

    /**
     * Runs {@code seconds} seconds of media (each stream its bitrate) and an allocation after each, with this estimate;
     * returns the time of the last.
     */
    private long run(BandwidthAllocator a, List<Consumer> cs, long estimate, int seconds, long[] clock) {
        for (int s = 0; s < seconds; s++) {
            for (Runnable f : feeders) f.run();
            clock[0] += SECOND;
            a.allocate(cs, estimate, clock[0]);
        }
        return clock[0];
    }

    @Test
    void audioIsKeptAndTheScreenShareAndTheSpeakerAreServedFirst() throws Exception {
        onLoop(() -> {
            Consumer audio = single(MediaKind.AUDIO, "mic", AUDIO);
            Consumer other = camera("camera");
            Consumer speaker = camera("camera");
            Consumer screen = single(MediaKind.VIDEO, "screen", 800_000);
            other.setPreferredSizeInLoop(1280, 720);
            speaker.setPreferredSizeInLoop(640, 360); // a smaller tile, but the speaker's
            speakerPriority(speaker);
            var cs = List.of(other, audio, speaker, screen);
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            // 1.6 Mbps: audio 40k, then the screen (800k), then the speaker's h (500k): 260k left, other gets q.
            run(a, cs, 1_600_000, 3, clock);
            assertFalse(screen.isSuspended(), "the screen share first");
            assertEquals(1, speaker.allocatedLayer, "the speaker's tile asks for h, and gets it");
            assertEquals(0, other.allocatedLayer, "the other camera gets what is left: q");
            assertFalse(audio.isSuspended());
            assertEquals(AUDIO + 800_000 + H + Q, a.allocatedBitrate());

            // 900 kbps: audio, the screen; 60k left: no camera fits even at q, both paused; audio never.
            run(a, cs, 900_000, 1, clock);
            assertFalse(screen.isSuspended());
            assertTrue(speaker.isSuspended(), "not even q fits");
            assertTrue(other.isSuspended());
            assertFalse(audio.isSuspended(), "audio is never paused");
            assertEquals(AUDIO + 800_000, a.allocatedBitrate());
            return null;
        });
    }

    @Test
    void biggerTilesFirstAmongEquals() throws Exception {
        onLoop(() -> {
            Consumer small = camera("camera");
            Consumer big = camera("camera");
            small.setPreferredSizeInLoop(320, 180);
            big.setPreferredSizeInLoop(1280, 720);
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            run(a, List.of(small, big), 1_000_000, 3, clock);
            assertEquals(1, big.allocatedLayer, "the big tile first: h (f does not fit in 1 Mbps)");
            assertEquals(0, small.allocatedLayer, "the small one asks for q only, and gets it");
            return null;
        });
    }

    @Test
    void aPausedVideoForwardsNothingAndResumesOnlyOnAKeyframeWithHeadroom() throws Exception {
        onLoop(() -> {
            Consumer cam = camera("camera");
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            run(a, List.of(cam), 3_000_000, 3, clock);
            assertEquals(2, cam.allocatedLayer, "f fits in 3 Mbps");
            run(a, List.of(cam), 120_000, 1, clock);
            assertTrue(cam.isSuspended(), "q (150k) does not fit in 120k: paused, Consumer.forward sends nothing");
            // 160 kbps: q fits, but not with 15% headroom (172.5k): still paused.
            run(a, List.of(cam), 160_000, 4, clock);
            assertTrue(cam.isSuspended(), "q without headroom does not resume it");
            run(a, List.of(cam), 180_000, 1, clock);
            assertFalse(cam.isSuspended(), "q with headroom: resumed");
            assertEquals(0, cam.allocatedLayer);
            long t = clock[0] + MS;
            assertFalse(cam.strategy().accept(0, false, t), "a delta frame after the pause is not sent");
            assertFalse(cam.strategy().accept(1, true, t), "nor another layer's keyframe");
            assertTrue(cam.strategy().accept(0, true, t), "q's keyframe starts it again");
            assertEquals(0, cam.strategy().currentLayer());
            return null;
        });
    }

    @Test
    void aOneStreamVideoIsPausedWhenItDoesNotFit() throws Exception {
        onLoop(() -> {
            Consumer audio = single(MediaKind.AUDIO, "mic", AUDIO);
            Consumer cam = single(MediaKind.VIDEO, "camera", 700_000);
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            run(a, List.of(audio, cam), 1_000_000, 3, clock);
            assertFalse(cam.isSuspended());
            run(a, List.of(audio, cam), 700_000, 1, clock);
            assertTrue(cam.isSuspended(), "700k video and 40k audio in 700k: the video pauses");
            return null;
        });
    }

    @Test
    void movesDownAtOnceButUpOnlyWithHeadroomAndNotSoonAfterAMoveDown() throws Exception {
        onLoop(() -> {
            Consumer cam = camera("camera");
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            run(a, List.of(cam), 2_000_000, 3, clock);
            assertEquals(2, cam.allocatedLayer);
            // The estimate dips below f: down to h at once.
            run(a, List.of(cam), 1_400_000, 1, clock);
            assertEquals(1, cam.allocatedLayer);
            // Back to 1.6 Mbps: f fits, but not with 15% headroom (1.725M): stays on h.
            run(a, List.of(cam), 1_600_000, 4, clock);
            assertEquals(1, cam.allocatedLayer, "no headroom, no move up");
            // A wobble above the headroom right after a move down does not move it up either.
            run(a, List.of(cam), 1_400_000, 1, clock);
            assertEquals(1, cam.allocatedLayer);
            run(a, List.of(cam), 1_200_000, 1, clock); // h still fits: it stays (no flap down to q)
            assertEquals(1, cam.allocatedLayer);
            return null;
        });
    }

    @Test
    void theHoldAfterAMoveDownDelaysTheMoveUp() throws Exception {
        onLoop(() -> {
            Consumer cam = camera("camera");
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            run(a, List.of(cam), 2_000_000, 3, clock);
            run(a, List.of(cam), 1_000_000, 1, clock);
            assertEquals(1, cam.allocatedLayer);
            // Plenty again from the next second: the hold keeps it on h until UP_HOLD (3 s) has passed.
            run(a, List.of(cam), 3_000_000, 2, clock);
            assertEquals(1, cam.allocatedLayer, "within the hold");
            run(a, List.of(cam), 3_000_000, 1, clock);
            assertEquals(2, cam.allocatedLayer, "after it");
            return null;
        });
    }

    @Test
    void whatThePublisherSendsFollowsTheCapNotTheTileSize() throws Exception {
        onLoop(() -> {
            Consumer cam = camera("camera"); // shown large: its tile alone would need f
            Producer p = cam.producer();
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            run(a, List.of(cam), 2_000_000, 3, clock);
            assertEquals(2, cam.allocatedLayer);
            p.checkDemand(clock[0]);
            assertEquals(List.of("q", "h", "f"), p.sendingRids());
            // A thin link (300 kbit/s): held to q.
            run(a, List.of(cam), 300_000, 1, clock);
            assertEquals(0, cam.allocatedLayer);
            SimulcastStrategy s = (SimulcastStrategy) cam.strategy();
            assertEquals(0b101, s.neededLayers(), "f, which it still forwards until q's keyframe, and q");
            p.checkDemand(clock[0]); // the producer looks on its tick, told the demand changed
            run(a, List.of(cam), 300_000, 1, clock); // q's next keyframe: switched
            p.checkDemand(clock[0]);
            assertEquals(0, s.currentLayer());
            assertEquals(0b001, s.neededLayers(), "neither h nor f: the link has no room for them");
            // The link stays thin, past the hold after the move down: h (500 kbit/s when last sent) still does not
            // fit, so it is not asked for either, and dynacast pauses both after its delay.
            for (int i = 0; i < 6; i++) {
                run(a, List.of(cam), 300_000, 1, clock);
                p.checkDemand(clock[0]);
            }
            assertEquals(0, cam.allocatedLayer);
            assertEquals(0b001, s.neededLayers());
            assertEquals(List.of("q"), p.sendingRids(), "h and f are not kept on for a subscriber that cannot take them");
            run(a, List.of(cam), 300_000, 3, clock); // h and f, no longer sent, go inactive
            assertFalse(p.isLayerActive(1, clock[0]));
            // The link widens to 1 Mbit/s: room for h as it was last measured, so h is asked back (not f), and the
            // allocator moves up to it once it comes.
            run(a, List.of(cam), 1_000_000, 1, clock);
            p.checkDemand(clock[0]);
            assertEquals(List.of("q", "h"), p.sendingRids(), "the next step up, with room for it");
            run(a, List.of(cam), 1_000_000, 2, clock);
            p.checkDemand(clock[0]);
            assertEquals(1, cam.allocatedLayer);
            assertEquals(List.of("q", "h"), p.sendingRids(), "f (1.5 Mbit/s) does not fit in 1 Mbit/s");
            // Plenty: f is asked back, and taken.
            run(a, List.of(cam), 3_000_000, 1, clock);
            p.checkDemand(clock[0]);
            assertEquals(List.of("q", "h", "f"), p.sendingRids());
            run(a, List.of(cam), 3_000_000, 2, clock);
            assertEquals(2, cam.allocatedLayer);
            return null;
        });
    }

    @Test
    void aCapWithNothingLostLeavesThePublisherAlone() throws Exception {
        onLoop(() -> {
            Consumer cam = camera("camera");
            Producer p = cam.producer();
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            for (int i = 0; i < 3; i++) {
                for (Runnable f : feeders) f.run();
                clock[0] += SECOND;
                a.onTick(List.of(cam), 2_000_000, 0, 0, clock[0]);
            }
            assertEquals(2, cam.allocatedLayer);
            // The estimate falls with nothing lost (a busy machine's delay signal): capped to q, but f stays needed.
            for (int i = 0; i < 8; i++) {
                for (Runnable f : feeders) f.run();
                clock[0] += SECOND;
                a.onTick(List.of(cam), 300_000, 0, 0, clock[0]);
                p.checkDemand(clock[0]);
            }
            assertEquals(0, cam.allocatedLayer);
            assertEquals(List.of("q", "f"), p.sendingRids(), "the tile's layer is kept: nothing says the link is thin");
            // Loss comes: now the cap binds, and f is paused after dynacast's delay.
            for (int i = 0; i < 6; i++) {
                for (Runnable f : feeders) f.run();
                clock[0] += SECOND;
                a.onTick(List.of(cam), 300_000, 0, 0.15, clock[0]);
                p.checkDemand(clock[0]);
            }
            assertEquals(List.of("q"), p.sendingRids());
            return null;
        });
    }

    @Test
    void aPausedVideoNeedsNoLayerOfItsOwn() throws Exception {
        onLoop(() -> {
            Consumer cam = camera("camera");
            Producer p = cam.producer();
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            run(a, List.of(cam), 2_000_000, 3, clock);
            // Loss on a link below even q: paused (the allocator pauses only with loss; see its class comment).
            for (Runnable f : feeders) f.run();
            clock[0] += SECOND;
            a.onTick(List.of(cam), 50_000, 0, 0.2, clock[0]);
            assertTrue(cam.isSuspended());
            assertEquals(0, ((SimulcastStrategy) cam.strategy()).neededLayers(), "nothing of its own while paused");
            for (int i = 0; i < 6; i++) {
                for (Runnable f : feeders) f.run();
                clock[0] += SECOND;
                a.onTick(List.of(cam), 50_000, 0, 0.2, clock[0]);
                p.checkDemand(clock[0]);
            }
            assertEquals(List.of("q"), p.sendingRids(), "only the lowest layer, which is always sent");
            return null;
        });
    }

    @Test
    void withoutAnEstimateNothingIsCappedOrPaused() throws Exception {
        onLoop(() -> {
            Consumer cam = camera("camera");
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            run(a, List.of(cam), 100_000, 3, clock);
            assertTrue(cam.isSuspended());
            run(a, List.of(cam), -1, 1, clock);
            assertFalse(cam.isSuspended(), "no transport-cc: no cap");
            assertEquals(-1, cam.allocatedLayer);
            assertEquals(-1, a.allocatedBitrate());
            return null;
        });
    }

    @Test
    void aVideoHeldBelowItsLayerProbesWithPaddingUpToTheEstimateButNotRightAfterAMoveDown() throws Exception {
        onLoop(() -> {
            Consumer cam = camera("camera");
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            // The first allocation, before any bitrate is measured, gives f; the next moves down to h (t = 2 s).
            run(a, List.of(cam), 1_000_000, 2, clock);
            assertEquals(1, cam.allocatedLayer, "h in 1 Mbps");
            assertEquals(0, a.paddingBitrate(), "no probe right after a move down");
            run(a, List.of(cam), 1_000_000, 3, clock);
            // Held on h for the hold's 3 s: probe for f, up to 90% of the estimate: 900k - 500k.
            assertEquals(400_000, a.paddingBitrate());
            run(a, List.of(cam), 400_000, 1, clock);
            assertEquals(0, a.paddingBitrate(), "no probe right after a move down");
            run(a, List.of(cam), 400_000, 3, clock);
            // On q (150k), probing for h: what h needs with headroom is 575k - 150k, but only up to 90% of the estimate.
            assertEquals(360_000 - Q, a.paddingBitrate());
            run(a, List.of(cam), 3_000_000, 1, clock);
            assertEquals(2, cam.allocatedLayer, "room at last: straight to the widest layer that fits");
            assertEquals(0, a.paddingBitrate(), "nothing more to probe for");
            return null;
        });
    }

    @Test
    void whatTheSubscriberReceivedIsAFloorUnderAFallingEstimate() throws Exception {
        onLoop(() -> {
            Consumer cam = camera("camera");
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            run(a, List.of(cam), 1_000_000, 3, clock);
            assertEquals(1, cam.allocatedLayer, "h in 1 Mbps");
            // GCC fell to 100 kbps after an overuse, but the subscriber received 700 kbps without loss: 0.85 of it
            // (595k) is shared, and h stays; without that floor it would pause, receive less, and fall further.
            for (Runnable f : feeders) f.run();
            clock[0] += SECOND;
            a.onTick(List.of(cam), 100_000, 700_000, 0.2, clock[0]);
            assertEquals(1, cam.allocatedLayer);
            assertFalse(cam.isSuspended());
            a.onTick(List.of(cam), 100_000, -1, 0.2, clock[0] + SECOND);
            assertTrue(cam.isSuspended(), "with nothing acknowledged, the estimate alone");
            return null;
        });
    }

    @Test
    void aFallingEstimateWithNothingLostKeepsTheLowestLayerInsteadOfPausing() throws Exception {
        onLoop(() -> {
            Consumer cam = camera("camera");
            var a = new BandwidthAllocator(settings);
            long[] clock = {0};
            run(a, List.of(cam), 1_000_000, 3, clock);
            assertEquals(1, cam.allocatedLayer, "h in 1 Mbps");
            // GCC's delay signal fell to 100 kbps (a busy machine), and nothing was lost: q (150k) does not fit, but the
            // video goes on at q rather than stopping.
            for (Runnable f : feeders) f.run();
            clock[0] += SECOND;
            a.onTick(List.of(cam), 100_000, -1, 0.0, clock[0]);
            assertFalse(cam.isSuspended(), "no loss, no pause");
            assertEquals(0, cam.allocatedLayer, "the lowest layer");
            // The same estimate with 20% of the packets lost: the link is really full, the video pauses.
            for (Runnable f : feeders) f.run();
            a.onTick(List.of(cam), 100_000, -1, 0.2, clock[0] + SECOND);
            assertTrue(cam.isSuspended(), "loss confirms it: paused");
            return null;
        });
    }

    private static void speakerPriority(Consumer c) {
        c.setPriorityInLoop(Consumer.PRIORITY_SPEAKER);
    }
}
