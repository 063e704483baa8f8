package org.salotto.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 3711 Appendix B.2, AES-CM keystream test vectors. */
class AesCounterModeTest {

    private static final byte[] SESSION_KEY = Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C");
    private static final byte[] SESSION_SALT = Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");

    @Test
    void keystreamSegmentOfTheAppendix() {
        // 0xFF02 blocks, the whole segment the appendix describes; it lists the first three and the last three.
        byte[] stream = new byte[0xFF02 * 16];
        new AesCounterMode(SESSION_KEY).xor(Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), stream, 0, stream.length);
        assertEquals("e03ead0935c95e80e166b16dd92b4eb4", Hex.of(stream, 0x0000 * 16, 16));
        assertEquals("d23513162b02d0f72a43a2fe4a5f97ab", Hex.of(stream, 0x0001 * 16, 16));
        assertEquals("41e95b3bb0a2e8dd477901e4fca894c0", Hex.of(stream, 0x0002 * 16, 16));
        assertEquals("ec8cdf7398607cb0f2d21675ea9ea1e4", Hex.of(stream, 0xFEFF * 16, 16));
        assertEquals("362b7c3c6773516318a077d7fc5073ae", Hex.of(stream, 0xFF00 * 16, 16));
        assertEquals("6a2cc3787889374fbeb4c81b17ba6c44", Hex.of(stream, 0xFF01 * 16, 16));
    }

    @Test
    void sameKeystreamThroughAnSrtpPacketWithSsrcAndIndexZero() {
        // SSRC 0, ROC 0, SEQ 0: the IV is exactly the salt shifted, so the payload of zeros becomes the keystream.
        SrtpContext context = SrtpContext.fromSessionKeys(SrtpProfile.AES128_CM_HMAC_SHA1_80,
                SESSION_KEY, SESSION_SALT, new byte[20], SESSION_KEY, SESSION_SALT, new byte[20]);
        byte[] packet = new byte[12 + 48];
        packet[0] = (byte) 0x80;
        byte[] buf = Hex.withRoom(packet);
        assertEquals(70, context.protectRtp(buf, 0, packet.length));
        assertEquals("e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab41e95b3bb0a2e8dd477901e4fca894c0",
                Hex.of(buf, 12, 48));
    }
}
