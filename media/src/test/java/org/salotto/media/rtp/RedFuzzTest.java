package org.salotto.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.salotto.media.fuzz.FuzzSeeds;

/**
 * Jazzer target for the RED reader (RFC 2198) every audio packet of a publisher that sends RED goes through
 * ({@link RedPayload}). Contract: malformed input gives -1/false, never an exception, and is left untouched; for a
 * well-formed packet the primary block lies inside the payload, and {@link RedPayload#toPrimary} makes, in place, a
 * valid RTP packet with the same header (padding bit cleared) whose payload is exactly the primary block's bytes and
 * nothing after it; rewriting the blocks' payload types keeps the packet well formed for the new one and changes no
 * other byte. The input sits at the very end of its array, so a read past its length throws. Corpus:
 * {@code src/test/resources/org/salotto/media/rtp/RedFuzzTestInputs/} (Chromium-shaped RED with none, one and two
 * redundant blocks, padded, and the malformed shapes of RedPayloadTest).
 */
class RedFuzzTest {
    private static final int AT = 3;
    private static final int OPUS = 111;

    private static byte[] place(byte[] packet) {
        byte[] b = new byte[AT + packet.length];
        Arrays.fill(b, 0, AT, (byte) 0xEF);
        System.arraycopy(packet, 0, b, AT, packet.length);
        return b;
    }

    @FuzzTest(maxDuration = "30s")
    void primary(byte[] packet) {
        byte[] b = place(packet);
        byte[] before = b.clone();
        int len = packet.length;
        int any = RedPayload.primaryOffset(b, AT, len, RedPayload.ANY_PAYLOAD_TYPE);
        int opus = RedPayload.primaryOffset(b, AT, len, OPUS);
        int blocks = RedPayload.blockCount(b, AT, len);
        assertTrue(opus < 0 || opus == any, "a payload well formed for Opus is well formed for any codec");
        assertEquals(any >= 0, blocks >= 1);
        assertArrayEquals(before, b, "reading changed the packet");
        int n = RedPayload.toPrimary(b, AT, len, OPUS);
        if (opus < 0) {
            assertEquals(RedPayload.MALFORMED, n);
            assertArrayEquals(before, b, "a malformed packet was changed");
            return;
        }
        int h = RtpPacket.headerLength(before, AT, len);
        int end = AT + len - RtpPacket.paddingLength(before, AT, len);
        assertTrue(opus > AT + h && opus < end, "the primary lies outside the payload");
        assertEquals(h + end - opus, n);
        assertEquals(h, RtpPacket.validate(b, AT, n), "the primary packet is not valid RTP with the same header");
        assertFalse(RtpPacket.hasPadding(b, AT));
        assertEquals(before[AT] & 0xDF, b[AT] & 0xFF);
        assertArrayEquals(Arrays.copyOfRange(before, AT + 1, AT + h), Arrays.copyOfRange(b, AT + 1, AT + h));
        assertArrayEquals(Arrays.copyOfRange(before, opus, end), Arrays.copyOfRange(b, AT + h, AT + n));
        assertArrayEquals(Arrays.copyOfRange(before, 0, AT), Arrays.copyOfRange(b, 0, AT), "bytes before the packet changed");
    }

    @FuzzTest(maxDuration = "30s")
    void blockPayloadTypes(byte[] packet) {
        byte[] b = place(packet);
        byte[] before = b.clone();
        int len = packet.length;
        int primary = RedPayload.primaryOffset(b, AT, len, RedPayload.ANY_PAYLOAD_TYPE);
        int blocks = RedPayload.blockCount(b, AT, len);
        boolean rewritten = RedPayload.setBlockPayloadTypes(b, AT, len, 109);
        assertEquals(primary >= 0, rewritten);
        if (!rewritten) {
            assertArrayEquals(before, b, "a malformed packet was changed");
            return;
        }
        assertEquals(primary, RedPayload.primaryOffset(b, AT, len, 109), "not well formed for the new payload type");
        assertEquals(blocks, RedPayload.blockCount(b, AT, len));
        int h = RtpPacket.headerLength(b, AT, len);
        int changed = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == before[i]) continue;
            changed++;
            assertTrue(i >= AT + h && i < primary, "a byte outside the block headers changed at " + i);
            assertEquals(before[i] & 0x80, b[i] & 0x80, "a follow bit changed");
        }
        assertTrue(changed <= blocks);
    }

    /** Writes the corpus: RED as Chromium sends it around Opus, and the malformed shapes. */
    @Test
    void writeSeeds() {
        String header = "903f 0010 00003c00 11223344 bede 0001 10 9e 00 00 ";
        String[][] seeds = {
                {"two-redundant", header + "ef 1e0003 ef 0f0002 6f aabbcc ddee 01020304"},
                {"one-redundant", header + "ef 0f0003 6f aabbcc 0102030405"},
                {"primary-only", header + "6f 0102"},
                {"padded", "b03f 0010 00003c00 11223344 bede 0001 10 9e 00 00 ef 000001 6f aa 0102 000003"},
                {"no-extension-marker", "80bf 0001 00000000 0badcafe ef 0f0001 6f 11 2233"},
                {"header-cut-short", header + "ef 1e"},
                {"block-overrun", header + "ef 1e0010 6f aabb"},
                {"empty-primary", header + "ef 1e0002 6f aabb"},
                {"other-codec-inside", header + "ef 1e0001 60 aa bb"},
                {"max-block-length", header + "ef 3fffff 6f " + "00".repeat(1023) + " 01"},
                {"empty-payload", header.strip()},
        };
        for (String[] seed : seeds) {
            byte[] packet = Hex.decode(seed[1]);
            FuzzSeeds.write(RedFuzzTest.class, "primary", seed[0], packet);
            FuzzSeeds.write(RedFuzzTest.class, "blockPayloadTypes", seed[0], packet);
        }
    }
}
