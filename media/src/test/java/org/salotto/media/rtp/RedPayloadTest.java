package org.salotto.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 2198 §3 read byte for byte: the primary block found, taken out in place, and malformed payloads refused. */
class RedPayloadTest {
    private static final int OPUS = 111;
    /** RED PT 63 with an RFC 6464 audio level in a one-byte extension block: 20 bytes of header. */
    private static final String HEADER = "903f 0010 00003c00 11223344 bede 0001 10 9e 00 00";
    /**
     * Two redundant Opus blocks (40 ms and 20 ms old: offsets 1920 and 960, lengths 3 and 2), then the primary's
     * one-byte header, then the data: "aabbcc", "ddee", primary "01020304".
     */
    private static final String TWO_REDUNDANT = "ef 1e0003 ef 0f0002 6f aabbcc ddee 01020304";

    private static byte[] packet(String payload) {
        return Hex.decode(HEADER + " " + payload);
    }

    @Test
    void findsThePrimaryAfterTheRedundantBlocks() {
        byte[] b = packet(TWO_REDUNDANT);
        assertEquals(20 + 9 + 5, RedPayload.primaryOffset(b, 0, b.length, OPUS));
        assertEquals(3, RedPayload.blockCount(b, 0, b.length));
        assertTrue(RedPayload.isValid(b, 0, b.length, OPUS));
    }

    @Test
    void takesThePrimaryOutInPlaceKeepingTheHeaderAndExtensions() {
        byte[] b = packet(TWO_REDUNDANT);
        int n = RedPayload.toPrimary(b, 0, b.length, OPUS);
        assertArrayEquals(packet("01020304"), Arrays.copyOf(b, n));
        assertEquals(20, RtpPacket.validate(b, 0, n));
        assertEquals(RtpHeaderExtensions.audioLevel(packet(TWO_REDUNDANT), 0, b.length, 1), RtpHeaderExtensions.audioLevel(b, 0, n, 1));
    }

    @Test
    void aPrimaryAloneIsOneByteOfHeader() {
        byte[] b = packet("6f 0102");
        assertEquals(21, RedPayload.primaryOffset(b, 0, b.length, OPUS));
        assertEquals(1, RedPayload.blockCount(b, 0, b.length));
        int n = RedPayload.toPrimary(b, 0, b.length, OPUS);
        assertArrayEquals(packet("0102"), Arrays.copyOf(b, n));
    }

    @Test
    void paddingIsLeftOutAndItsBitCleared() {
        byte[] b = Hex.decode("b03f 0010 00003c00 11223344 bede 0001 10 9e 00 00 ef 000001 6f aa 0102 000003");
        assertEquals(20 + 5 + 1, RedPayload.primaryOffset(b, 0, b.length, OPUS));
        int n = RedPayload.toPrimary(b, 0, b.length, OPUS);
        assertArrayEquals(packet("0102"), Arrays.copyOf(b, n));
        assertFalse(RtpPacket.hasPadding(b, 0));
    }

    @Test
    void rewritesTheBlocksPayloadTypesKeepingTheFollowBits() {
        byte[] b = packet(TWO_REDUNDANT);
        assertTrue(RedPayload.setBlockPayloadTypes(b, 0, b.length, 109));
        assertArrayEquals(packet("ed 1e0003 ed 0f0002 6d aabbcc ddee 01020304"), b);
        assertTrue(RedPayload.isValid(b, 0, b.length, 109));
        assertFalse(RedPayload.isValid(b, 0, b.length, OPUS));
    }

    @Test
    void refusesMalformedPayloadsAndLeavesThemAlone() {
        String[] malformed = {
                "", // no header at all
                "ef 1e", // a redundant block's header cut short
                "ef 1e0003", // no primary header after it
                "ef 1e0010 6f aabb", // a redundant block longer than what follows
                "ef 1e0002 6f aabb", // an empty primary
                "6f", // an empty primary, alone
                "ef 1e0001 60 aa bb", // a primary of another payload type than the one negotiated inside
                "e0 1e0001 6f aa bb", // a redundant block of another payload type
        };
        for (String payload : malformed) {
            byte[] b = packet(payload);
            byte[] before = b.clone();
            assertEquals(RedPayload.MALFORMED, RedPayload.primaryOffset(b, 0, b.length, OPUS), payload);
            assertEquals(RedPayload.MALFORMED, RedPayload.toPrimary(b, 0, b.length, OPUS), payload);
            assertArrayEquals(before, b, payload);
        }
        byte[] otherCodec = packet("ef 1e0001 60 aa bb");
        assertTrue(RedPayload.isValid(otherCodec, 0, otherCodec.length, RedPayload.ANY_PAYLOAD_TYPE));
        byte[] empty = packet("6f");
        assertFalse(RedPayload.setBlockPayloadTypes(empty, 0, empty.length, 109));
        assertEquals(0, RedPayload.blockCount(empty, 0, empty.length));
    }

    @Test
    void refusesWhatIsNotRtp() {
        byte[] b = Hex.decode("803f 0010");
        assertEquals(RedPayload.MALFORMED, RedPayload.primaryOffset(b, 0, b.length, OPUS));
        byte[] badPadding = Hex.decode("a03f 0010 00003c00 11223344 6f 0102 ff");
        assertEquals(RedPayload.MALFORMED, RedPayload.toPrimary(badPadding, 0, badPadding.length, OPUS));
    }

    @Test
    void worksAtAnOffset() {
        byte[] p = packet(TWO_REDUNDANT);
        byte[] b = new byte[7 + p.length + 5];
        System.arraycopy(p, 0, b, 7, p.length);
        int n = RedPayload.toPrimary(b, 7, p.length, OPUS);
        assertArrayEquals(packet("01020304"), Arrays.copyOfRange(b, 7, 7 + n));
    }
}
