package org.salotto.media.srtp;

/**
 * The cryptographic half of one profile, for one set of session keys (RTP or RTCP). Knows where the tag and the SRTCP
 * index go; knows nothing of SSRC state, rollover counters or replay: {@link SrtpContext} passes the packet index in.
 *
 * <p>Every {@code unprotect} method verifies the tag before it decrypts and leaves the buffer untouched when the tag
 * does not match. Lengths include the header; {@code len} for unprotect includes the trailer.
 */
sealed interface SrtpTransform permits AesCmHmacSha1Transform, AesGcmTransform {

    /** Encrypts the payload in place and appends the tag. Returns the new length. */
    int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index);

    /** Verifies, then decrypts. Returns the length without the tag, or {@link SrtpError#AUTH_FAILED}. */
    int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index);

    /** Encrypts everything after the first 8 bytes and appends E=1|index and the tag. Returns the new length. */
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int srtcpIndex);

    /** The offset from {@code off} of the E|SRTCP index word in a protected packet of length {@code len}. */
    int srtcpIndexPosition(int len);

    /**
     * Verifies, then decrypts if the E flag is set. Returns the length without the trailer, or
     * {@link SrtpError#AUTH_FAILED}.
     */
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eAndIndex);

    /** Compares without an early exit, so the time taken says nothing about where a forged tag went wrong. */
    static boolean tagsEqual(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }
}
