package org.salotto.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * AES128_CM_HMAC_SHA1_80 through the whole context, master key to wire bytes: libSRTP's reference packets
 * ({@code srtp_validate()} in libSRTP's {@code test/srtp_driver.c}), made with the RFC 3711 B.3 master key and salt.
 */
class AesCmHmacSha1VectorTest {

    private static final byte[] MASTER_KEY = Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = Hex.bytes("0EC675AD498AFEEBB6960B3AABE6");

    private static final byte[] RTP = Hex.bytes("""
            800f1234 decafbad cafebabe
            abababab abababab abababab abababab""");
    private static final byte[] SRTP = Hex.bytes("""
            800f1234 decafbad cafebabe
            4e55dc4c e79978d8 8ca4d215 949d2402
            b78d6acc 99ea179b 8dbb""");

    private static final byte[] RTCP = Hex.bytes("""
            81c8000b cafebabe
            abababab abababab abababab abababab""");
    /** libSRTP numbers its first SRTCP packet 1 (RFC 3711 says start at 0; receivers do not care). */
    private static final byte[] SRTCP = Hex.bytes("""
            81c8000b cafebabe
            7128035b e487b9bd bef89041 f977a5a8
            80000001
            993e08cd 54d6c123 0798""");

    private static SrtpContext context() {
        return new SrtpContext(SrtpProfile.AES128_CM_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT);
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
        context.setNextSrtcpIndex(0xcafebabe, 1);
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
    void atAnOffsetInsideALargerBuffer() {
        byte[] buf = new byte[7 + RTP.length + 10 + 5];
        System.arraycopy(RTP, 0, buf, 7, RTP.length);
        assertEquals(SRTP.length, context().protectRtp(buf, 7, RTP.length));
        assertArrayEquals(SRTP, Arrays.copyOfRange(buf, 7, 7 + SRTP.length));
        assertEquals(RTP.length, context().unprotectRtp(buf, 7, SRTP.length));
        assertArrayEquals(RTP, Arrays.copyOfRange(buf, 7, 7 + RTP.length));
    }
}
