package org.salotto.media.rtp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtpHeaderExtensionsTest {
    /** Two-byte form (0x1000): id 1 len 1 (audio level), id 20 len 0, padding, id 3 len 2 (transport-cc). */
    static final byte[] TWO_BYTE = Hex.decode("""
            90 60 00 01  00 00 00 01  00 00 00 02
            10 00 00 03  01 01 85 14  00 00 03 02  ab cd 00 00
            01 02""");

    @Test
    void oneByteForm() {
        int off = 3;
        byte[] b = Hex.at(off, RtpPacketTest.OPUS);
        int len = RtpPacketTest.OPUS.length;
        assertTrue(RtpHeaderExtensions.validate(b, off, len));
        assertEquals(off + 17, RtpHeaderExtensions.find(b, off, len, 1));
        assertEquals(1, RtpHeaderExtensions.elementLength(b, off, len, 1));
        assertEquals(2, RtpHeaderExtensions.elementLength(b, off, len, 3));
        assertEquals((long) (off + 19) << 16 | 2, RtpHeaderExtensions.locate(b, off, len, 3));
        assertEquals(-1, RtpHeaderExtensions.find(b, off, len, 2));
        assertEquals(30, RtpHeaderExtensions.audioLevel(b, off, len, 1));
        assertTrue(RtpHeaderExtensions.voiceActivity(b, off, len, 1));
        assertEquals(0x0123, RtpHeaderExtensions.transportWideSequence(b, off, len, 3));
        assertEquals(-1, RtpHeaderExtensions.transportWideSequence(b, off, len, 1), "1-byte element is too short");
        assertTrue(RtpHeaderExtensions.setTransportWideSequence(b, off, len, 3, 0xFFFE));
        assertEquals(0xFFFE, RtpHeaderExtensions.transportWideSequence(b, off, len, 3));
        assertFalse(RtpHeaderExtensions.setTransportWideSequence(b, off, len, 7, 1));
    }

    @Test
    void twoByteForm() {
        byte[] b = TWO_BYTE;
        assertTrue(RtpHeaderExtensions.validate(b, 0, b.length));
        assertEquals(5, RtpHeaderExtensions.audioLevel(b, 0, b.length, 1));
        assertTrue(RtpHeaderExtensions.voiceActivity(b, 0, b.length, 1));
        assertEquals(0, RtpHeaderExtensions.elementLength(b, 0, b.length, 20));
        assertEquals(0xabcd, RtpHeaderExtensions.transportWideSequence(b, 0, b.length, 3));
        assertEquals(-1, RtpHeaderExtensions.find(b, 0, b.length, 4));
    }

    @Test
    void remapsOneByteIds() {
        byte[] b = RtpPacketTest.OPUS.clone();
        byte[] map = new byte[16];
        Arrays.fill(map, (byte) 14); // everything unknown becomes 14, which the receiver did not negotiate
        map[1] = 5;
        assertTrue(RtpHeaderExtensions.remapIds(b, 0, b.length, map));
        assertEquals(30, RtpHeaderExtensions.audioLevel(b, 0, b.length, 5));
        assertEquals(0x0123, RtpHeaderExtensions.transportWideSequence(b, 0, b.length, 14));
        assertEquals(-1, RtpHeaderExtensions.find(b, 0, b.length, 1));
        assertEquals(-1, RtpHeaderExtensions.find(b, 0, b.length, 3));
    }

    @Test
    void remapRefusesIllegalIdsWithoutTouchingThePacket() {
        byte[] b = RtpPacketTest.OPUS.clone();
        byte[] map = new byte[16];
        Arrays.fill(map, (byte) 9);
        map[3] = 15; // reserved in the one-byte form
        assertFalse(RtpHeaderExtensions.remapIds(b, 0, b.length, map));
        assertArrayEquals(RtpPacketTest.OPUS, b);
        map[3] = 0;
        assertFalse(RtpHeaderExtensions.remapIds(b, 0, b.length, map));
        assertFalse(RtpHeaderExtensions.remapIds(b, 0, b.length, new byte[2]), "map too short");
        assertArrayEquals(RtpPacketTest.OPUS, b);
    }

    @Test
    void remapsTwoByteIds() {
        byte[] b = TWO_BYTE.clone();
        byte[] map = new byte[256];
        Arrays.fill(map, (byte) 200);
        map[3] = (byte) 130;
        assertTrue(RtpHeaderExtensions.remapIds(b, 0, b.length, map));
        assertEquals(0xabcd, RtpHeaderExtensions.transportWideSequence(b, 0, b.length, 130));
        assertEquals(5, RtpHeaderExtensions.audioLevel(b, 0, b.length, 200));
    }

    @Test
    void noExtensionBlock() {
        byte[] b = new byte[12];
        RtpPacket.writeHeader(b, 0, false, 96, 1, 1, 1);
        assertEquals(-1, RtpHeaderExtensions.find(b, 0, 12, 1));
        assertTrue(RtpHeaderExtensions.validate(b, 0, 12));
        assertTrue(RtpHeaderExtensions.remapIds(b, 0, 12, new byte[16]));
    }

    @Test
    void reservedIdStopsParsingAndOverrunsAreRejected() {
        byte[] b = RtpPacketTest.OPUS.clone();
        b[16] = (byte) 0xF0; // id 15 before everything
        assertEquals(-1, RtpHeaderExtensions.find(b, 0, b.length, 1));
        assertTrue(RtpHeaderExtensions.validate(b, 0, b.length));
        byte[] c = RtpPacketTest.OPUS.clone();
        c[18] = 0x3F; // id 3 claims 16 bytes in an 8-byte block
        assertEquals(-1, RtpHeaderExtensions.find(c, 0, c.length, 3));
        assertFalse(RtpHeaderExtensions.validate(c, 0, c.length));
        assertFalse(RtpHeaderExtensions.remapIds(c, 0, c.length, new byte[16]));
        byte[] d = TWO_BYTE.clone();
        d[23] = 9; // id 3 claims 9 bytes
        assertEquals(-1, RtpHeaderExtensions.transportWideSequence(d, 0, d.length, 3));
        assertFalse(RtpHeaderExtensions.validate(d, 0, d.length));
    }
}
