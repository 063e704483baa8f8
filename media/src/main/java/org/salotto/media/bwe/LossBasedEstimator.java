package org.salotto.media.bwe;

/**
 * The loss-based controller of draft-ietf-rmcat-gcc-02 §6: from the share of packets the peer reports lost, over at
 * least {@link #MIN_PACKETS} packets and {@link #MIN_INTERVAL_NANOS}: above 10% the estimate falls to (1 − 0.5·p) of
 * itself; below 2% it may rise by 5%; in between it holds. It never rises above the delay-based estimate (given as
 * {@code ceiling}), so that it follows that one when loss is low and has nothing to catch up when loss starts.
 */
final class LossBasedEstimator {
    static final int MIN_PACKETS = 20;
    static final long MIN_INTERVAL_NANOS = 200_000_000L;
    static final double HIGH_LOSS = 0.10;
    static final double LOW_LOSS = 0.02;

    private long estimate;
    private int received;
    private int lost;
    private long lastUpdateNanos = Long.MIN_VALUE;
    private double lastLoss;

    LossBasedEstimator(BandwidthSettings settings) {
        this.estimate = settings.startBitrate();
    }

    void onPacket(boolean arrived) {
        if (arrived) received++;
        else lost++;
    }

    /** Applies the loss counted since the last update when there is enough of it; returns the estimate. */
    long update(long ceiling, long nowNanos) {
        int total = received + lost;
        if (lastUpdateNanos == Long.MIN_VALUE) lastUpdateNanos = nowNanos;
        if (total >= MIN_PACKETS && nowNanos - lastUpdateNanos >= MIN_INTERVAL_NANOS) {
            double loss = (double) lost / total;
            lastLoss = loss;
            if (loss > HIGH_LOSS) estimate = (long) (estimate * (1 - 0.5 * loss));
            else if (loss < LOW_LOSS) estimate = (long) (estimate * 1.05) + 1000;
            received = 0;
            lost = 0;
            lastUpdateNanos = nowNanos;
        }
        estimate = Math.min(estimate, ceiling);
        return estimate;
    }

    long estimate() {
        return estimate;
    }

    /** The fraction lost over the last window applied, 0..1. */
    double lastLoss() {
        return lastLoss;
    }
}
