package org.salotto.media.srtp;

/**
 * The DTLS-SRTP protection profiles we support (RFC 5764 §4.1.2, RFC 7714 §14.2), with the lengths that follow from
 * them. Both use a key derivation rate of 0 and no MKI.
 */
public enum SrtpProfile {

    /** {@code SRTP_AES128_CM_HMAC_SHA1_80}: AES counter mode, HMAC-SHA1 tag truncated to 80 bits. */
    AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10),

    /** {@code SRTP_AEAD_AES_128_GCM}: AES-GCM with a 128-bit tag and a 96-bit salt. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16);

    /** Length of the SRTCP E flag and 31-bit index word. */
    static final int SRTCP_INDEX_LENGTH = 4;

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int tagLength;

    SrtpProfile(int id, int keyLength, int saltLength, int tagLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
    }

    /** The two-byte protection profile identifier from the DTLS {@code use_srtp} extension. */
    public int id() {
        return id;
    }

    /** Master (and session) key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master (and session) salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** Bytes appended to an SRTP packet: 10 for HMAC-SHA1-80, 16 for GCM. */
    public int rtpAuthTagLength() {
        return tagLength;
    }

    /** Bytes appended to an SRTCP packet: the tag plus the 4-byte E|SRTCP index word. */
    public int rtcpTrailerLength() {
        return tagLength + SRTCP_INDEX_LENGTH;
    }

    /** The profile with this DTLS-SRTP identifier, or {@code null} if we do not support it. */
    public static SrtpProfile fromId(int id) {
        return switch (id) {
            case 0x0001 -> AES128_CM_HMAC_SHA1_80;
            case 0x0007 -> AEAD_AES_128_GCM;
            default -> null;
        };
    }
}
