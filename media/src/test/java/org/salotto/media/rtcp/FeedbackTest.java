package org.salotto.media.rtcp;

import org.junit.jupiter.api.Test;
import org.salotto.media.rtp.Hex;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedbackTest {
    static final byte[] PLI = Hex.decode("81 ce 00 02  00 00 00 01  5d 93 15 34");
    static final byte[] FIR = Hex.decode("84 ce 00 04  00 00 00 01  00 00 00 00  5d 93 15 34  07 00 00 00");
    /** NACK for 0x1a2b with BLP 0x0005: 0x1a2b, 0x1a2c, 0x1a2e lost. */
    static final byte[] NACK = Hex.decode("81 cd 00 03  00 00 00 01  5d 93 15 34  1a 2b 00 05");
    /** REMB of exactly 1 Mbit/s: exponent 2, mantissa 250000 (0x3d090). */
    static final byte[] REMB = Hex.decode("8f ce 00 05  00 00 00 01  00 00 00 00  52 45 4d 42  01 0b d0 90  5d 93 15 34");

    private static String hex(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }

    @Test
    void pictureLossIndication() {
        byte[] b = Hex.at(1, PLI);
        assertTrue(PictureLossIndication.validate(b, 1, PLI.length));
        assertEquals(1, PictureLossIndication.senderSsrc(b, 1));
        assertEquals(0x5d931534, PictureLossIndication.mediaSsrc(b, 1));
        PictureLossIndication.setMediaSsrc(b, 1, 0xAABBCCDD);
        assertEquals(0xAABBCCDD, PictureLossIndication.mediaSsrc(b, 1));
        byte[] out = new byte[12];
        assertEquals(12, PictureLossIndication.write(out, 0, 1, 0x5d931534));
        assertArrayEquals(PLI, out);
        assertFalse(PictureLossIndication.validate(FIR, 0, FIR.length), "FMT 4 is not a PLI");
        assertFalse(PictureLossIndication.validate(PLI, 0, 8), "truncated");
        assertFalse(PictureLossIndication.validate(Hex.decode("81 ce 00 01 00 00 00 01"), 0, 8), "no media SSRC");
    }

    @Test
    void fullIntraRequest() {
        byte[] b = FIR.clone();
        assertTrue(FullIntraRequest.validate(b, 0, b.length));
        assertEquals(1, FullIntraRequest.senderSsrc(b, 0));
        assertEquals(0, FullIntraRequest.mediaSsrc(b, 0));
        assertEquals(1, FullIntraRequest.entryCount(b, 0));
        assertEquals(0x5d931534, FullIntraRequest.entrySsrc(b, 0, 0));
        assertEquals(7, FullIntraRequest.entrySequence(b, 0, 0));
        FullIntraRequest.setEntrySsrc(b, 0, 0, 99);
        assertEquals(99, FullIntraRequest.entrySsrc(b, 0, 0));
        byte[] out = new byte[20];
        assertEquals(20, FullIntraRequest.write(out, 0, 1, 0x5d931534, 7));
        assertArrayEquals(FIR, out);
        byte[] partial = Hex.decode("84 ce 00 03  00 00 00 01  00 00 00 00  5d 93 15 34");
        assertFalse(FullIntraRequest.validate(partial, 0, partial.length), "half an entry");
    }

    @Test
    void genericNack() {
        byte[] b = NACK.clone();
        assertTrue(GenericNack.validate(b, 0, b.length));
        assertEquals(0x5d931534, GenericNack.mediaSsrc(b, 0));
        assertEquals(1, GenericNack.fciCount(b, 0));
        assertEquals(0x1a2b, GenericNack.pid(b, 0, 0));
        assertEquals(5, GenericNack.blp(b, 0, 0));
        assertEquals(3, GenericNack.lostCount(b, 0));
        int[] lost = new int[8];
        assertEquals(3, GenericNack.lostSequences(b, 0, lost));
        assertArrayEquals(new int[] {0x1a2b, 0x1a2c, 0x1a2e}, java.util.Arrays.copyOf(lost, 3));
        GenericNack.setMediaSsrc(b, 0, 7);
        assertEquals(7, GenericNack.mediaSsrc(b, 0));

        byte[] out = new byte[GenericNack.maxLength(3)];
        assertEquals(16, GenericNack.write(out, 0, 1, 0x5d931534, new int[] {0x1a2b, 0x1a2c, 0x1a2e}, 3));
        assertEquals(hex(NACK, 0, 16), hex(out, 0, 16));
        assertFalse(GenericNack.validate(PLI, 0, PLI.length));
        assertFalse(GenericNack.validate(Hex.decode("81 cd 00 02 00 00 00 01 00 00 00 02"), 0, 12), "no FCI");
    }

    @Test
    void genericNackPacksAcrossWrapAndSplitsEntries() {
        int[] seqs = {65534, 65535, 0, 15, 16, 40, 56, 57};
        byte[] out = new byte[GenericNack.maxLength(seqs.length)];
        int n = GenericNack.write(out, 0, 1, 2, seqs, seqs.length);
        // PID 65534 takes 65535 (bit 0) and 0 (bit 1); 15 is 17 away so opens PID 15 with 16 (bit 0);
        // PID 40 takes 56 (bit 15); 57 is 17 away from 40 and opens the last entry.
        assertEquals(12 + 4 * 4, n);
        assertTrue(GenericNack.validate(out, 0, n));
        int[] lost = new int[16];
        int c = GenericNack.lostSequences(out, 0, lost);
        assertArrayEquals(seqs, java.util.Arrays.copyOf(lost, c));
        assertEquals("fffe0003" + "000f0001" + "00288000" + "00390000", hex(out, 12, 16));
        assertEquals(-1, GenericNack.write(out, 0, 1, 2, seqs, 0));
    }

    @Test
    void remb() {
        byte[] b = REMB.clone();
        assertTrue(ReceiverEstimatedMaxBitrate.validate(b, 0, b.length));
        assertTrue(RtcpPacket.validateCompound(b, 0, b.length));
        assertEquals(1_000_000, ReceiverEstimatedMaxBitrate.bitrate(b, 0));
        assertEquals(1, ReceiverEstimatedMaxBitrate.ssrcCount(b, 0));
        assertEquals(0x5d931534, ReceiverEstimatedMaxBitrate.ssrc(b, 0, 0));
        assertEquals(0, ReceiverEstimatedMaxBitrate.mediaSsrc(b, 0));
        ReceiverEstimatedMaxBitrate.setSsrc(b, 0, 0, 5);
        assertEquals(5, ReceiverEstimatedMaxBitrate.ssrc(b, 0, 0));
        byte[] out = new byte[24];
        assertEquals(24, ReceiverEstimatedMaxBitrate.write(out, 0, 1, 1_000_000, new int[] {0x5d931534}, 1));
        assertArrayEquals(REMB, out);

        byte[] wrongId = REMB.clone();
        wrongId[15] = 'X';
        assertFalse(ReceiverEstimatedMaxBitrate.validate(wrongId, 0, wrongId.length));
        assertTrue(RtcpPacket.validateCompound(wrongId, 0, wrongId.length), "other application-layer FB is fine");
        byte[] tooMany = REMB.clone();
        tooMany[16] = 2;
        assertFalse(ReceiverEstimatedMaxBitrate.validate(tooMany, 0, tooMany.length));
        assertFalse(RtcpPacket.validateCompound(tooMany, 0, tooMany.length));
    }

    @Test
    void rembBitrateRoundsDownAndSaturates() {
        byte[] out = new byte[20];
        for (long br : new long[] {0, 1, 262_143, 262_144, 2_500_000, 123_456_789, 10_000_000_000L}) {
            ReceiverEstimatedMaxBitrate.write(out, 0, 1, br, null, 0);
            long read = ReceiverEstimatedMaxBitrate.bitrate(out, 0);
            assertTrue(read <= br && read > br - (br >> 17) - 1, br + " -> " + read);
        }
        ReceiverEstimatedMaxBitrate.write(out, 0, 1, -5, null, 0);
        assertEquals(0, ReceiverEstimatedMaxBitrate.bitrate(out, 0));
        out[17] = (byte) 0xFF; // exponent 63 with a non-zero mantissa
        assertEquals(Long.MAX_VALUE, ReceiverEstimatedMaxBitrate.bitrate(out, 0));
    }
}
