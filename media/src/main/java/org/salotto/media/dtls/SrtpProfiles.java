package org.salotto.media.dtls;

import org.bouncycastle.tls.SRTPProtectionProfile;

/**
 * The SRTP protection profiles we negotiate in the {@code use_srtp} extension (RFC 5764 section 4.1.2) and the size of
 * the keying material each one needs (RFC 5764 section 4.2: two keys and two salts, client's first).
 */
final class SrtpProfiles {
    /** AEAD_AES_128_GCM (RFC 7714 section 14.2): 16-byte key, 12-byte salt. */
    static final int AEAD_AES_128_GCM = SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM;
    /** SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 section 4.1.2): 16-byte key, 14-byte salt. */
    static final int AES128_CM_HMAC_SHA1_80 = SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;

    /**
     * Our preference order. AES-CM with HMAC-SHA1 first: with our own allocation-free SRTP, its protect costs about a
     * quarter of GCM's, whose GHASH has no hardware help in Java (ForwardBenchmark: 5.0 vs 8.2 us per packet sent,
     * docs/performance.md). GCM stays supported for clients that offer nothing else.
     */
    private static final int[] PREFERRED = {AES128_CM_HMAC_SHA1_80, AEAD_AES_128_GCM};

    private SrtpProfiles() {}

    /** Our most preferred profile among {@code offered}, or -1 when there is none in common. */
    static int select(int[] offered) {
        for (int ours : PREFERRED) {
            for (int theirs : offered) {
                if (ours == theirs) {
                    return ours;
                }
            }
        }
        return -1;
    }

    /** Bytes of RFC 5705 exporter output the profile needs: {@code 2 * (keyLength + saltLength)}. */
    static int keyingMaterialLength(int profile) {
        return switch (profile) {
            case AEAD_AES_128_GCM -> 2 * (16 + 12);
            case AES128_CM_HMAC_SHA1_80 -> 2 * (16 + 14);
            default -> throw new IllegalArgumentException("unsupported SRTP profile " + profile);
        };
    }
}
