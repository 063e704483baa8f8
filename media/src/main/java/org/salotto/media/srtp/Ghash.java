package org.salotto.media.srtp;

import static org.salotto.media.srtp.AesCounterMode.LONG_BE;

/**
 * GHASH, GCM's universal hash (NIST SP 800-38D §6.4), streaming and allocation-free.
 *
 * <p>Multiplication by H uses Shoup's 4-bit tables: {@code table[n] = n·H} for every 4-bit polynomial n, so one
 * multiplication is 32 steps of "multiply the accumulator by x^4, add a table entry" (Horner's rule, highest-degree
 * nibble first). A block is held as two big-endian longs; GCM puts the coefficient of x^0 in the most significant bit,
 * so multiplying by x is a right shift and the bits shifted out are reduced with x^128 = 1 + x + x^2 + x^7, the
 * constant {@code 0xE1} in the top byte.
 *
 * <p>Use: {@link #reset()}, {@link #update}/{@link #pad()} for the AAD, the same for the ciphertext,
 * {@link #lengths}, {@link #finish}. Not thread-safe.
 */
final class Ghash {

    private final long[] tableHigh = new long[16];
    private final long[] tableLow = new long[16];
    /** Reduction of the 4 bits a shift by x^4 drops, placed in the top 16 bits of the high word. */
    private static final long[] REDUCE_4 = new long[16];

    static {
        for (int rem = 0; rem < 16; rem++) {
            long r = 0;
            for (int bit = 0; bit < 4; bit++) {
                if ((rem & (1 << bit)) != 0) {
                    // bit 0 of the low word is x^127; times x^4 it becomes x^(128+3-bit)
                    r ^= 0xE100L >>> (3 - bit);
                }
            }
            REDUCE_4[rem] = r << 48;
        }
    }

    private long high;
    private long low;
    private final byte[] pending = new byte[16];
    private int pendingLength;

    /** @param h the hash subkey, 16 bytes (AES_K of the zero block) */
    Ghash(byte[] h) {
        long vh = (long) LONG_BE.get(h, 0);
        long vl = (long) LONG_BE.get(h, 8);
        // nibble 0b1000 is x^0, 0b0100 is x^1, 0b0010 is x^2, 0b0001 is x^3
        for (int n = 8; n > 0; n >>>= 1) {
            tableHigh[n] = vh;
            tableLow[n] = vl;
            boolean carry = (vl & 1) != 0;
            vl = (vl >>> 1) | (vh << 63);
            vh = vh >>> 1;
            if (carry) {
                vh ^= 0xE1L << 56;
            }
        }
        for (int n = 2; n <= 8; n <<= 1) {
            for (int m = 1; m < n; m++) {
                tableHigh[n + m] = tableHigh[n] ^ tableHigh[m];
                tableLow[n + m] = tableLow[n] ^ tableLow[m];
            }
        }
    }

    void reset() {
        high = 0;
        low = 0;
        pendingLength = 0;
    }

    void update(byte[] b, int off, int len) {
        if (pendingLength > 0) {
            int take = Math.min(16 - pendingLength, len);
            System.arraycopy(b, off, pending, pendingLength, take);
            pendingLength += take;
            off += take;
            len -= take;
            if (pendingLength < 16) {
                return;
            }
            absorb(pending, 0);
            pendingLength = 0;
        }
        while (len >= 16) {
            absorb(b, off);
            off += 16;
            len -= 16;
        }
        if (len > 0) {
            System.arraycopy(b, off, pending, 0, len);
            pendingLength = len;
        }
    }

    /** Zero-pads what was fed since the last block boundary to a full block. */
    void pad() {
        if (pendingLength > 0) {
            for (int i = pendingLength; i < 16; i++) {
                pending[i] = 0;
            }
            absorb(pending, 0);
            pendingLength = 0;
        }
    }

    /** Pads, then hashes the final block {@code len(A) || len(C)} in bits. */
    void lengths(int aadBytes, int ciphertextBytes) {
        pad();
        high ^= (long) aadBytes << 3;
        low ^= (long) ciphertextBytes << 3;
        multiplyByH();
    }

    /** Writes the 16-byte hash to {@code out[off, off+16)}. */
    void finish(byte[] out, int off) {
        LONG_BE.set(out, off, high);
        LONG_BE.set(out, off + 8, low);
    }

    private void absorb(byte[] b, int off) {
        high ^= (long) LONG_BE.get(b, off);
        low ^= (long) LONG_BE.get(b, off + 8);
        multiplyByH();
    }

    private void multiplyByH() {
        long zh = 0;
        long zl = 0;
        long word = low; // highest-degree nibbles are in the low word's least significant bits
        for (int half = 0; half < 2; half++) {
            for (int shift = 0; shift < 64; shift += 4) {
                int rem = (int) zl & 0xF;
                zl = (zl >>> 4) | (zh << 60);
                zh = (zh >>> 4) ^ REDUCE_4[rem];
                int n = (int) (word >>> shift) & 0xF;
                zh ^= tableHigh[n];
                zl ^= tableLow[n];
            }
            word = high;
        }
        high = zh;
        low = zl;
    }
}
