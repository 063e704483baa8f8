package org.salotto.media.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over a reused {@link MessageDigest}, writing into the caller's array: {@code javax.crypto.Mac}
 * would return a new array from every {@code doFinal}. Usage per packet: {@link #start()}, {@link #update} any number
 * of times, {@link #finish}. Not thread-safe.
 */
final class HmacSha1 {

    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerHash = new byte[LENGTH];

    HmacSha1(byte[] key) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
        byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    void start() {
        sha1.reset();
        sha1.update(innerPad, 0, BLOCK);
    }

    void update(byte[] b, int off, int len) {
        sha1.update(b, off, len);
    }

    /** Writes the 20-byte MAC to {@code out[outOff, outOff+20)}. */
    void finish(byte[] out, int outOff) {
        try {
            sha1.digest(innerHash, 0, LENGTH);
            sha1.update(outerPad, 0, BLOCK);
            sha1.update(innerHash, 0, LENGTH);
            sha1.digest(out, outOff, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // the arrays hold 20 bytes: cannot happen
        }
    }
}
