package org.salotto.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RFC 7714 §16 (SRTP) and §17 (SRTCP) AEAD_AES_128_GCM test vectors, both directions. The RFC gives the session key
 * and salt, so these skip the KDF.
 */
class AesGcmVectorTest {

    private static final byte[] KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT = Hex.bytes("517569642070726f2071756f"); // "Quid pro quo"

    /** SSRC 0x5501a0b2, SEQ 0xf17b, ROC 0; payload "Gallia est omnis divisa in partes tres". */
    private static final byte[] RTP = Hex.bytes("""
            8040f17b 8041f8d3 5501a0b2 47616c6c
            69612065 7374206f 6d6e6973 20646976
            69736120 696e2070 61727465 73207472
            6573""");
    private static final byte[] SRTP = Hex.bytes("""
            8040f17b 8041f8d3 5501a0b2 f24de3a3
            fb34de6c acba861c 9d7e4bca be633bd5
            0d294e6f 42a5f47a 51c7d19b 36de3adf
            8833899d 7f27beb1 6a9152cf 765ee439
            0cce""");

    /** SSRC "Mars" (0x4d617273), SRTCP index 0x5d4, E=1. */
    private static final byte[] RTCP = Hex.bytes("""
            81c8000d 4d617273 4e545031 4e545032
            52545020 0000042a 0000e930 4c756e61
            deadbeef deadbeef deadbeef deadbeef
            deadbeef""");
    private static final byte[] SRTCP = Hex.bytes("""
            81c8000d 4d617273 63e94885 dcdab67c
            a727d766 2f6b7e99 7ff5c0f7 6c06f32d
            c676a5f1 730d6fda 4ce09b46 86303ded
            0bb9275b c84aa458 96cf4d2f c5abf872
            45d9eade 800005d4""");

    private static SrtpContext context() {
        return SrtpContext.fromSessionKeys(SrtpProfile.AEAD_AES_128_GCM, KEY, SALT, null, KEY, SALT, null);
    }

    @Test
    void protectRtp() {
        byte[] buf = Hex.withRoom(RTP);
        assertEquals(SRTP.length, context().protectRtp(buf, 0, RTP.length));
        assertArrayEquals(SRTP, Arrays.copyOf(buf, SRTP.length));
    }

    @Test
    void unprotectRtp() {
        byte[] buf = SRTP.clone();
        assertEquals(RTP.length, context().unprotectRtp(buf, 0, buf.length));
        assertArrayEquals(RTP, Arrays.copyOf(buf, RTP.length));
    }

    @Test
    void protectRtcp() {
        SrtpContext context = context();
        context.setNextSrtcpIndex(0x4d617273, 0x5d4);
        byte[] buf = Hex.withRoom(RTCP);
        assertEquals(SRTCP.length, context.protectRtcp(buf, 0, RTCP.length));
        assertArrayEquals(SRTCP, Arrays.copyOf(buf, SRTCP.length));
    }

    @Test
    void unprotectRtcp() {
        byte[] buf = SRTCP.clone();
        assertEquals(RTCP.length, context().unprotectRtcp(buf, 0, buf.length));
        assertArrayEquals(RTCP, Arrays.copyOf(buf, RTCP.length));
    }

    @Test
    void tamperedRtcpIndexFailsAuthentication() {
        byte[] buf = SRTCP.clone();
        buf[buf.length - 1] ^= 1; // the index is authenticated (AAD)
        assertEquals(SrtpError.AUTH_FAILED, context().unprotectRtcp(buf, 0, buf.length));
    }
}
