package org.salotto.media.forward;

/**
 * Finds the packets missing from one incoming RTP stream and decides when to ask its sender for them again (RFC 4585
 * generic NACK). Sequence numbers are unwrapped to 64 bits against the highest seen, so a wrap of the 16-bit counter
 * is no gap. Each missing packet has a slot in a fixed table indexed by its unwrapped number; nothing is allocated per
 * packet and nothing is logged. Loop thread only; time comes from the caller (the media loop's clock).
 *
 * <p>The schedule: a gap's packets are first asked for {@link NackSettings#firstDelay} after it was seen (on the next
 * {@link #collectDue} after that), then again every round-trip time (at least {@link NackSettings#minRetryInterval}).
 * A packet is given up on, and a keyframe is wanted instead ({@link #takeKeyframeWanted}), when it has been asked for
 * {@link NackSettings#maxNacks} times and one more interval has passed without it, when it is older than
 * {@link NackSettings#maxAge}, when it falls more than {@link #SLOTS} behind the newest, or when a single gap is wider
 * than the table. The round-trip time is measured from a packet's only NACK to its retransmission (Karn: a packet
 * asked for twice does not tell which request was answered), smoothed as TCP's (1/8).
 */
final class NackGenerator {
    /** The table's size: the widest gap that is repaired packet by packet, and the furthest back a packet is asked for. */
    static final int SLOTS = 512;
    private static final int MASK = SLOTS - 1;
    private static final long EMPTY = Long.MIN_VALUE;
    private static final long MIN_RTT_NANOS = 1_000_000L;

    private final long firstDelayNanos;
    private final long minRetryNanos;
    private final int maxNacks;
    private final long maxAgeNanos;

    private final long[] missing = new long[SLOTS];
    private final long[] seenAt = new long[SLOTS];
    private final long[] dueAt = new long[SLOTS];
    private final long[] lastNackAt = new long[SLOTS];
    private final int[] nacks = new int[SLOTS];
    private int missingCount;
    private boolean started;
    private long highest;
    private long rttNanos;
    private boolean keyframeWanted;
    private int givenUp;
    /** The last packet that came from more than the table behind (RFC 3550 A.1's bad_seq): its successor restarts. */
    private int farBehindNext = -1;

    NackGenerator(NackSettings settings) {
        this.firstDelayNanos = settings.firstDelay().toNanos();
        this.minRetryNanos = settings.minRetryInterval().toNanos();
        this.maxNacks = settings.maxNacks();
        this.maxAgeNanos = settings.maxAge().toNanos();
        this.rttNanos = settings.initialRtt().toNanos();
        java.util.Arrays.fill(missing, EMPTY);
    }

    /** The 64-bit number of a 16-bit sequence number: the one nearest the highest seen. */
    long unwrap(int seq) {
        if (!started) return seq & 0xFFFF;
        int delta = (short) (seq - (int) highest);
        return highest + delta;
    }

    /**
     * An original packet arrived. A jump ahead marks the numbers skipped as missing; an older packet fills its slot if
     * it was missing (it was reordered, or its NACK crossed it).
     *
     * @return true if it filled a gap
     */
    boolean onPacket(int seq, long nowNanos) {
        long ext = unwrap(seq);
        if (!started) {
            started = true;
            highest = ext;
            return false;
        }
        if (ext > highest) {
            long gap = ext - highest - 1;
            if (gap >= SLOTS) {
                clear();
                keyframeWanted = true;
                givenUp += SLOTS; // counted as a table's worth: a jump this wide is as likely a restart as a loss
            } else {
                for (long s = highest + 1; s < ext; s++) markMissing(s, nowNanos);
            }
            highest = ext;
            farBehindNext = -1;
            return false;
        }
        if (highest - ext >= SLOTS) {
            // Far behind: a very late copy, or the sender restarted its numbering (two in a row: RFC 3550 A.1).
            if ((seq & 0xFFFF) == farBehindNext) {
                clear();
                highest = ext;
                farBehindNext = -1;
            } else {
                farBehindNext = (seq + 1) & 0xFFFF;
            }
            return false;
        }
        return fill(ext);
    }

    /** Forgets every missing packet without asking for it or giving up on it (nobody receives the stream). */
    void forget() {
        if (missingCount > 0) clear();
        keyframeWanted = false;
        givenUp = 0;
    }

    /**
     * A retransmission (an unwrapped RTX packet) of {@code seq} arrived. Measures the round trip when the packet was
     * asked for once.
     *
     * @return true if the packet was missing: forward it; false for one already received or given up on
     */
    boolean onRetransmission(int seq, long nowNanos) {
        if (!started) return false;
        long ext = unwrap(seq);
        if (ext >= highest) return false;
        int slot = (int) ext & MASK;
        if (missing[slot] != ext) return false;
        if (nacks[slot] == 1) {
            long sample = Math.max(MIN_RTT_NANOS, Math.min(maxAgeNanos, nowNanos - lastNackAt[slot]));
            rttNanos += (sample - rttNanos) / 8;
        }
        return fill(ext);
    }

    private boolean fill(long ext) {
        int slot = (int) ext & MASK;
        if (missing[slot] != ext) return false;
        missing[slot] = EMPTY;
        missingCount--;
        return true;
    }

    private void markMissing(long ext, long nowNanos) {
        int slot = (int) ext & MASK;
        if (missing[slot] != EMPTY) giveUp(slot); // SLOTS behind: too old to ask for now
        missing[slot] = ext;
        seenAt[slot] = nowNanos;
        dueAt[slot] = nowNanos + firstDelayNanos;
        nacks[slot] = 0;
        missingCount++;
    }

    private void giveUp(int slot) {
        missing[slot] = EMPTY;
        missingCount--;
        givenUp++;
        keyframeWanted = true;
    }

    private void clear() {
        java.util.Arrays.fill(missing, EMPTY);
        missingCount = 0;
    }

    /**
     * Writes the 16-bit sequence numbers to ask for now into {@code out}, oldest first, at most {@code out.length}
     * (the rest stay due), and counts each as asked; gives up on the packets past their last chance.
     *
     * @return how many were written
     */
    int collectDue(long nowNanos, int[] out) {
        if (missingCount == 0) return 0;
        long retry = Math.max(minRetryNanos, rttNanos);
        int n = 0;
        for (int i = 1; i <= SLOTS && n < out.length; i++) {
            long ext = highest - SLOTS + i; // the window (highest - SLOTS, highest], in order
            int slot = (int) ext & MASK;
            long m = missing[slot];
            if (m == EMPTY) continue;
            if (m != ext || nowNanos - seenAt[slot] > maxAgeNanos) {
                giveUp(slot); // left behind by the window, or too old to be of use
                continue;
            }
            if (nowNanos - dueAt[slot] < 0) continue;
            if (nacks[slot] >= maxNacks) {
                giveUp(slot);
                continue;
            }
            out[n++] = (int) (ext & 0xFFFF);
            nacks[slot]++;
            lastNackAt[slot] = nowNanos;
            dueAt[slot] = nowNanos + retry;
        }
        return n;
    }

    /** Whether a packet was given up on since the last call (a keyframe should be asked for); clears it. */
    boolean takeKeyframeWanted() {
        boolean wanted = keyframeWanted;
        keyframeWanted = false;
        return wanted;
    }

    /** Packets given up on since the last call; clears the count. */
    int takeGivenUp() {
        int n = givenUp;
        givenUp = 0;
        return n;
    }

    int missingCount() {
        return missingCount;
    }

    long rttNanos() {
        return rttNanos;
    }

    long highest() {
        return highest;
    }
}
