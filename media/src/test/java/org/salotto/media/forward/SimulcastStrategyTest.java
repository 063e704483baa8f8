package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtp.RtpPacket;

/**
 * Which layer a simulcast consumer wants, from the layers' sizes (VP8 keyframes) and activity and the subscriber's
 * tile size; and the producer's side of it: SSRCs learnt from the RID element, keyframes recognised. No sockets: the
 * producer is fed packets directly (its endpoint is not needed for what is tested here).
 */
class SimulcastStrategyTest {
    private static final long SECOND = 1_000_000_000L;
    private static final RtpCodec VP8 = new RtpCodec("video/VP8", 96, 90000, 1, "", List.of(), -1);

    /** A producer whose layers are offered in the order given (rids), none known yet. */
    private static Producer producer(String... rids) {
        List<RtpEncoding> layers = java.util.Arrays.stream(rids).map(RtpEncoding::ofRid).toList();
        return new Producer("p", null, new TrackParameters("1", MediaKind.VIDEO, "camera", List.of(VP8),
                List.of(new RtpHeaderExtension(RtpHeaderExtension.RID, 5)), layers));
    }

    /** One packet of rid on ssrc; a keyframe of width x height when width > 0. Returns whether the producer took it. */
    private static boolean feed(Producer p, String rid, int ssrc, int width, int height, long now) {
        byte[] b = new byte[64];
        RtpPacket.writeHeader(b, 0, true, 96, 1, 0, ssrc);
        b[0] |= 0x10;
        int i = 12;
        b[i++] = (byte) 0xBE;
        b[i++] = (byte) 0xDE;
        b[i++] = 0;
        b[i++] = 1;
        b[i++] = (byte) (5 << 4 | (rid.length() - 1));
        for (char c : rid.toCharArray()) b[i++] = (byte) c;
        while (i < 20) b[i++] = 0;
        b[i++] = 0x10;
        if (width > 0) {
            byte[] key = {0, 0, 0, (byte) 0x9d, 0x01, 0x2a, (byte) width, (byte) (width >> 8), (byte) height, (byte) (height >> 8)};
            System.arraycopy(key, 0, b, i, key.length);
            i += key.length;
        } else {
            b[i++] = 0x01;
        }
        if (p.layerOf(ssrc) < 0 && !p.learnSsrc(b, 0, i, ssrc)) return false;
        p.onRtp(b, 0, i, now);
        return true;
    }

    @Test
    void theSmallestLayerThatCoversTheTileWhateverTheOrderOfTheRids() {
        Producer p = producer("f", "h", "q"); // highest first
        feed(p, "f", 100, 1280, 720, 0);
        feed(p, "h", 200, 640, 360, 0);
        feed(p, "q", 300, 320, 180, 0);
        SimulcastStrategy s = new SimulcastStrategy(p, new RtpRewriter(90000));
        assertEquals(0, s.wantedLayer(SECOND), "no size said yet: the largest");
        s.setPreferredSize(300, 170);
        assertEquals(2, s.wantedLayer(SECOND), "q covers 300x170");
        s.setPreferredSize(321, 100);
        assertEquals(1, s.wantedLayer(SECOND), "q is one pixel too narrow: h");
        s.setPreferredSize(0, 0);
        assertEquals(2, s.wantedLayer(SECOND), "a hidden tile: the smallest");
        s.setPreferredSize(4000, 3000);
        assertEquals(0, s.wantedLayer(SECOND), "nothing covers: the largest");
    }

