package org.salotto.media.srtp;

import static org.salotto.media.srtp.AesCounterMode.INT_BE;
import static org.salotto.media.srtp.AesCounterMode.LONG_BE;

/**
 * {@code AEAD_AES_128_GCM} (RFC 7714): AES-GCM with a 16-byte tag, built from our counter mode and GHASH.
 *
 * <pre>
 *   SRTP  (§8):  IV = (0x0000 | SSRC | ROC | SEQ) XOR salt;  AAD = RTP header
 *                header | ciphertext | tag(16)
 *   SRTCP (§9):  IV = (0x0000 | SSRC | 0x0000 | 0 | index) XOR salt
 *                E=1: AAD = first 8 bytes | E|index,  ciphertext = the rest
 *                E=0: AAD = whole packet | E|index,  no ciphertext (accepted inbound, never sent)
 *                header(8) | ciphertext | tag(16) | E|index(4)
 * </pre>
 *
 * GCM's J0 is IV || 0x00000001; the tag is GHASH XOR AES(J0) and the payload keystream starts at counter 2.
 */
final class AesGcmTransform implements SrtpTransform {

    static final int TAG_LENGTH = 16;
    private static final int FIRST_PAYLOAD_COUNTER = 2;
    private static final int TAG_COUNTER = 1;

    private final AesCounterMode aes;
    private final Ghash ghash;
    private final long saltHigh;
    private final int saltLow;
    private final byte[] iv = new byte[AesCounterMode.BLOCK];
    private final byte[] tagMask = new byte[AesCounterMode.BLOCK];
    private final byte[] tag = new byte[TAG_LENGTH];

    AesGcmTransform(byte[] sessionKey, byte[] sessionSalt) {
        if (sessionSalt.length != 12) {
            throw new IllegalArgumentException("AES-GCM session salt must be 12 bytes");
        }
        aes = new AesCounterMode(sessionKey);
        byte[] h = new byte[AesCounterMode.BLOCK];
        aes.encryptBlock(new byte[AesCounterMode.BLOCK], h);
        ghash = new Ghash(h);
        saltHigh = (long) LONG_BE.get(sessionSalt, 0);
        saltLow = (int) INT_BE.get(sessionSalt, 8);
    }

    private void rtpIv(int ssrc, long index) {
        int roc = (int) (index >>> 16);
        LONG_BE.set(iv, 0, saltHigh ^ ((ssrc & 0xFFFF_FFFFL) << 16) ^ (roc >>> 16));
        INT_BE.set(iv, 8, saltLow ^ (roc << 16) ^ ((int) index & 0xFFFF));
    }

    private void rtcpIv(int ssrc, int srtcpIndex) {
        LONG_BE.set(iv, 0, saltHigh ^ ((ssrc & 0xFFFF_FFFFL) << 16));
        INT_BE.set(iv, 8, saltLow ^ srtcpIndex);
    }

    private void counter(int value) {
        INT_BE.set(iv, 12, value);
    }

    /**
     * Computes the tag over AAD {@code a1 || a2} and ciphertext {@code c} into {@link #tag}. The IV must be set;
     * leaves its counter at {@link #TAG_COUNTER}.
     */
    private void computeTag(byte[] buf, int a1Off, int a1Len, int a2Off, int a2Len, int cOff, int cLen) {
        ghash.reset();
        ghash.update(buf, a1Off, a1Len);
        ghash.update(buf, a2Off, a2Len);
        ghash.pad();
        ghash.update(buf, cOff, cLen);
        ghash.lengths(a1Len + a2Len, cLen);
        ghash.finish(tag, 0);
        counter(TAG_COUNTER);
        aes.encryptBlock(iv, tagMask);
        LONG_BE.set(tag, 0, (long) LONG_BE.get(tag, 0) ^ (long) LONG_BE.get(tagMask, 0));
        LONG_BE.set(tag, 8, (long) LONG_BE.get(tag, 8) ^ (long) LONG_BE.get(tagMask, 8));
    }

    private void crypt(byte[] buf, int off, int len) {
        counter(FIRST_PAYLOAD_COUNTER);
        aes.xor(iv, buf, off, len);
    }

    @Override
    public int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        rtpIv(ssrc, index);
        crypt(buf, off + headerLength, len - headerLength);
        computeTag(buf, off, headerLength, off, 0, off + headerLength, len - headerLength);
        System.arraycopy(tag, 0, buf, off + len, TAG_LENGTH);
        return len + TAG_LENGTH;
    }

    @Override
    public int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        int end = len - TAG_LENGTH;
        rtpIv(ssrc, index);
        computeTag(buf, off, headerLength, off, 0, off + headerLength, end - headerLength);
        if (!SrtpTransform.tagsEqual(tag, 0, buf, off + end, TAG_LENGTH)) {
            return SrtpError.AUTH_FAILED;
        }
        crypt(buf, off + headerLength, end - headerLength);
        return end;
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int srtcpIndex) {
        rtcpIv(ssrc, srtcpIndex);
        crypt(buf, off + 8, len - 8);
        int indexAt = off + len + TAG_LENGTH;
        INT_BE.set(buf, indexAt, 0x8000_0000 | srtcpIndex);
        computeTag(buf, off, 8, indexAt, 4, off + 8, len - 8);
        System.arraycopy(tag, 0, buf, off + len, TAG_LENGTH);
        return len + TAG_LENGTH + 4;
    }

    @Override
    public int srtcpIndexPosition(int len) {
        return len - 4;
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eAndIndex) {
        int end = len - TAG_LENGTH - 4;
        int indexAt = off + len - 4;
        boolean encrypted = eAndIndex < 0;
        rtcpIv(ssrc, eAndIndex & 0x7FFF_FFFF);
        if (encrypted) {
            computeTag(buf, off, 8, indexAt, 4, off + 8, end - 8);
        } else {
            computeTag(buf, off, end, indexAt, 4, off + end, 0);
        }
        if (!SrtpTransform.tagsEqual(tag, 0, buf, off + end, TAG_LENGTH)) {
            return SrtpError.AUTH_FAILED;
        }
        if (encrypted) {
            crypt(buf, off + 8, end - 8);
        }
        return end;
    }
}
