package org.salotto.media.srtp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The working memory of the SRTP transforms, one per thread instead of one per context. A server holds two contexts
 * (four transforms) per peer connection but runs them all on its media thread, so scratch arrays kept per transform
 * would cost about 14 KB of heap per connection and push each other out of the CPU cache on every packet sent.
 *
 * <p>Nothing here survives a call: each transform method takes the scratch, uses it and leaves it. A thread gets its
 * scratch on its first packet; after that {@link #get()} allocates nothing.
 */
final class SrtpScratch {

    private static final ThreadLocal<SrtpScratch> PER_THREAD = ThreadLocal.withInitial(SrtpScratch::new);

    /** Counter blocks for {@link AesCounterMode}. */
    final byte[] counters = new byte[AesCounterMode.CHUNK];
    /** Their encryption, XORed into the packet. */
    final byte[] keystream = new byte[AesCounterMode.CHUNK];
    /** SHA-1 for {@link HmacSha1}; reset at the start of every MAC. */
    final MessageDigest sha1;
    /** HMAC's inner hash. */
    final byte[] innerHash = new byte[HmacSha1.LENGTH];
    /** A computed authentication tag, compared with or copied into the packet. */
    final byte[] mac = new byte[HmacSha1.LENGTH];
    /** SRTP's rollover counter as the four bytes the RTP tag covers after the packet. */
    final byte[] roc = new byte[4];
    /** A counter block: the IV of the packet at hand. */
    final byte[] iv = new byte[AesCounterMode.BLOCK];

    private SrtpScratch() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    static SrtpScratch get() {
        return PER_THREAD.get();
    }
}
