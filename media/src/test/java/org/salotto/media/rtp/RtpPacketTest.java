package org.salotto.media.rtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtpPacketTest {
    /** An Opus packet as Chrome sends it: PT 111, one-byte extensions (audio level id 1, transport-cc id 3). */
    static final byte[] OPUS = Hex.decode("""
            90 6f 1a 2b  00 00 3a 98  12 34 56 78
            be de 00 02  10 9e 31 01  23 00 00 00
            de ad be ef""");

    @Test
    void readsChromeOpusHeader() {
        int off = 5;
        byte[] b = Hex.at(off, OPUS);
        int len = OPUS.length;
        assertTrue(RtpPacket.isRtp(b, off, len));
        assertEquals(24, RtpPacket.validate(b, off, len));
        assertEquals(24, RtpPacket.headerLength(b, off, len));
        assertEquals(2, RtpPacket.version(b, off));
        assertFalse(RtpPacket.hasPadding(b, off));
        assertTrue(RtpPacket.hasExtension(b, off));
        assertEquals(0, RtpPacket.csrcCount(b, off));
        assertFalse(RtpPacket.marker(b, off));
        assertEquals(111, RtpPacket.payloadType(b, off));
        assertEquals(0x1a2b, RtpPacket.sequenceNumber(b, off));
        assertEquals(15000, RtpPacket.timestamp(b, off));
        assertEquals(0x12345678, RtpPacket.ssrc(b, off));
        assertEquals(0, RtpPacket.paddingLength(b, off, len));
        assertEquals(4, RtpPacket.payloadLength(b, off, len));
        assertEquals(0xBEDE, RtpPacket.extensionProfile(b, off));
    }

    @Test
    void settersRewriteInPlaceAndKeepNeighbours() {
        byte[] b = OPUS.clone();
        RtpPacket.setMarker(b, 0, true);
        RtpPacket.setPayloadType(b, 0, 96);
        assertTrue(RtpPacket.marker(b, 0));
        assertEquals(96, RtpPacket.payloadType(b, 0));
        RtpPacket.setMarker(b, 0, false);
        assertEquals(96, RtpPacket.payloadType(b, 0));
        RtpPacket.setSequenceNumber(b, 0, 65535);
        RtpPacket.setTimestamp(b, 0, 0xFFFF_FFFFL);
        RtpPacket.setSsrc(b, 0, 0xCAFEBABE);
        assertEquals(65535, RtpPacket.sequenceNumber(b, 0));
        assertEquals(0xFFFF_FFFFL, RtpPacket.timestamp(b, 0));
        assertEquals(0xCAFEBABE, RtpPacket.ssrc(b, 0));
        assertEquals(0x90, b[0] & 0xFF);
        assertEquals(24, RtpPacket.validate(b, 0, b.length));
    }

    @Test
    void writeHeaderRoundTrips() {
        byte[] b = new byte[12];
        assertEquals(12, RtpPacket.writeHeader(b, 0, true, 96, 513, 0x1_0000_0005L, -2));
        assertEquals("80e00201000000 05fffffffe".replace(" ", ""), java.util.HexFormat.of().formatHex(b));
        assertEquals(12, RtpPacket.validate(b, 0, 12));
        assertEquals(5, RtpPacket.timestamp(b, 0));
    }

    @Test
    void csrcsAndPadding() {
        // CC=2, P=1: 12 + 8 header, 3 payload, 5 padding (count in the last byte).
        byte[] b = Hex.decode("a2 00 00 01 00 00 00 00 00 00 00 09  00 00 00 0a 00 00 00 0b  aa bb cc  00 00 00 00 05");
        assertEquals(20, RtpPacket.validate(b, 0, b.length));
        assertEquals(2, RtpPacket.csrcCount(b, 0));
        assertEquals(11, RtpPacket.csrc(b, 0, 1));
        assertEquals(5, RtpPacket.paddingLength(b, 0, b.length));
        assertEquals(3, RtpPacket.payloadLength(b, 0, b.length));
    }

    @Test
    void rejectsMalformed() {
        byte[] ok = OPUS;
        assertEquals(-1, RtpPacket.validate(ok, 0, 11), "shorter than the fixed header");
        assertEquals(-1, RtpPacket.validate(ok, 0, 15), "extension header truncated");
        assertEquals(-1, RtpPacket.validate(ok, 0, 20), "extension longer than the packet");
        byte[] v1 = ok.clone();
        v1[0] = 0x50;
        assertEquals(-1, RtpPacket.validate(v1, 0, v1.length), "version 1");
        byte[] csrc = ok.clone();
        csrc[0] = (byte) 0x8F; // 15 CSRCs do not fit in 28 bytes
        assertEquals(-1, RtpPacket.validate(csrc, 0, csrc.length));
        byte[] pad = ok.clone();
        pad[0] |= 0x20;
        pad[pad.length - 1] = 5; // 5 > 4 payload bytes
        assertEquals(-1, RtpPacket.validate(pad, 0, pad.length), "padding bigger than payload");
        pad[pad.length - 1] = 0;
        assertEquals(-1, RtpPacket.validate(pad, 0, pad.length), "zero padding count");
        pad[pad.length - 1] = 4;
        assertEquals(24, RtpPacket.validate(pad, 0, pad.length), "padding eating the whole payload is legal");
        assertEquals(-1, RtpPacket.validate(ok, 4, ok.length), "range beyond the array");
        assertEquals(-1, RtpPacket.validate(ok, -1, 12));
        assertEquals(-1, RtpPacket.validate(null, 0, 12));
        assertEquals(-1, RtpPacket.validate(ok, 0, -3));
    }

    @Test
    void demultiplexesRtcpPerRfc5761() {
        byte[] b = OPUS.clone();
        for (int pt = 0; pt < 128; pt++) {
            RtpPacket.setPayloadType(b, 0, pt);
            assertEquals(pt < 64 || pt > 95, RtpPacket.isRtp(b, 0, b.length), "pt " + pt);
        }
        byte[] rr = Hex.decode("81 c9 00 01 00 00 00 01"); // second byte 0xc9 & 0x7f = 73: RTCP
        assertFalse(RtpPacket.isRtp(Hex.at(0, rr), 0, 12));
        assertFalse(RtpPacket.isRtp(OPUS, 0, 11));
    }
}
