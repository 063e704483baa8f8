package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * A live's video slots, on the loop thread: camera A (three VP8 simulcast layers, q 320x180, h 640x360, f 1280x720,
 * learnt by rid) and camera B (one VP8 stream, another payload type and another RID extension id) take turns on one
 * slot. The viewer's stream runs on across every switch: sequence numbers up by one, timestamps forward, VP8's
 * PictureID and TL0PICIDX up by one from the last sent, nothing of the new camera before its keyframe; and on A, each
 * viewer gets the layer of its own tile. The viewers' transports are not connected, so each forwarded packet is left,
 * rewritten, in the loop's send buffer, where the test reads it.
 */
class VideoSlotsTest {
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private static final TransportListener QUIET = new TransportListener() {
        @Override public void onConnected(WebRtcTransport t) { }
        @Override public void onClosed(WebRtcTransport t, String reason) { }
    };
    private static final int[][] SIZES = {{320, 180}, {640, 360}, {1280, 720}};
    private static final String[] RIDS = {"q", "h", "f"};
    /** What every viewer negotiated for its video slots: VP8 96 (RTX 97), the RID extension not among them. */
    private static final TrackParameters TEMPLATE = new TrackParameters("slot", MediaKind.VIDEO, "camera",
            List.of(new RtpCodec("video/VP8", 96, 90000, 1, "", List.of("nack", "nack pli"), 97)),
            List.of(new RtpHeaderExtension(RtpHeaderExtension.TRANSPORT_CC, 3)), List.of(new RtpEncoding(0x5107, 0x5108)));
    private static final long MS = 1_000_000L;

    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private MediaLoop loop;
    private long now;

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters());
    }

    @AfterEach
    void tearDown() {
        loop.close();
        control.close();
    }

    private <T> T inLoop(Supplier<T> work) throws Exception {
        return loop.submit(work).get(2, TimeUnit.SECONDS);
    }

    private Endpoint endpoint(String id) {
        return new Endpoint(WebRtcTransport.create(id, loop, IDENTITY, control, QUIET));
    }

    /** A camera's stream: its own sequence numbers, timestamps, PictureIDs and TL0PICIDXs, far from the others'. */
    private static final class Stream {
        final int ssrc;
        int seq;
        long ts;
        int pictureId;
        int tl0;

        Stream(int ssrc, int seq, long ts, int pictureId, int tl0) {
            this.ssrc = ssrc;
            this.seq = seq;
            this.ts = ts;
            this.pictureId = pictureId;
            this.tl0 = tl0;
        }
    }

    /** What the viewer got: SSRC, payload type, sequence, timestamp, PictureID, TL0PICIDX, camera tag, layer. */
    private record Got(int ssrc, int pt, int seq, long ts, int pictureId, int tl0, int camera, int layer) {
    }

    /**
     * One one-packet frame of {@code s} through producer {@code p}: a RID element (when {@code rid} is not null) on
     * extension id {@code ridId}, a VP8 descriptor with a 15-bit PictureID and a TL0PICIDX, the frame header (a
     * keyframe's with its size), then the camera's tag and the layer. What the viewer got, or null.
     */
    private Got frame(Producer p, Stream s, int pt, String rid, int ridId, int layer, boolean keyframe, int camera) {
        byte[] b = new byte[200];
        RtpPacket.writeHeader(b, 0, true, pt, s.seq, s.ts, s.ssrc);
        int at = 12;
        if (rid != null) {
            b[0] |= 0x10;
            b[at++] = (byte) 0xBE;
            b[at++] = (byte) 0xDE;
            b[at++] = 0;
            b[at++] = 1;
            b[at++] = (byte) (ridId << 4);
            b[at++] = (byte) rid.charAt(0);
            at += 2;
        }
        b[at++] = (byte) 0x90; // X, S
        b[at++] = (byte) 0xC0; // I, L
        b[at++] = (byte) (0x80 | s.pictureId >> 8 & 0x7F);
        b[at++] = (byte) s.pictureId;
        b[at++] = (byte) s.tl0;
        if (keyframe) {
            b[at++] = 0x00;
            b[at++] = 0;
            b[at++] = 0;
            b[at++] = (byte) 0x9d;
            b[at++] = 0x01;
            b[at++] = 0x2a;
            b[at++] = (byte) SIZES[layer][0];
            b[at++] = (byte) (SIZES[layer][0] >> 8);
            b[at++] = (byte) SIZES[layer][1];
            b[at++] = (byte) (SIZES[layer][1] >> 8);
        } else {
            b[at++] = 0x01;
            b[at++] = 0;
            b[at++] = 0;
        }
        b[at++] = (byte) camera;
        b[at++] = (byte) layer;
        int len = at;
        s.seq = (s.seq + 1) & 0xFFFF;
        s.ts = (s.ts + 3000) & 0xFFFF_FFFFL;
        s.pictureId = (s.pictureId + 1) & 0x7FFF;
        s.tl0 = (s.tl0 + 1) & 0xFF;
        if (p.isSimulcast() && p.layerOf(RtpPacket.ssrc(b, 0)) < 0) assertTrue(p.learnSsrc(b, 0, len, RtpPacket.ssrc(b, 0)));
        byte[] out = loop.sendScratch();
        java.util.Arrays.fill(out, 0, 200, (byte) 0);
        now += 33 * MS;
        p.onRtp(b, 0, len, now);
        if (RtpPacket.ssrc(out, 0) == 0) return null;
        int h = RtpPacket.headerLength(out, 0, len);
        int pic = (out[h + 2] & 0x7F) << 8 | out[h + 3] & 0xFF;
        return new Got(RtpPacket.ssrc(out, 0), RtpPacket.payloadType(out, 0), RtpPacket.sequenceNumber(out, 0),
                RtpPacket.timestamp(out, 0), pic, out[h + 4] & 0xFF, out[len - 2], out[len - 1]);
    }

    private Producer simulcastCamera(Endpoint e) {
        return e.produce("camA", new TrackParameters("1", MediaKind.VIDEO, "camera",
                List.of(new RtpCodec("video/VP8", 100, 90000, 1, "", List.of("nack", "nack pli"), 101)),
                List.of(new RtpHeaderExtension(RtpHeaderExtension.RID, 10)),
                List.of(RtpEncoding.ofRid("q"), RtpEncoding.ofRid("h"), RtpEncoding.ofRid("f"))));
    }

    private Producer plainCamera(Endpoint e) {
        return e.produce("camB", new TrackParameters("1", MediaKind.VIDEO, "camera",
                List.of(new RtpCodec("video/VP8", 120, 90000, 1, "", List.of("nack", "nack pli"), 121)),
                List.of(new RtpHeaderExtension(RtpHeaderExtension.RID, 4)), List.of(new RtpEncoding(0xB0B, 0xB0C))));
    }

    private static void assertUnbroken(List<Got> got) {
        for (int i = 0; i < got.size(); i++) {
            Got g = got.get(i);
            assertEquals(0x5107, g.ssrc(), "the slot's SSRC");
            assertEquals(96, g.pt(), "the viewer's payload type");
            if (i == 0) continue;
            Got q = got.get(i - 1);
            assertEquals((q.seq() + 1) & 0xFFFF, g.seq(), "sequence numbers run on across the switches, packet " + i + ": " + got);
            long step = (g.ts() - q.ts()) & 0xFFFF_FFFFL;
            assertTrue(step > 0 && step < 90000, "the timestamp goes forward by less than a second, packet " + i + ": " + got);
            assertEquals((q.pictureId() + 1) & 0x7FFF, g.pictureId(), "PictureIDs run on, packet " + i + ": " + got);
            assertEquals((q.tl0() + 1) & 0xFF, g.tl0(), "TL0PICIDXs run on, packet " + i + ": " + got);
        }
    }

    @Test
    void aSlotSwitchesBetweenTwoCamerasWithoutAGapOrAJumpBack() throws Exception {
        Producer a = simulcastCamera(endpoint("a"));
        Producer b = plainCamera(endpoint("b"));
        AudienceSlots slots = AudienceSlots.video(loop, 1, TEMPLATE);
        Consumer viewer = slots.consume(endpoint("v"), 0, "c", TEMPLATE);
        viewer.setPreferredSize(1280, 720);
        Stream[] as = {new Stream(0xA1, 65530, 0xFFFF_F000L, 32760, 250), new Stream(0xA2, 100, 5000, 9, 9),
                new Stream(0xA3, 30000, 77777, 20000, 100)};
        Stream bs = new Stream(0xB0B, 4000, 1_000_000, 500, 17);
        List<Got> got = new ArrayList<>();
        inLoop(() -> {
            now = loop.nanoTime();
            slots.setSourcesInLoop(new Producer[] {a});
            // A: q's keyframe first (a viewer starts on any keyframe), then f's: the large tile moves up to f.
            for (int f = 0; f < 12; f++) {
                for (int l = 0; l < 3; l++) {
                    Got g = frame(a, as[l], 100, RIDS[l], 10, l, f == 0 && l == 0 || f == 5 && l == 2, 'A');
                    if (g != null) got.add(g);
                }
            }
            return null;
        });
        assertEquals(2, viewer.strategy().currentLayer(), "the large tile gets f");
        assertArrayEquals(new String[] {"camA"}, slots.mapping());
        int beforeB = got.size();
        inLoop(() -> {
            slots.setSourcesInLoop(new Producer[] {b}); // A leaves the stage, B comes: B takes the freed slot
            for (int f = 0; f < 10; f++) {
                Got g = frame(b, bs, 120, null, 4, 0, f == 3, 'B');
                if (g != null) got.add(g);
                assertTrue(f >= 3 || g == null, "nothing of B before its keyframe");
            }
            return null;
        });
        assertArrayEquals(new String[] {"camB"}, slots.mapping());
        assertEquals(7, got.size() - beforeB, "B from its keyframe on");
        int beforeA = got.size();
        inLoop(() -> {
            slots.setSourcesInLoop(new Producer[] {a}); // and back
            for (int f = 0; f < 8; f++) {
                for (int l = 0; l < 3; l++) {
                    Got g = frame(a, as[l], 100, RIDS[l], 10, l, f == 2 && l == 2, 'A');
                    if (g != null) got.add(g);
                }
            }
            return null;
        });
        List<Got> backOnA = got.subList(beforeA, got.size());
        assertEquals(6, backOnA.size(), "A's f from its keyframe on, one layer only: " + backOnA);
        for (Got g : backOnA) assertEquals(2, g.layer(), "f, for the large tile");
        for (Got g : got.subList(beforeB, beforeA)) assertEquals('B', g.camera());
        assertUnbroken(got);
        assertEquals(3, slots.switches(), "A, B, A");
    }

    @Test
    void eachViewerOfASlotGetsTheLayerOfItsTileAndTheSlotsStayPut() throws Exception {
        Producer a = simulcastCamera(endpoint("a"));
        Producer b = plainCamera(endpoint("b"));
        AudienceSlots slots = AudienceSlots.video(loop, 2, TEMPLATE);
        Consumer small = slots.consume(endpoint("s"), 0, "cs", TEMPLATE);
        Consumer large = slots.consume(endpoint("l"), 0, "cl", TEMPLATE);
        small.setPreferredSize(320, 180);
        large.setPreferredSize(1280, 720);
        Stream[] as = {new Stream(0xA1, 1, 0, 1, 1), new Stream(0xA2, 1, 0, 1, 1), new Stream(0xA3, 1, 0, 1, 1)};
        inLoop(() -> {
            now = loop.nanoTime();
            slots.setSourcesInLoop(new Producer[] {a, b});
            for (int f = 0; f < 6; f++) {
                for (int l = 0; l < 3; l++) frame(a, as[l], 100, RIDS[l], 10, l, f == 0, 'A');
            }
            return null;
        });
        assertEquals(0, small.strategy().currentLayer(), "the small tile gets q");
        assertEquals(2, large.strategy().currentLayer(), "the large tile gets f");
        assertTrue(((a.sendingLayers() & 0b101) == 0b101), "the publisher keeps sending what the slot's viewers take");
        assertArrayEquals(new String[] {"camA", "camB"}, slots.mapping(), "in stage order");
        inLoop(() -> {
            slots.setSourcesInLoop(new Producer[] {b}); // A leaves: B stays where it is, A's slot falls silent
            return null;
        });
        assertArrayEquals(new String[] {null, "camB"}, slots.mapping(), "B keeps its slot; A's is silent");
        assertNull(small.producer());
        inLoop(() -> {
            slots.setSourcesInLoop(new Producer[] {b, a}); // A again: the free slot
            return null;
        });
        assertArrayEquals(new String[] {"camA", "camB"}, slots.mapping());
    }
}
