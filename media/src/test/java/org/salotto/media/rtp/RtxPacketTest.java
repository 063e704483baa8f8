package org.salotto.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 4588 unwrapping: the original comes back byte for byte; padding and malformed packets are told apart. */
class RtxPacketTest {
    private static final int SSRC = 0x11223344;
    private static final int RTX_SSRC = 0x55667788;

    /** The original: VP8 PT 96 seq 0x1234 with a one-byte extension block, payload "abcdef". */
    private static byte[] original() {
        return Hex.decode("9060 1234 00000fa0 11223344 bede 0001 30 05 00 00 616263646566");
    }

    /** What a sender makes of it (RFC 4588 §4): its RTX SSRC, PT 97, its own sequence, the OSN in front. */
    private static byte[] rtx(byte[] original, int at) {
        byte[] b = new byte[at + original.length + 2];
        int h = RtpPacket.headerLength(original, 0, original.length);
        System.arraycopy(original, 0, b, at, h);
        b[at + h] = original[2];
        b[at + h + 1] = original[3];
        System.arraycopy(original, h, b, at + h + 2, original.length - h);
        RtpPacket.setSsrc(b, at, RTX_SSRC);
        RtpPacket.setPayloadType(b, at, 97);
        RtpPacket.setSequenceNumber(b, at, 0x0777);
        return b;
    }

    @Test
    void unwrapsToTheOriginalInPlace() {
        byte[] original = original();
        byte[] b = rtx(original, 5);
        assertEquals(0x1234, RtxPacket.originalSequence(b, 5, b.length - 5));
        int n = RtxPacket.unwrap(b, 5, b.length - 5, SSRC, 96);
        assertEquals(original.length, n);
        assertArrayEquals(original, Arrays.copyOfRange(b, 7, 7 + n));
    }

    @Test
    void keepsTheMarkerCsrcsAndPadding() {
        // M=1, two CSRCs, P=1 with 3 bytes of padding.
        byte[] original = Hex.decode("a2e0 fffe 00000001 11223344 0000000a 0000000b 0102030405 000003");
        byte[] b = rtx(original, 0);
        int n = RtxPacket.unwrap(b, 0, b.length, SSRC, 96);
        assertArrayEquals(original, Arrays.copyOfRange(b, 2, 2 + n));
        assertEquals(0xFFFE, RtpPacket.sequenceNumber(b, 2));
        assertEquals(true, RtpPacket.marker(b, 2));
    }

    @Test
    void anEmptyPayloadIsPaddingOnly() {
        byte[] probe = Hex.decode("a061 0001 00000000 55667788" + " 00".repeat(199) + " c8");
        byte[] before = probe.clone();
        assertEquals(RtxPacket.PADDING_ONLY, RtxPacket.unwrap(probe, 0, probe.length, SSRC, 96));
        assertArrayEquals(before, probe);
        assertEquals(-1, RtxPacket.originalSequence(probe, 0, probe.length));
        byte[] bare = Hex.decode("8061 0001 00000000 55667788");
        assertEquals(RtxPacket.PADDING_ONLY, RtxPacket.unwrap(bare, 0, bare.length, SSRC, 96));
    }

    @Test
    void malformedPacketsAreRefusedAndLeftAlone() {
        byte[] oneByte = Hex.decode("8061 0001 00000000 55667788 12");
        byte[] before = oneByte.clone();
        assertEquals(RtxPacket.MALFORMED, RtxPacket.unwrap(oneByte, 0, oneByte.length, SSRC, 96));
        assertArrayEquals(before, oneByte);
        assertEquals(-1, RtxPacket.originalSequence(oneByte, 0, oneByte.length));
        // One payload byte before one byte of padding.
        byte[] padded = Hex.decode("a061 0001 00000000 55667788 12 01");
        assertEquals(RtxPacket.MALFORMED, RtxPacket.unwrap(padded, 0, padded.length, SSRC, 96));
        byte[] shortHeader = Hex.decode("8061 0001 00000000 5566");
        assertEquals(RtxPacket.MALFORMED, RtxPacket.unwrap(shortHeader, 0, shortHeader.length, SSRC, 96));
        byte[] extensionPastEnd = Hex.decode("9061 0001 00000000 55667788 bede 0009 1234");
        assertEquals(RtxPacket.MALFORMED, RtxPacket.unwrap(extensionPastEnd, 0, extensionPastEnd.length, SSRC, 96));
        byte[] version1 = Hex.decode("4061 0001 00000000 55667788 1234 56");
        assertEquals(RtxPacket.MALFORMED, RtxPacket.unwrap(version1, 0, version1.length, SSRC, 96));
    }
}
