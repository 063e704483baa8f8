package org.salotto.media.srtp;

/**
 * The highest packet index seen and a 128-packet sliding window behind it
 * (<a href="https://www.rfc-editor.org/rfc/rfc3711#section-3.3.2">RFC 3711 §3.3.2</a>). Bit k of the window says
 * whether index {@code highest - k} was received. {@link #check} only reads, so a packet is checked before it is
 * authenticated and {@link #accept accepted} after.
 */
final class ReplayWindow {

    static final int SIZE = 128;

    private long highest = -1;
    /** Bits 0..63: highest-0 .. highest-63. */
    private long recent;
    /** Bits 0..63: highest-64 .. highest-127. */
    private long older;

    /** The highest index accepted, or -1 before the first. */
    long highest() {
        return highest;
    }

    /** 0 if {@code index} may be accepted, otherwise {@link SrtpError#REPLAYED} or {@link SrtpError#TOO_OLD}. */
    int check(long index) {
        if (highest < 0) {
            return 0;
        }
        long behind = highest - index;
        if (behind < 0) {
            return 0;
        }
        if (behind >= SIZE) {
            return SrtpError.TOO_OLD;
        }
        long bit = behind < 64 ? recent >>> behind : older >>> (behind - 64);
        return (bit & 1) != 0 ? SrtpError.REPLAYED : 0;
    }

    /** Records {@code index} as received, sliding the window forward if it is the new highest. */
    void accept(long index) {
        if (highest < 0) {
            highest = index;
            recent = 1;
            older = 0;
            return;
        }
        long ahead = index - highest;
        if (ahead > 0) {
            if (ahead >= SIZE) {
                recent = 0;
                older = 0;
            } else if (ahead >= 64) {
                older = recent << (ahead - 64);
                recent = 0;
            } else {
                older = (older << ahead) | (recent >>> (64 - ahead));
                recent <<= ahead;
            }
            recent |= 1;
            highest = index;
        } else {
            long behind = -ahead;
            if (behind < 64) {
                recent |= 1L << behind;
            } else if (behind < SIZE) {
                older |= 1L << (behind - 64);
            }
        }
    }
}
