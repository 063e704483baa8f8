package org.salotto.media.srtp;

/**
 * The negative codes {@link SrtpContext}'s protect and unprotect methods return instead of a length. Media errors:
 * the caller drops the packet and counts the code; nothing is thrown on the packet path.
 */
public final class SrtpError {

    /** Shorter than its header plus the SRTP/SRTCP trailer. */
    public static final int TOO_SHORT = -1;
    /** The authentication tag did not match (wrong key, tampered or corrupted packet). */
    public static final int AUTH_FAILED = -2;
    /** The packet index was already received (RFC 3711 §3.3.2). */
    public static final int REPLAYED = -3;
    /** The packet index is behind the replay window (RFC 3711 §3.3.2). */
    public static final int TOO_OLD = -4;
    /** Not an RTP/RTCP version 2 packet, or a header that runs past the packet. */
    public static final int MALFORMED = -5;
    /** protect: the buffer has no room after the packet for the trailer. */
    public static final int NO_ROOM = -6;
    /** A new SSRC beyond the number one context tracks. */
    public static final int SSRC_LIMIT = -7;

    private SrtpError() {
    }

    /** A short human description of a code, for logs and counters. */
    public static String describe(int code) {
        return switch (code) {
            case TOO_SHORT -> "packet too short";
            case AUTH_FAILED -> "authentication failed";
            case REPLAYED -> "replayed packet";
            case TOO_OLD -> "packet index behind the replay window";
            case MALFORMED -> "malformed RTP/RTCP header";
            case NO_ROOM -> "no room in the buffer for the SRTP trailer";
            case SSRC_LIMIT -> "too many SSRCs in one SRTP context";
            default -> code >= 0 ? "ok (" + code + " bytes)" : "unknown SRTP error " + code;
        };
    }
}
