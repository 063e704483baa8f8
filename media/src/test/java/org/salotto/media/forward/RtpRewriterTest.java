package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.salotto.media.rtp.RtpPacket;

/** The one place that makes a consumer's sequence numbers and timestamps: wrap-arounds, switches, late packets, NACKs. */
class RtpRewriterTest {
    private static final long MS = 1_000_000L;
    private final byte[] packet = new byte[12];

    /** Rewrites a packet (seq, ts) of {@code source}; returns {seq, ts} as sent, or null when dropped. */
    private long[] send(RtpRewriter r, int source, int seq, long ts, long nowNanos) {
        RtpPacket.writeHeader(packet, 0, false, 96, seq, ts, 0x1234);
        if (!r.rewrite(packet, 0, source, nowNanos)) return null;
        return new long[] {RtpPacket.sequenceNumber(packet, 0), RtpPacket.timestamp(packet, 0)};
    }

    @Test
    void oneSourcePassesThroughUnchangedAcrossBothWrapArounds() {
        RtpRewriter r = new RtpRewriter(90000);
        long ts = 0xFFFF_FF00L;
        for (int i = 0; i < 20; i++) {
            int seq = (65530 + i) & 0xFFFF;
            long[] out = send(r, 0, seq, (ts + i * 3000L) & 0xFFFF_FFFFL, i * 33 * MS);
            assertEquals(seq, out[0]);
            assertEquals((ts + i * 3000L) & 0xFFFF_FFFFL, out[1]);
        }
        assertEquals(65530 + 19, r.highestSequence(), "the output counter is unwrapped");
    }

    @Test
    void aSwitchContinuesTheSequenceByOneAndTheTimestampByTheTimeThatPassed() {
        RtpRewriter r = new RtpRewriter(90000);
        long[] last = null;
        for (int i = 0; i < 8; i++) last = send(r, 0, (65533 + i) & 0xFFFF, 1000 + i * 3000L, i * 33 * MS);
        assertEquals(4, last[0]); // 65533 + 7 wrapped
        r.switchSource();
        // The new layer numbers its packets and stamps its frames from elsewhere entirely.
        long[] first = send(r, 2, 40000, 0xFFFF_FFF0L, 7 * 33 * MS + 40 * MS);
        assertEquals(5, first[0], "no gap in the sequence");
        assertEquals((1000 + 7 * 3000L + 40 * 90) & 0xFFFF_FFFFL, first[1], "the timestamp moves on by 40 ms");
        // And the new source's own wrap-arounds (timestamp past 2^32) carry through.
        long[] next = send(r, 2, 40001, 0xFFFF_FFF0L + 3000 - 0x1_0000_0000L, 7 * 33 * MS + 73 * MS);
        assertEquals(6, next[0]);
        assertEquals(first[1] + 3000, next[1]);
    }

    @Test
    void aSwitchRightAfterAPacketStillMovesTheTimestampForward() {
        RtpRewriter r = new RtpRewriter(90000);
        long[] a = send(r, 0, 10, 5000, 0);
        r.switchSource();
        long[] b = send(r, 1, 900, 1, 0);
        assertEquals(a[0] + 1, b[0]);
        assertTrue(b[1] > a[1], "the timestamp never stays or goes back at a switch");
    }

    @Test
    void aLatePacketFromBeforeTheSwitchIsDroppedAndReorderingInsideASourceIsKept() {
        RtpRewriter r = new RtpRewriter(90000);
        send(r, 0, 100, 0, 0);
        send(r, 0, 101, 0, MS);
        r.switchSource();
        assertEquals(102, send(r, 1, 7000, 50, 2 * MS)[0]);
        assertEquals(104, send(r, 1, 7002, 50, 3 * MS)[0]);
        assertEquals(103, send(r, 1, 7001, 50, 4 * MS)[0], "a reordered packet of the current source keeps its place");
        assertEquals(null, send(r, 1, 6999, 50, 5 * MS), "a packet older than the switch would collide: dropped");
        assertEquals(105, send(r, 1, 7003, 50, 6 * MS)[0]);
    }

    @Test
    void manySwitchesAcrossTheOutputsWrapAroundNeverRepeatASequenceNumber() {
        RtpRewriter r = new RtpRewriter(90000);
        int expected = 65000;
        long now = 0;
        long lastTs = -1;
        for (int sw = 0; sw < 10; sw++) {
            int base = (sw * 20011) & 0xFFFF;
            long tsBase = (sw * 0x9E37_79B9L) & 0xFFFF_FFFFL;
            for (int i = 0; i < 150; i++) {
                now += 10 * MS;
                long[] out = send(r, sw % 3, (sw == 0 ? expected : base + i) & 0xFFFF, (tsBase + i * 900L) & 0xFFFF_FFFFL, now);
                if (sw == 0) {
                    expected = (expected + 1) & 0xFFFF;
                    continue;
                }
                assertEquals(expected, out[0]);
                expected = (expected + 1) & 0xFFFF;
                if (lastTs >= 0) assertEquals(900, (out[1] - lastTs) & 0xFFFF_FFFFL, "10 ms a packet, at 90 kHz");
                lastTs = out[1];
            }
            r.switchSource();
        }
        assertEquals(65000 + 1500 - 1, r.highestSequence());
    }

