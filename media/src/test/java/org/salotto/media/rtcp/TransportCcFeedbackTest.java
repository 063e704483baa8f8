package org.salotto.media.rtcp;

import org.junit.jupiter.api.Test;
import org.salotto.media.rtp.Hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportCcFeedbackTest {
    /**
     * A feedback captured from a WebRTC session, as published with its Wireshark dissection in
     * github.com/olivermichel/webrtc-analysis (test/include/data.h, twcc_pkt1): base 1, 9 packets, reference time 6197520,
     * one run-length chunk (small delta × 9), deltas 7, 3, 11, 14, 0, 1, 0, 2, 6 ms, one byte of RFC 3550 padding.
     */
    static final byte[] CAPTURED = Hex.decode("""
            af cd 00 07  00 00 00 01  dd 58 6e b6  00 01 00 09
            5e 91 10 00  20 09 1c 0c  2c 38 00 04  00 08 18 01""");

    /**
     * Hand-built: base 100, 10 packets, reference time 1 (64 ms), fb count 5. A two-bit vector
     * [small, large, -, small, small, -, -] then a one-bit vector [small, -, small]; deltas +1 ms, -1 ms (large),
     * +2 ms, 0, +4 ms, +0.25 ms; one byte of padding.
     */
    static final byte[] VECTORS = Hex.decode("""
            af cd 00 07  00 00 00 01  5d 93 15 34  00 64 00 0a
            00 00 01 05  d8 50 a8 00  04 ff fc 08  00 10 01 01""");

    record Packet(int seq, boolean received, long arrival) {
    }

    static List<Packet> read(byte[] b, int off, int len) {
        List<Packet> out = new ArrayList<>();
        int n = TransportCcFeedback.forEachPacket(b, off, len, (s, r, t) -> out.add(new Packet(s, r, t)));
        assertEquals(n, out.size());
        return out;
    }

    @Test
    void readsACapturedFeedback() {
        byte[] b = Hex.at(3, CAPTURED);
        assertTrue(TransportCcFeedback.validate(b, 3, CAPTURED.length));
        assertTrue(RtcpPacket.validateCompound(b, 3, CAPTURED.length));
        assertEquals(1, TransportCcFeedback.senderSsrc(b, 3));
        assertEquals(0xdd586eb6, TransportCcFeedback.mediaSsrc(b, 3));
        assertEquals(1, TransportCcFeedback.baseSequence(b, 3));
        assertEquals(9, TransportCcFeedback.packetStatusCount(b, 3));
        assertEquals(6197520, TransportCcFeedback.referenceTime(b, 3));
        assertEquals(0, TransportCcFeedback.feedbackPacketCount(b, 3));
        List<Packet> packets = read(b, 3, CAPTURED.length);
        long ref = 6197520L * 64_000;
        int[] cumulativeMs = {7, 10, 21, 35, 35, 36, 36, 38, 44};
        for (int i = 0; i < 9; i++) {
            assertEquals(new Packet(1 + i, true, ref + cumulativeMs[i] * 1000L), packets.get(i));
        }
    }

    @Test
    void readsStatusVectorsAndLargeNegativeDeltas() {
        byte[] b = VECTORS;
        assertTrue(TransportCcFeedback.validate(b, 0, b.length));
        assertEquals(5, TransportCcFeedback.feedbackPacketCount(b, 0));
        List<Packet> p = read(b, 0, b.length);
        assertEquals(List.of(
                new Packet(100, true, 65_000), new Packet(101, true, 64_000), new Packet(102, false, 0),
                new Packet(103, true, 66_000), new Packet(104, true, 66_000), new Packet(105, false, 0),
                new Packet(106, false, 0), new Packet(107, true, 70_000), new Packet(108, false, 0),
                new Packet(109, true, 70_250)), p);
    }

    @Test
    void rejectsMalformed() {
        byte[] shortDeltas = CAPTURED.clone();
        shortDeltas[15] = 10; // 10 packets: one more delta than the packet holds
        assertFalse(TransportCcFeedback.validate(shortDeltas, 0, shortDeltas.length));
        byte[] reserved = CAPTURED.clone();
        reserved[20] = 0x60; // run-length chunk of the reserved symbol 3
        assertFalse(TransportCcFeedback.validate(reserved, 0, reserved.length));
        byte[] noChunks = CAPTURED.clone();
        noChunks[15] = (byte) 0xff; // 255 packets, chunks run out
        assertFalse(TransportCcFeedback.validate(noChunks, 0, noChunks.length));
        byte[] badPad = CAPTURED.clone();
        badPad[31] = 20; // padding count larger than the body
        assertFalse(TransportCcFeedback.validate(badPad, 0, badPad.length));
        assertFalse(TransportCcFeedback.validate(CAPTURED, 0, 31));
        assertEquals(-1, TransportCcFeedback.forEachPacket(shortDeltas, 0, 32, (s, r, t) -> {
            throw new AssertionError("visited a malformed packet");
        }));
        assertFalse(TransportCcFeedback.validate(FeedbackTest.NACK, 0, FeedbackTest.NACK.length));
    }

    @Test
    void builderReproducesTheCapturedPacket() {
        TransportCcFeedbackBuilder fb = new TransportCcFeedbackBuilder();
        fb.reset(1, 0xdd586eb6, 0);
        long ref = 6197520L * 64_000;
        int[] cumulativeMs = {7, 10, 21, 35, 35, 36, 36, 38, 44};
        for (int i = 0; i < 9; i++) {
            assertTrue(fb.add(1 + i, ref + cumulativeMs[i] * 1000L));
        }
        byte[] out = new byte[64];
        assertEquals(32, fb.length());
        assertEquals(32, fb.write(out, 0));
        assertEquals(java.util.HexFormat.of().formatHex(CAPTURED), java.util.HexFormat.of().formatHex(out, 0, 32));
    }

    @Test
    void builderReproducesTheVectorPacket() {
        TransportCcFeedbackBuilder fb = new TransportCcFeedbackBuilder();
        fb.reset(1, 0x5d931534, 5);
        assertTrue(fb.add(100, 65_000));
        assertTrue(fb.add(101, 64_000));
        assertTrue(fb.add(103, 66_000));
        assertTrue(fb.add(104, 66_000));
        assertTrue(fb.add(107, 70_000));
        assertTrue(fb.add(109, 70_250));
        byte[] out = new byte[64];
        int n = fb.write(out, 0);
        // Same content; our encoder keeps the last 3 symbols in a 2-bit vector only if a large delta is among them.
        assertEquals(32, n);
        assertEquals(java.util.HexFormat.of().formatHex(VECTORS), java.util.HexFormat.of().formatHex(out, 0, n));
    }

    @Test
    void roundTripsRandomArrivalsAcrossTheSequenceWrap() {
        Random rnd = new Random(42);
        TransportCcFeedbackBuilder fb = new TransportCcFeedbackBuilder();
        byte[] out = new byte[1500];
        for (int trial = 0; trial < 300; trial++) {
            fb.reset(11, 22, trial);
            int seq = 65535 - rnd.nextInt(300);
            long t = 1_000_000_000L + rnd.nextInt(1_000_000);
            long[] arrivals = new long[70000];
            boolean[] got = new boolean[70000];
            int first = -1;
            int span = 0;
            int lossPercent = rnd.nextInt(4) == 0 ? 60 : 5;
            while (true) {
                if (rnd.nextInt(100) >= lossPercent) {
                    t += rnd.nextInt(10) == 0 ? rnd.nextInt(200_000) - 60_000 : rnd.nextInt(3000);
                    if (!fb.add(seq & 0xFFFF, t)) {
                        break;
                    }
                    if (first < 0) {
                        first = seq;
                        span = 0;
                    }
                    arrivals[span] = t;
                    got[span] = true;
                }
                if (first >= 0) {
                    span++;
                }
                seq++;
            }
            int n = fb.write(out, 0);
            assertTrue(n <= TransportCcFeedbackBuilder.DEFAULT_MAX_LENGTH, "length " + n);
            assertEquals(0, n % 4);
            assertTrue(RtcpPacket.validateCompound(out, 0, n));
            List<Packet> read = read(out, 0, n);
            assertEquals(fb.packetStatusCount(), read.size());
            for (int i = 0; i < read.size(); i++) {
                Packet p = read.get(i);
                assertEquals((first + i) & 0xFFFF, p.seq());
                assertEquals(got[i], p.received(), "seq " + p.seq());
                if (got[i]) {
                    assertTrue(Math.abs(p.arrival() - arrivals[i]) <= 125, p.arrival() + " vs " + arrivals[i]);
                }
            }
            // Everything after the last reported packet was never added, so the last status is "received".
            assertTrue(read.getLast().received());
        }
    }

    @Test
    void longRunsUseRunLengthChunks() {
        TransportCcFeedbackBuilder fb = new TransportCcFeedbackBuilder();
        fb.reset(1, 2, 0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(fb.add(i, 10_000 + i * 1000L)); // 1000 small deltas: one run chunk
        }
        assertTrue(fb.add(20_000, 1_100_000)); // 18999 losses: three run chunks, then a large delta
        assertEquals(20_001, fb.packetStatusCount());
        byte[] out = new byte[1200];
        int n = fb.write(out, 0);
        // 20 header + 2 run chunks for the received/lost + 2 more for the lost + 1 for the last, 1000 + 2 deltas
        assertEquals((20 + 2 * 5 + 1002 + 3) & ~3, n);
        List<Packet> read = read(out, 0, n);
        assertEquals(20_001, read.size());
        assertFalse(read.get(19_999).received());
        assertEquals(1_100_000, read.get(20_000).arrival());
    }

    @Test
    void addRefusesWhatDoesNotFit() {
        TransportCcFeedbackBuilder fb = new TransportCcFeedbackBuilder(64);
        fb.reset(1, 2, 0);
        assertTrue(fb.add(10, 1_000_000));
        assertFalse(fb.add(10, 1_000_000), "duplicate");
        assertFalse(fb.add(9, 1_000_000), "older");
        assertFalse(fb.add(11, 1_000_000 + 9_000_000), "delta beyond 16 bits of 250 us");
        assertFalse(fb.add(11, 1_000_000 - 9_000_000), "negative delta beyond 16 bits");
        int added = 1;
        int seq = 11;
        while (fb.add(seq, 1_000_000 + seq * 20_000L)) { // each a large delta: 2 bytes + chunk space
            seq += 1;
            added++;
        }
        assertTrue(added > 5);
        byte[] out = new byte[64];
        int n = fb.write(out, 0);
        assertTrue(n <= 64 && n == fb.length());
        assertEquals(added, read(out, 0, n).size());
        fb.reset(1, 2, 1);
        assertTrue(fb.isEmpty());
        assertEquals(0, fb.write(out, 0));
        assertTrue(fb.add(seq, 5_000_000), "a fresh feedback takes the refused packet");
        assertFalse(fb.add(seq + 65535, 5_000_000), "65535 statuses do not fit");
    }

    @Test
    void writeIsRepeatable() {
        TransportCcFeedbackBuilder fb = new TransportCcFeedbackBuilder();
        fb.reset(1, 2, 3);
        fb.add(5, 100_000);
        byte[] a = new byte[64];
        byte[] c = new byte[64];
        int n = fb.write(a, 0);
        assertEquals(n, fb.write(c, 0));
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c));
        fb.add(6, 101_000);
        assertEquals(2, read(a, 0, fb.write(a, 0)).size());
    }
}