    @Test
    void startsOnAnyKeyframeThenSwitchesToTheTargetOnlyOnItsKeyframe() throws Exception {
        var loop = new org.salotto.media.transport.MediaLoop(new java.net.InetSocketAddress("127.0.0.1", 0),
                new org.salotto.media.transport.MediaCounters());
        try (var control = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            // A real endpoint, never connected: the keyframe requests the strategy makes are kept pending there.
            Endpoint endpoint = new Endpoint(org.salotto.media.transport.WebRtcTransport.create("pub", loop,
                    org.salotto.media.dtls.DtlsIdentity.generate(), control,
                    new org.salotto.media.transport.TransportListener() {
                        @Override public void onConnected(org.salotto.media.transport.WebRtcTransport t) { }
                        @Override public void onClosed(org.salotto.media.transport.WebRtcTransport t, String reason) { }
                    }));
            Producer p = new Producer("p", endpoint, new TrackParameters("1", MediaKind.VIDEO, "camera", List.of(VP8),
                    List.of(new RtpHeaderExtension(RtpHeaderExtension.RID, 5)),
                    List.of(RtpEncoding.ofRid("q"), RtpEncoding.ofRid("h"), RtpEncoding.ofRid("f"))));
            loop.submit(() -> {
                feed(p, "q", 1, 320, 180, 0);
                feed(p, "h", 2, 640, 360, 0);
                feed(p, "f", 3, 1280, 720, 0);
                SimulcastStrategy s = new SimulcastStrategy(p, new RtpRewriter(90000));
                s.setPreferredSize(1280, 720);
                assertFalse(s.accept(2, false, SECOND), "a delta frame of the target: not a start");
                assertTrue(s.accept(1, true, SECOND), "h's keyframe: shown at once, though f is wanted");
                assertEquals(1, s.currentLayer());
                assertEquals(2, s.targetLayer());
                assertTrue(s.accept(1, false, SECOND), "h goes on while f's keyframe is awaited");
                assertFalse(s.accept(2, false, SECOND), "f's delta frames are not a switch");
                assertFalse(s.accept(0, true, SECOND), "nor is another layer's keyframe");
                assertTrue(s.accept(2, true, SECOND), "f's keyframe: the switch");
                assertEquals(2, s.currentLayer());
                assertFalse(s.accept(1, true, SECOND), "h no more");
                assertEquals(2, s.switches());
                return null;
            }).get();
        } finally {
            loop.close();
        }
    }

    @Test
    void aRelayedCameraKnowsItsLayersBySsrcWithoutRidElements() {
        // As an edge node receives a camera from the stage's node: each layer's SSRC said up front.
        Producer p = new Producer("p", null, new TrackParameters("1", MediaKind.VIDEO, "camera", List.of(VP8),
                List.of(new RtpHeaderExtension(RtpHeaderExtension.RID, 10)),
                List.of(new RtpEncoding(11, 21, "r0"), new RtpEncoding(12, 22, "r1"), new RtpEncoding(13, 23, "r2"))));
        assertTrue(p.isSimulcast());
        assertEquals(2, p.layerOf(13));
        assertEquals(-1, p.layerOf(23), "an RTX SSRC is no layer");
        byte[] b = new byte[32];
        RtpPacket.writeHeader(b, 0, true, 96, 1, 0, 12); // no RID element: the SSRC says the layer
        b[12] = 0x10;
        byte[] key = {0, 0, 0, (byte) 0x9d, 0x01, 0x2a, (byte) 640, (byte) (640 >> 8), (byte) 360, (byte) (360 >> 8)};
        System.arraycopy(key, 0, b, 13, key.length);
        p.onRtp(b, 0, 13 + key.length, SECOND);
        assertTrue(p.isLayerActive(1, SECOND));
        assertEquals(640, p.layerWidth(1), "its size from its keyframe");
        assertFalse(p.isLayerActive(0, SECOND));
    }

    @Test
    void aLayerThePublisherStoppedIsNotWanted() {
        Producer p = producer("q", "h", "f");
        feed(p, "q", 1, 320, 180, 0);
        feed(p, "h", 2, 640, 360, 0);
        feed(p, "f", 3, 1280, 720, 0);
        SimulcastStrategy s = new SimulcastStrategy(p, new RtpRewriter(90000));
        s.setPreferredSize(1280, 720);
        assertEquals(2, s.wantedLayer(SECOND));
        // q and h go on, f stops (the publisher's bandwidth dropped, say): past the inactivity window, h is the best.
        long later = Producer.LAYER_INACTIVE_NANOS + 2 * SECOND;
        feed(p, "q", 1, 0, 0, later);
        feed(p, "h", 2, 0, 0, later);
        assertEquals(1, s.wantedLayer(later));
        assertFalse(p.isLayerActive(2, later));
    }

    @Test
    void sizesNotYetKnownAreEstimatedFromAKnownLayerAndSsrcsAreTakenOncePerRid() {
        Producer p = producer("q", "h", "f");
        assertTrue(feed(p, "h", 2, 640, 360, 0));
        assertEquals(320, p.layerWidth(0));
        assertEquals(1280, p.layerWidth(2));
        assertEquals(720, p.layerHeight(2));
        assertFalse(feed(p, "h", 99, 0, 0, 0), "another SSRC naming a layer that has one is not taken");
        assertFalse(feed(p, "x", 98, 0, 0, 0), "a rid the offer did not name is not taken");
        assertEquals(1, p.layerOf(2));
        assertEquals(-1, p.layerOf(99));
    }
}
