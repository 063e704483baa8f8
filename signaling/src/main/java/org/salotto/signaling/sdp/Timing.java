package org.salotto.signaling.sdp;

/**
 * The {@code t=} line (RFC 8866 section 5.9): NTP start and stop times, both 0 for an unbounded session (always so in
 * WebRTC).
 */
public record Timing(long start, long stop) {
    public static final Timing UNBOUNDED = new Timing(0, 0);

    public Timing {
        if (start < 0 || stop < 0) throw new IllegalArgumentException("negative time");
    }

    @Override
    public String toString() {
        return start + " " + stop;
    }
}
