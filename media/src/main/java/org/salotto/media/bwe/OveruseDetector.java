package org.salotto.media.bwe;

/**
 * Compares the delay trend with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4 and §5.5): over it for more
 * than {@link #OVERUSE_TIME_MS} and still rising is overuse, under its negative is underuse. The threshold follows
 * the trend's magnitude, quickly up and slowly down (γ += Δt · k · (|m| − γ)), so that a path whose delay is noisy
 * (a Wi-Fi link) does not read as congested, and concurrent TCP flows do not starve us; outliers (more than 15 above
 * it) are not followed.
 */
final class OveruseDetector {
    static final double INITIAL_THRESHOLD = 12.5;
    private static final double MIN_THRESHOLD = 6;
    private static final double MAX_THRESHOLD = 600;
    private static final double K_UP = 0.0087;
    private static final double K_DOWN = 0.039;
    private static final double MAX_DEVIATION = 15;
    private static final double OVERUSE_TIME_MS = 10;
    private static final double MAX_THRESHOLD_STEP_MS = 100;

    private double threshold = INITIAL_THRESHOLD;
    private double lastUpdateMs = Double.NaN;
    private double overusingMs = -1;
    private int overuseCount;
    private double previousTrend;
    private BandwidthUsage state = BandwidthUsage.NORMAL;

    /**
     * @param trend       the scaled trend from the {@link TrendlineFilter}
     * @param sendDeltaMs the inter-departure time of the last two groups
     * @param samples     how many delay variations the filter has seen
     * @param nowMs       the time of this feedback
     */
    BandwidthUsage detect(double trend, double sendDeltaMs, int samples, double nowMs) {
        if (samples < 2) return state = BandwidthUsage.NORMAL;
        if (trend > threshold) {
            overusingMs = overusingMs < 0 ? sendDeltaMs / 2 : overusingMs + sendDeltaMs;
            overuseCount++;
            if (overusingMs > OVERUSE_TIME_MS && overuseCount > 1 && trend >= previousTrend) {
                overusingMs = 0;
                overuseCount = 0;
                state = BandwidthUsage.OVERUSING;
            }
        } else if (trend < -threshold) {
            overusingMs = -1;
            overuseCount = 0;
            state = BandwidthUsage.UNDERUSING;
        } else {
            overusingMs = -1;
            overuseCount = 0;
            state = BandwidthUsage.NORMAL;
        }
        previousTrend = trend;
        adaptThreshold(trend, nowMs);
        return state;
    }

    BandwidthUsage state() {
        return state;
    }

    double threshold() {
        return threshold;
    }

    private void adaptThreshold(double trend, double nowMs) {
        if (Double.isNaN(lastUpdateMs)) lastUpdateMs = nowMs;
        double magnitude = Math.abs(trend);
        if (magnitude > threshold + MAX_DEVIATION) {
            lastUpdateMs = nowMs; // a spike: not followed
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        double dt = Math.min(nowMs - lastUpdateMs, MAX_THRESHOLD_STEP_MS);
        threshold += k * (magnitude - threshold) * dt;
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastUpdateMs = nowMs;
    }
}
