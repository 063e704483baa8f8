package org.salotto.media.forward;

/**
 * What a receiver report block (RFC 3550 §6.4.1, Appendix A.1 and A.8) says about one incoming stream: extended
 * highest sequence number, cumulative and fractional loss, interarrival jitter, and the last sender report.
 */
final class ReceiveStatistics {
    private final int clockRate;
    private boolean started;
    private int baseSeq;
    private int maxSeq;
    private int cycles;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long transitPrevious;
    private long originNanos;
    private double jitter;
    private long lastSrMiddleNtp;
    private long lastSrArrivalNanos;

    ReceiveStatistics(int clockRate) {
        this.clockRate = clockRate;
    }

    void onPacket(int seq, long rtpTimestamp, long nowNanos) {
        if (!started) {
            started = true;
            baseSeq = seq;
            maxSeq = seq;
            originNanos = nowNanos;
        } else {
            int delta = (seq - maxSeq) & 0xFFFF;
            if (delta != 0 && delta < 0x8000) {
                if (seq < maxSeq) cycles += 0x10000;
                maxSeq = seq;
            }
        }
        received++;
        long arrival = (nowNanos - originNanos) * clockRate / 1_000_000_000L; // relative, so it cannot overflow
        long transit = arrival - rtpTimestamp;
        if (received > 1) {
            long d = Math.abs(transit - transitPrevious);
            jitter += (d - jitter) / 16.0;
        }
        transitPrevious = transit;
    }

    /**
     * A lost packet arrived again as a retransmission: it counts as received, but not for jitter (its transit time
     * includes the repair's round trip), and it cannot be the highest.
     */
    void onRecovered() {
        if (started) received++;
    }

    void onSenderReport(long ntpTimestamp, long nowNanos) {
        lastSrMiddleNtp = (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
        lastSrArrivalNanos = nowNanos;
    }

    boolean hasData() {
        return started;
    }

    long extendedHighestSequence() {
        return (cycles + maxSeq) & 0xFFFFFFFFL;
    }

    long expected() {
        return cycles + maxSeq - baseSeq + 1L;
    }

    /** Cumulative lost, clamped to the 24-bit signed range. */
    int cumulativeLost() {
        long lost = expected() - received;
        return (int) Math.max(-0x800000, Math.min(0x7FFFFF, lost));
    }

    /** Fraction lost since the previous call, in 1/256 (RFC 3550 A.3); advances the interval. */
    int takeFractionLost() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) return 0;
        return (int) ((lostInterval << 8) / expectedInterval);
    }

    long jitter() {
        return (long) jitter;
    }

    long lastSrMiddleNtp() {
        return lastSrMiddleNtp;
    }

    /** Delay since the last SR in 1/65536 s, or 0 when none arrived. */
    long delaySinceLastSr(long nowNanos) {
        if (lastSrArrivalNanos == 0) return 0;
        return ((nowNanos - lastSrArrivalNanos) << 16) / 1_000_000_000L;
    }
}
