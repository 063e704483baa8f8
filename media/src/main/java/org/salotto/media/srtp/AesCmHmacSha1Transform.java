package org.salotto.media.srtp;

import static org.salotto.media.srtp.AesCounterMode.INT_BE;
import static org.salotto.media.srtp.AesCounterMode.LONG_BE;

/**
 * {@code AES128_CM_HMAC_SHA1_80} (RFC 3711 §4.1.1, §4.2.1, §3.4): AES counter mode with
 * {@code IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16)} and an HMAC-SHA1 tag truncated to 80 bits.
 *
 * <pre>
 *   SRTP:   header | encrypted payload | tag(10)          tag over header|payload|ROC
 *   SRTCP:  header(8) | encrypted rest | E|index(4) | tag(10)   tag over all before it
 * </pre>
 */
final class AesCmHmacSha1Transform implements SrtpTransform {

    static final int TAG_LENGTH = 10;

    private final AesCounterMode aes;
    private final HmacSha1 hmac;
    private final long saltHigh;
    private final long saltLow;

    AesCmHmacSha1Transform(byte[] sessionKey, byte[] sessionSalt, byte[] authKey) {
        if (sessionSalt.length != 14) {
            throw new IllegalArgumentException("AES-CM session salt must be 14 bytes");
        }
        aes = new AesCounterMode(sessionKey);
        hmac = new HmacSha1(authKey);
        byte[] s = new byte[16];
        System.arraycopy(sessionSalt, 0, s, 0, 14);
        saltHigh = (long) LONG_BE.get(s, 0);
        saltLow = (long) LONG_BE.get(s, 8);
    }

    /** The counter block of a packet, in the thread's scratch. */
    private byte[] iv(SrtpScratch scratch, int ssrc, long index) {
        byte[] iv = scratch.iv;
        LONG_BE.set(iv, 0, saltHigh ^ (ssrc & 0xFFFF_FFFFL));
        LONG_BE.set(iv, 8, saltLow ^ (index << 16));
        return iv;
    }

    /** The RTP tag (RFC 3711 §4.2: over the packet, then the rollover counter) into {@code scratch.mac}. */
    private void rtpMac(SrtpScratch scratch, byte[] buf, int off, int len, long index) {
        INT_BE.set(scratch.roc, 0, (int) (index >>> 16));
        hmac.mac(buf, off, len, scratch.roc, 4, scratch.mac);
    }

    @Override
    public int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        SrtpScratch scratch = SrtpScratch.get();
        aes.xor(iv(scratch, ssrc, index), buf, off + headerLength, len - headerLength);
        rtpMac(scratch, buf, off, len, index);
        System.arraycopy(scratch.mac, 0, buf, off + len, TAG_LENGTH);
        return len + TAG_LENGTH;
    }

    @Override
    public int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        SrtpScratch scratch = SrtpScratch.get();
        int end = len - TAG_LENGTH;
        rtpMac(scratch, buf, off, end, index);
        if (!SrtpTransform.tagsEqual(scratch.mac, 0, buf, off + end, TAG_LENGTH)) {
            return SrtpError.AUTH_FAILED;
        }
        aes.xor(iv(scratch, ssrc, index), buf, off + headerLength, end - headerLength);
        return end;
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int srtcpIndex) {
        SrtpScratch scratch = SrtpScratch.get();
        aes.xor(iv(scratch, ssrc, srtcpIndex), buf, off + 8, len - 8);
        INT_BE.set(buf, off + len, 0x8000_0000 | srtcpIndex);
        int authenticated = len + 4;
        hmac.mac(buf, off, authenticated, scratch.roc, 0, scratch.mac);
        System.arraycopy(scratch.mac, 0, buf, off + authenticated, TAG_LENGTH);
        return authenticated + TAG_LENGTH;
    }

    @Override
    public int srtcpIndexPosition(int len) {
        return len - TAG_LENGTH - 4;
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eAndIndex) {
        SrtpScratch scratch = SrtpScratch.get();
        int authenticated = len - TAG_LENGTH;
        hmac.mac(buf, off, authenticated, scratch.roc, 0, scratch.mac);
        if (!SrtpTransform.tagsEqual(scratch.mac, 0, buf, off + authenticated, TAG_LENGTH)) {
            return SrtpError.AUTH_FAILED;
        }
        int end = authenticated - 4;
        if (eAndIndex < 0) {
            aes.xor(iv(scratch, ssrc, eAndIndex & 0x7FFF_FFFF), buf, off + 8, end - 8);
        }
        return end;
    }
}