    @Test
    void aNackFindsTheSourceAndTheInputNumberOfWhatWasSent() {
        RtpRewriter r = new RtpRewriter(90000);
        send(r, 0, 65534, 0, 0); // out 65534
        send(r, 0, 65535, 0, MS); // out 65535
        r.switchSource();
        send(r, 2, 300, 0, 2 * MS); // out 0
        send(r, 2, 301, 0, 3 * MS); // out 1
        assertEquals(65535, r.sourceOf(65535) & 0xFFFF);
        assertEquals(0, r.sourceOf(65535) >>> 16);
        assertEquals(2L << 16 | 301, r.sourceOf(1));
        assertEquals(2L << 16 | 300, r.sourceOf(0));
        assertEquals(-1, r.sourceOf(2), "not sent yet");
        assertFalse(r.sourceOf(65534) < 0);
    }

    /** A VP8 packet (seq, ts) of {@code source} with a 15-bit PictureID and a TL0PICIDX; returns {pictureId, tl0}. */
    private int[] sendVp8(RtpRewriter r, int source, int seq, int pictureId, int tl0, long nowNanos) {
        byte[] p = new byte[12 + 6];
        RtpPacket.writeHeader(p, 0, false, 96, seq, seq * 3000L, 0x1234);
        p[12] = (byte) 0x90; // X, S
        p[13] = (byte) 0xC0; // I, L
        p[14] = (byte) (0x80 | pictureId >>> 8);
        p[15] = (byte) pictureId;
        p[16] = (byte) tl0;
        p[17] = 0x10;
        if (!r.rewrite(p, 0, source, nowNanos)) return null;
        r.rewriteVp8(p, 12, 6);
        System.arraycopy(p, 0, packet, 0, 12);
        return new int[] {(p[14] & 0x7F) << 8 | p[15] & 0xFF, p[16] & 0xFF};
    }

    @Test
    void vp8FrameCountersGoOnByOneAcrossASwitchAndWrapAsTheirWidths() {
        RtpRewriter r = new RtpRewriter(90000);
        int[] out = null;
        // The first layer passes through, across the 15-bit PictureID's and the 8-bit TL0PICIDX's wrap.
        for (int i = 0; i < 4; i++) {
            out = sendVp8(r, 0, 100 + i, (32766 + i) & 0x7FFF, (254 + i) & 0xFF, i * 33 * MS);
            assertEquals((32766 + i) & 0x7FFF, out[0]);
            assertEquals((254 + i) & 0xFF, out[1]);
        }
        r.switchSource();
        // Another layer counts from elsewhere, lower: the subscriber must still see the next numbers.
        out = sendVp8(r, 2, 7000, 1200, 17, 200 * MS);
        assertEquals(2, out[0], "PictureID 32769 wrapped, the one after the last sent");
        assertEquals(2, out[1], "TL0PICIDX 258 wrapped");
        out = sendVp8(r, 2, 7001, 1201, 18, 233 * MS);
        assertEquals(3, out[0]);
        assertEquals(3, out[1]);
    }

    @Test
    void aRetransmissionCarriesTheFrameCountersItWentOutWith() {
        RtpRewriter r = new RtpRewriter(90000);
        sendVp8(r, 0, 100, 500, 9, 0);
        int[] sent = sendVp8(r, 0, 101, 501, 10, 33 * MS);
        int outSeq = RtpPacket.sequenceNumber(packet, 0);
        r.switchSource();
        sendVp8(r, 1, 9000, 20000, 200, 66 * MS);
        // The stored packet of layer 0, as the producer kept it, sent again as our outSeq.
        byte[] stored = new byte[18];
        RtpPacket.writeHeader(stored, 0, false, 96, 101, 101 * 3000L, 0x1234);
        stored[12] = (byte) 0x90;
        stored[13] = (byte) 0xC0;
        stored[14] = (byte) (0x80 | 501 >>> 8);
        stored[15] = (byte) 501;
        stored[16] = 10;
        r.rewriteVp8Stored(stored, 12, 6, outSeq);
        assertEquals(sent[0], (stored[14] & 0x7F) << 8 | stored[15] & 0xFF);
        assertEquals(sent[1], stored[16] & 0xFF);
    }
}
