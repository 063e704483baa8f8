package org.salotto.media.srtp;

import java.security.DigestException;
import java.security.MessageDigest;

/**
 * HMAC-SHA1 (RFC 2104) over the thread's reused {@link MessageDigest} (in {@link SrtpScratch}), writing into the
 * caller's array: {@code javax.crypto.Mac} would return a new array from every {@code doFinal}, and a digest per key
 * would be 300-odd bytes per transform that the per-packet reset makes useless. This object holds only the key's two
 * pads. Not thread-safe per call: {@link #mac} runs start to end on the calling thread.
 */
final class HmacSha1 {

    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];

    HmacSha1(byte[] key) {
        byte[] k = key.length > BLOCK ? SrtpScratch.get().sha1.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    /**
     * Writes the 20-byte MAC of {@code data[off, off+len)} followed by {@code suffix[0, suffixLength)} to
     * {@code out[0, 20)}.
     */
    void mac(byte[] data, int off, int len, byte[] suffix, int suffixLength, byte[] out) {
        SrtpScratch scratch = SrtpScratch.get();
        MessageDigest sha1 = scratch.sha1;
        try {
            sha1.reset();
            sha1.update(innerPad, 0, BLOCK);
            sha1.update(data, off, len);
            if (suffixLength > 0) sha1.update(suffix, 0, suffixLength);
            sha1.digest(scratch.innerHash, 0, LENGTH);
            sha1.update(outerPad, 0, BLOCK);
            sha1.update(scratch.innerHash, 0, LENGTH);
            sha1.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // the arrays hold 20 bytes: cannot happen
        }
    }
}
