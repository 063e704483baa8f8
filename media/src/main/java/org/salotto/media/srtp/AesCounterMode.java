package org.salotto.media.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode without per-packet allocation: one {@code AES/ECB/NoPadding} cipher, initialised once with the
 * key, encrypts counter blocks laid out in a scratch array, and the result is XORed into the packet.
 *
 * <p>The counter is the last 32 bits of the 16-byte initial block, incremented modulo 2^32 per block. That is GCM's
 * {@code inc32} (RFC 7714, NIST SP 800-38D) and, for SRTP's AES-CM (RFC 3711 §4.1.1), the same as a 128-bit add
 * because the IV's low 16 bits are zero and no packet reaches 2^16 blocks.
 *
 * <p>Not thread-safe (the cipher object keeps state between calls). The counter blocks and keystream are the
 * thread's {@link SrtpScratch}, not this object's.
 */
final class AesCounterMode {

    static final int BLOCK = 16;
    /** Blocks encrypted per cipher call; covers a typical 1200-byte packet in one call. */
    private static final int CHUNK_BLOCKS = 96;
    static final int CHUNK = CHUNK_BLOCKS * BLOCK;

    static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final Cipher ecb;

    AesCounterMode(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding is not available", e);
        }
    }

    /**
     * XORs the keystream that starts at counter block {@code iv} into {@code buf[off, off+len)}.
     *
     * @param iv 16 bytes; not modified
     */
    void xor(byte[] iv, byte[] buf, int off, int len) {
        long head = (long) LONG_BE.get(iv, 0);
        int mid = (int) INT_BE.get(iv, 8);
        int counter = (int) INT_BE.get(iv, 12);
        SrtpScratch scratch = SrtpScratch.get();
        byte[] counters = scratch.counters;
        byte[] keystream = scratch.keystream;
        while (len > 0) {
            int n = Math.min(len, CHUNK);
            int blocks = (n + BLOCK - 1) / BLOCK;
            for (int b = 0, p = 0; b < blocks; b++, p += BLOCK) {
                LONG_BE.set(counters, p, head);
                INT_BE.set(counters, p + 8, mid);
                INT_BE.set(counters, p + 12, counter++);
            }
            encrypt(counters, blocks * BLOCK, keystream);
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                long x = (long) LONG_BE.get(buf, off + i) ^ (long) LONG_BE.get(keystream, i);
                LONG_BE.set(buf, off + i, x);
            }
            for (; i < n; i++) {
                buf[off + i] ^= keystream[i];
            }
            off += n;
            len -= n;
        }
    }

    /** Encrypts one block: {@code out[0,16) = AES(in[0,16))}. {@code in} and {@code out} must differ. */
    void encryptBlock(byte[] in, byte[] out) {
        encrypt(in, BLOCK, out);
    }

    private void encrypt(byte[] in, int len, byte[] out) {
        try {
            ecb.update(in, 0, len, out, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // our scratch arrays are sized for it: cannot happen
        }
    }
}
