package org.salotto.media.bwe;

/**
 * Estimates whether the one-way queuing delay is growing: the delay variation between packet groups
 * (draft-ietf-rmcat-gcc-02 §5.2, d(i) = t(i) - t(i-1) - (T(i) - T(i-1))) is accumulated, smoothed, and the slope of
 * the smoothed delay against arrival time over the last {@link #WINDOW} groups is fitted by least squares. The
 * slope, scaled by the number of samples seen (up to 60) and a gain, is what the {@link OveruseDetector} compares with
 * its threshold. This replaces the draft's Kalman filter with the trendline that libwebrtc adopted after it.
 */
final class TrendlineFilter {
    static final int WINDOW = 20;
    private static final double SMOOTHING = 0.9;
    private static final double GAIN = 4.0;
    private static final int MAX_SAMPLES_SCALE = 60;

    private final double[] x = new double[WINDOW];
    private final double[] y = new double[WINDOW];
    private int count;
    private int head;
    private double accumulated;
    private double smoothed;
    private double firstArrivalMs = Double.NaN;
    private int samples;
    private double trend;

    /**
     * Adds one group's delay variation.
     *
     * @param delayVariationMs inter-arrival minus inter-departure time of two consecutive groups
     * @param arrivalMs        the arrival time of the later group (the receiver's clock)
     * @return the scaled trend (0 until the window fills)
     */
    double update(double delayVariationMs, double arrivalMs) {
        if (Double.isNaN(firstArrivalMs)) firstArrivalMs = arrivalMs;
        if (samples < 1000) samples++;
        accumulated += delayVariationMs;
        smoothed = SMOOTHING * smoothed + (1 - SMOOTHING) * accumulated;
        x[head] = arrivalMs - firstArrivalMs;
        y[head] = smoothed;
        head = (head + 1) % WINDOW;
        if (count < WINDOW) count++;
        if (count == WINDOW) {
            double slope = slope();
            if (!Double.isNaN(slope)) trend = slope;
        }
        return Math.min(samples, MAX_SAMPLES_SCALE) * trend * GAIN;
    }

    int samples() {
        return samples;
    }

    private double slope() {
        double sx = 0, sy = 0;
        for (int i = 0; i < count; i++) {
            sx += x[i];
            sy += y[i];
        }
        double mx = sx / count, my = sy / count;
        double num = 0, den = 0;
        for (int i = 0; i < count; i++) {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }
        return den == 0 ? Double.NaN : num / den;
    }
}
