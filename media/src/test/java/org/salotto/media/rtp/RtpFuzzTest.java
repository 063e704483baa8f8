package org.salotto.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer targets for the RTP readers every decrypted packet from a publisher goes through: {@link RtpPacket#validate}
 * with the header accessors, and the RFC 8285 header extension reader and rewriter. Contract: malformed input gives
 * -1/false, never an exception; a valid packet's header, payload and every extension element lie inside it. The input
 * sits at the very end of its array, so a read past its length throws. Round trips: writing back what was read leaves
 * the bytes unchanged; remapping ids through the identity map succeeds exactly when the block validates and changes
 * nothing. Corpus: {@code src/test/resources/org/salotto/media/rtp/RtpFuzzTestInputs/} (browser packets with audio
 * level, transport-wide sequence and mid extensions, both forms).
 */
class RtpFuzzTest {
    private static final int AT = 3;
    private static final byte[] IDENTITY = new byte[256];

    static {
        for (int i = 0; i < IDENTITY.length; i++) IDENTITY[i] = (byte) i;
    }

    private static byte[] place(byte[] packet) {
        byte[] b = new byte[AT + packet.length];
        Arrays.fill(b, 0, AT, (byte) 0x90);
        System.arraycopy(packet, 0, b, AT, packet.length);
        return b;
    }

    @FuzzTest(maxDuration = "30s")
    void validate(byte[] packet) {
        byte[] b = place(packet);
        int len = packet.length;
        RtpPacket.isRtp(b, AT, len);
        int h = RtpPacket.validate(b, AT, len);
        if (h < 0) return;
        assertTrue(h >= RtpPacket.FIXED_HEADER_LENGTH && h <= len, "header length " + h + " of " + len);
        assertEquals(h, RtpPacket.headerLength(b, AT, len));
        int payload = RtpPacket.payloadLength(b, AT, len);
        assertTrue(payload >= 0 && h + payload + RtpPacket.paddingLength(b, AT, len) == len);
        for (int i = 0; i < RtpPacket.csrcCount(b, AT); i++) RtpPacket.csrc(b, AT, i);
        if (RtpPacket.hasExtension(b, AT)) RtpPacket.extensionProfile(b, AT);

        byte[] before = b.clone();
        RtpPacket.setSequenceNumber(b, AT, RtpPacket.sequenceNumber(b, AT));
        RtpPacket.setTimestamp(b, AT, RtpPacket.timestamp(b, AT));
        RtpPacket.setSsrc(b, AT, RtpPacket.ssrc(b, AT));
        RtpPacket.setPayloadType(b, AT, RtpPacket.payloadType(b, AT));
        RtpPacket.setMarker(b, AT, RtpPacket.marker(b, AT));
        assertArrayEquals(before, b);
    }

    @FuzzTest(maxDuration = "30s")
    void headerExtensions(byte[] packet) {
        byte[] b = place(packet);
        int len = packet.length;
        boolean valid = RtpHeaderExtensions.validate(b, AT, len);
        for (int id = 1; id <= 255; id++) {
            long packed = RtpHeaderExtensions.locate(b, AT, len, id);
            if (packed < 0) continue;
            int data = (int) (packed >>> 16);
            int length = (int) (packed & 0xFFFF);
            assertTrue(data > AT && data + length <= AT + len, "element " + id + " outside the packet");
            assertEquals(data, RtpHeaderExtensions.find(b, AT, len, id));
            assertEquals(length, RtpHeaderExtensions.elementLength(b, AT, len, id));
            RtpHeaderExtensions.audioLevel(b, AT, len, id);
            RtpHeaderExtensions.voiceActivity(b, AT, len, id);
            int seq = RtpHeaderExtensions.transportWideSequence(b, AT, len, id);
            if (seq >= 0) {
                assertTrue(RtpHeaderExtensions.setTransportWideSequence(b, AT, len, id, seq ^ 0x5A5A));
                assertEquals(seq ^ 0x5A5A, RtpHeaderExtensions.transportWideSequence(b, AT, len, id));
                RtpHeaderExtensions.setTransportWideSequence(b, AT, len, id, seq);
            }
        }
        byte[] before = b.clone();
        boolean remapped = RtpHeaderExtensions.remapIds(b, AT, len, IDENTITY);
        assertArrayEquals(before, b, "the identity map changed the packet");
        if (RtpPacket.headerLength(b, AT, len) >= 0) {
            assertEquals(valid, remapped, "remapIds and validate disagree on the block's structure");
        } else {
            assertTrue(!valid && !remapped);
        }
    }
}
