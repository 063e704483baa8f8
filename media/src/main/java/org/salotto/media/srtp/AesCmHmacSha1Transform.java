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
    private final byte[] iv = new byte[AesCounterMode.BLOCK];
    private final byte[] mac = new byte[HmacSha1.LENGTH];
    private final byte[] roc = new byte[4];

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

    private void iv(int ssrc, long index) {
        LONG_BE.set(iv, 0, saltHigh ^ (ssrc & 0xFFFF_FFFFL));
        LONG_BE.set(iv, 8, saltLow ^ (index << 16));
    }

    private void rtpMac(byte[] buf, int off, int len, long index) {
        INT_BE.set(roc, 0, (int) (index >>> 16));
        hmac.start();
        hmac.update(buf, off, len);
        hmac.update(roc, 0, 4);
        hmac.finish(mac, 0);
    }

    @Override
    public int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        iv(ssrc, index);
        aes.xor(iv, buf, off + headerLength, len - headerLength);
        rtpMac(buf, off, len, index);
        System.arraycopy(mac, 0, buf, off + len, TAG_LENGTH);
        return len + TAG_LENGTH;
    }

    @Override
    public int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        int end = len - TAG_LENGTH;
        rtpMac(buf, off, end, index);
        if (!SrtpTransform.tagsEqual(mac, 0, buf, off + end, TAG_LENGTH)) {
            return SrtpError.AUTH_FAILED;
        }
        iv(ssrc, index);
        aes.xor(iv, buf, off + headerLength, end - headerLength);
        return end;
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int srtcpIndex) {
        iv(ssrc, srtcpIndex);
        aes.xor(iv, buf, off + 8, len - 8);
        INT_BE.set(buf, off + len, 0x8000_0000 | srtcpIndex);
        int authenticated = len + 4;
        hmac.start();
        hmac.update(buf, off, authenticated);
        hmac.finish(mac, 0);
        System.arraycopy(mac, 0, buf, off + authenticated, TAG_LENGTH);
        return authenticated + TAG_LENGTH;
    }

    @Override
    public int srtcpIndexPosition(int len) {
        return len - TAG_LENGTH - 4;
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eAndIndex) {
        int authenticated = len - TAG_LENGTH;
        hmac.start();
        hmac.update(buf, off, authenticated);
        hmac.finish(mac, 0);
        if (!SrtpTransform.tagsEqual(mac, 0, buf, off + authenticated, TAG_LENGTH)) {
            return SrtpError.AUTH_FAILED;
        }
        int end = authenticated - 4;
        if (eAndIndex < 0) {
            iv(ssrc, eAndIndex & 0x7FFF_FFFF);
            aes.xor(iv, buf, off + 8, end - 8);
        }
        return end;
    }
}
