package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
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
 * Two speakers and one listener with one audio slot, on the loop thread with an injected clock: the listener gets the
 * louder speaker's packets only, on its slot's SSRC, payload type and extension id; when the other one out-talks it
 * for the takeover, the slot switches and the listener's sequence numbers and timestamps run on without a gap or a
 * jump back. The listener's transport is not connected, so each forwarded packet is left, rewritten, in the loop's
 * send buffer, where the test reads it.
 */
class AudienceSlotsTest {
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private static final long MS = 1_000_000L;
    private static final TransportListener QUIET = new TransportListener() {
        @Override public void onConnected(WebRtcTransport t) { }
        @Override public void onClosed(WebRtcTransport t, String reason) { }
    };
    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private MediaLoop loop;

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

    /** A speaker's mic: Opus on payload type {@code pt}, audio level on extension id {@code levelId}. */
    private static TrackParameters mic(int pt, int levelId, int ssrc) {
        return new TrackParameters("0", MediaKind.AUDIO, "mic", List.of(new RtpCodec("audio/opus", pt, 48000, 2, "", List.of(), -1)),
                List.of(new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, levelId)), List.of(new RtpEncoding(ssrc, 0)));
    }

    private static final TrackParameters TEMPLATE = new TrackParameters("slot", MediaKind.AUDIO, "mic",
            List.of(new RtpCodec("audio/opus", 111, 48000, 2, "", List.of(), -1)),
            List.of(new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, 1)), List.of(new RtpEncoding(0x5107, 0)));

    /** One 20 ms Opus packet with its audio level, through the producer; what the listener got, or null. */
    private static int[] packet(MediaLoop loop, Producer p, int pt, int levelId, int seq, long ts, int levelDbov, long now) {
        byte[] b = new byte[200];
        RtpPacket.writeHeader(b, 0, false, pt, seq, ts, p.ssrc());
        b[0] |= 0x10;
        b[12] = (byte) 0xBE;
        b[13] = (byte) 0xDE;
        b[14] = 0;
        b[15] = 1;
        b[16] = (byte) (levelId << 4); // one byte of data
        b[17] = (byte) levelDbov;
        int len = 20 + 40;
        byte[] out = loop.sendScratch();
        java.util.Arrays.fill(out, 0, 64, (byte) 0);
        p.onRtp(b, 0, len, now);
        if (RtpPacket.ssrc(out, 0) == 0) return null;
        return new int[] {RtpPacket.ssrc(out, 0), RtpPacket.payloadType(out, 0), RtpPacket.sequenceNumber(out, 0),
                (int) RtpPacket.timestamp(out, 0), (out[16] & 0xFF) >> 4};
    }

    @Test
    void theSlotCarriesTheLouderSpeakerAndSwitchesWithoutAGap() throws Exception {
        Endpoint a = new Endpoint(WebRtcTransport.create("a", loop, IDENTITY, control, QUIET));
        Endpoint b = new Endpoint(WebRtcTransport.create("b", loop, IDENTITY, control, QUIET));
        Endpoint listener = new Endpoint(WebRtcTransport.create("l", loop, IDENTITY, control, QUIET));
        Producer pa = a.produce("ta", mic(111, 3, 0xA));
        Producer pb = b.produce("tb", mic(109, 5, 0xB)); // another browser's payload type and extension id
        AudienceSlots slots = new AudienceSlots(loop, 1, TEMPLATE, 600 * MS);
        Consumer c = slots.consume(listener, 0, "c", TEMPLATE);
        inLoop(() -> {
            slots.setSourcesInLoop(new Producer[] {pa, pb});
            return null;
        });
        long[] now = {inLoop(loop::nanoTime)};
        int[] seqA = {65500};
        long[] tsA = {0xFFFF_0000L};
        int[] seqB = {1000};
        long[] tsB = {123456};
        java.util.List<int[]> got = new java.util.ArrayList<>();
        int[] fromB = {0};
        // 200 ms intervals of ten 20 ms packets each; A speaks (-30 dBov) at first, B is quiet (-100), then B speaks
        // and A falls silent.
        for (int k = 0; k < 30; k++) {
            boolean bTalks = k >= 10;
            inLoop(() -> {
                for (int i = 0; i < 10; i++) {
                    now[0] += 20 * MS;
                    int[] ra = packet(loop, pa, 111, 3, seqA[0], tsA[0], bTalks ? 110 : 30, now[0]);
                    seqA[0] = (seqA[0] + 1) & 0xFFFF;
                    tsA[0] = (tsA[0] + 960) & 0xFFFF_FFFFL;
                    int[] rb = packet(loop, pb, 109, 5, seqB[0], tsB[0], bTalks ? 30 : 100, now[0]);
                    seqB[0] = (seqB[0] + 1) & 0xFFFF;
                    tsB[0] = (tsB[0] + 960) & 0xFFFF_FFFFL;
                    assertTrue(ra == null || rb == null, "one speaker at a time on one slot");
                    if (ra != null) got.add(ra);
                    if (rb != null) {
                        got.add(rb);
                        fromB[0]++;
                    }
                }
                slots.evaluateInLoop(now[0]);
                return null;
            });
            if (k == 9) assertArrayEquals(new String[] {"ta"}, slots.mapping(), "the louder speaker has the slot");
        }
        assertArrayEquals(new String[] {"tb"}, slots.mapping(), "B out-talked A for the takeover: the slot is B's");
        assertTrue(fromB[0] > 0 && fromB[0] < 200, "B's packets came once B held the slot, not before: " + fromB[0]);
        assertEquals(2, slots.switches(), "filled once, switched once");
        for (int i = 0; i < got.size(); i++) {
            int[] p = got.get(i);
            assertEquals(0x5107, p[0], "the slot's SSRC");
            assertEquals(111, p[1], "the listener's payload type");
            assertEquals(1, p[4], "the listener's audio level id");
            if (i > 0) {
                int[] q = got.get(i - 1);
                assertEquals((q[2] + 1) & 0xFFFF, p[2], "sequence numbers run on across the switch (packet " + i + ")");
                long step = (p[3] - q[3]) & 0xFFFF_FFFFL;
                assertTrue(step > 0 && step <= 960 * 2, "timestamps go on, about 20 ms a packet: " + step);
            }
        }
        assertEquals(300, got.size(), "every packet of the slot's speaker, none of the other's");
        assertEquals(0x5107, c.ssrc());
    }

    /**
     * RED through a slot (RFC 2198): a speaker whose browser numbers Opus 109 and RED 120 takes a slot whose template
     * is Opus 111 and RED 63. A listener whose answer kept RED gets the packet whole, RED 63 with blocks of 111; one
     * whose answer dropped RED gets the primary block alone as Opus 111, though both share the slot's source maps.
     */
    @Test
    void aSlotGivesEachListenerRedOrItsPrimaryBlockAsItsAnswerSaid() throws Exception {
        TrackParameters template = new TrackParameters("slot", MediaKind.AUDIO, "mic",
                List.of(new RtpCodec("audio/opus", 111, 48000, 2, "", List.of(), -1),
                        new RtpCodec(RtpCodec.RED, 63, 48000, 2, "111/111", List.of(), -1)),
                List.of(new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, 1)), List.of(new RtpEncoding(0x5107, 0)));
        for (boolean keptRed : new boolean[] {true, false}) {
            Endpoint speaker = new Endpoint(WebRtcTransport.create("s" + keptRed, loop, IDENTITY, control, QUIET));
            Endpoint listener = new Endpoint(WebRtcTransport.create("l" + keptRed, loop, IDENTITY, control, QUIET));
            Producer p = speaker.produce("t" + keptRed, new TrackParameters("0", MediaKind.AUDIO, "mic",
                    List.of(new RtpCodec("audio/opus", 109, 48000, 2, "", List.of(), -1),
                            new RtpCodec(RtpCodec.RED, 120, 48000, 2, "109/109", List.of(), -1)),
                    List.of(new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, 3)), List.of(new RtpEncoding(0xC, 0))));
            AudienceSlots slots = new AudienceSlots(loop, 1, template, 600 * MS);
            Consumer c = slots.consume(listener, 0, "c" + keptRed, template);
            c.setRedNegotiated(keptRed);
            inLoop(() -> {
                slots.setSourcesInLoop(new Producer[] {p});
                return null;
            });
            byte[] out = inLoop(() -> {
                byte[] b = new byte[200];
                RtpPacket.writeHeader(b, 0, false, 120, 7, 96000, p.ssrc());
                b[0] |= 0x10;
                b[12] = (byte) 0xBE;
                b[13] = (byte) 0xDE;
                b[15] = 1;
                b[16] = (byte) (3 << 4);
                b[17] = 30;
                // One redundant block (10 bytes, 960 samples back) and the primary (20 bytes), both Opus 109.
                b[20] = (byte) (0x80 | 109);
                int offsetAndLength = (960 << 10) | 10;
                b[21] = (byte) (offsetAndLength >> 16);
                b[22] = (byte) (offsetAndLength >> 8);
                b[23] = (byte) offsetAndLength;
                b[24] = 109;
                java.util.Arrays.fill(b, 25, 35, (byte) 0x11);
                java.util.Arrays.fill(b, 35, 55, (byte) 0x22);
                byte[] scratch = loop.sendScratch();
                java.util.Arrays.fill(scratch, 0, 64, (byte) 0);
                p.onRtp(b, 0, 55, loop.nanoTime());
                return java.util.Arrays.copyOf(scratch, 64);
            });
            assertEquals(0x5107, RtpPacket.ssrc(out, 0), "the slot forwarded the packet");
            if (keptRed) {
                assertEquals(63, RtpPacket.payloadType(out, 0), "RED under the slot's payload type");
                assertEquals(111, out[20] & 0x7F, "the redundant block's payload type is the slot's Opus");
                assertEquals(111, out[24] & 0x7F, "the primary block's payload type is the slot's Opus");
            } else {
                assertEquals(111, RtpPacket.payloadType(out, 0), "plain Opus for a listener that dropped RED");
                for (int i = 20; i < 40; i++) assertEquals(0x22, out[i], "the primary block alone, at byte " + i);
            }
        }
    }
}
