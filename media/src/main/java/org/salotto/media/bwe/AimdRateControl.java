package org.salotto.media.bwe;

/**
 * The delay-based rate controller of draft-ietf-rmcat-gcc-02 §5.5: a state machine driven by the overuse detector's
 * signal. Overuse: decrease to β = 0.85 of the rate the peer receives (at most once per {@link
 * #DECREASE_INTERVAL_NANOS}), then hold. Normal: increase, multiplicatively (8% a second) while far from the rate at
 * which the link last saturated, additively (about a packet per response time) near it. Underuse: hold, while the
 * queues drain. An increase never takes the estimate beyond 1.5 times what the peer receives.
 */
final class AimdRateControl {
    enum State { HOLD, INCREASE, DECREASE }

    private static final double BETA = 0.85;
    private static final double MULTIPLICATIVE_PER_SECOND = 1.08;
    /** Round trip assumed (the server measures none towards subscribers yet) plus the draft's 100 ms. */
    private static final double RESPONSE_TIME_SECONDS = 0.2;
    private static final double PACKET_BITS = 1200 * 8;
    private static final long DECREASE_INTERVAL_NANOS = 200_000_000L;

    private final BandwidthSettings settings;
    private long estimate;
    private State state = State.HOLD;
    private long lastUpdateNanos = Long.MIN_VALUE;
    private long lastDecreaseNanos = Long.MIN_VALUE;
    /** The rate at which the link saturated, smoothed, and its normalised variance; NaN until a first decrease. */
    private double linkCapacity = Double.NaN;
    private double linkCapacityVariance = 0.4;

    AimdRateControl(BandwidthSettings settings) {
        this.settings = settings;
        this.estimate = settings.startBitrate();
    }

    long estimate() {
        return estimate;
    }

    State state() {
        return state;
    }

    /**
     * @param usage        the detector's signal
     * @param acknowledged the rate the peer receives (bps), or -1 when not known yet
     */
    long update(BandwidthUsage usage, long acknowledged, long nowNanos) {
        switch (usage) {
            case OVERUSING -> state = State.DECREASE;
            case NORMAL -> {
                if (state == State.HOLD) state = State.INCREASE;
            }
            case UNDERUSING -> state = State.HOLD;
        }
        double dt = lastUpdateNanos == Long.MIN_VALUE ? 0
                : Math.min(1.0, (nowNanos - lastUpdateNanos) / 1e9);
        lastUpdateNanos = nowNanos;
        switch (state) {
            case INCREASE -> increase(dt, acknowledged);
            case DECREASE -> decrease(acknowledged, nowNanos);
            case HOLD -> { }
        }
        estimate = settings.clamp(estimate);
        return estimate;
    }

    private void increase(double dt, long acknowledged) {
        if (acknowledged >= 0 && estimate > 1.5 * acknowledged + 10_000) return; // sending less than we may: no news
        if (!Double.isNaN(linkCapacity) && estimate > linkCapacity + 3 * deviation()) {
            linkCapacity = Double.NaN; // far above where it saturated: the link changed, probe freely again
        }
        double add;
        if (!Double.isNaN(linkCapacity)) {
            add = Math.max(1000, PACKET_BITS / RESPONSE_TIME_SECONDS) * dt;
        } else {
            add = Math.max(1000, estimate * (Math.pow(MULTIPLICATIVE_PER_SECOND, dt) - 1));
        }
        long next = estimate + (long) add;
        if (acknowledged >= 0) next = Math.min(next, Math.max(estimate, (long) (1.5 * acknowledged) + 10_000));
        estimate = next;
    }

    private void decrease(long acknowledged, long nowNanos) {
        if (lastDecreaseNanos != Long.MIN_VALUE && nowNanos - lastDecreaseNanos < DECREASE_INTERVAL_NANOS) {
            state = State.HOLD;
            return;
        }
        long base = acknowledged >= 0 ? acknowledged : estimate;
        long next = (long) (BETA * base);
        if (next < estimate) estimate = next;
        if (acknowledged >= 0) updateLinkCapacity(acknowledged);
        lastDecreaseNanos = nowNanos;
        state = State.HOLD;
    }

    /** The link capacity's standard deviation in bps (the variance is normalised in kbps, as in libwebrtc). */
    private double deviation() {
        return 1000 * Math.sqrt(linkCapacityVariance * linkCapacity / 1000);
    }

    private void updateLinkCapacity(double sample) {
        if (!Double.isNaN(linkCapacity) && sample < linkCapacity - 3 * deviation()) {
            linkCapacity = Double.NaN; // far below: a new link, start over
        }
        if (Double.isNaN(linkCapacity)) {
            linkCapacity = sample;
            return;
        }
        linkCapacity = 0.95 * linkCapacity + 0.05 * sample;
        double errorKbps = (linkCapacity - sample) / 1000;
        linkCapacityVariance = 0.95 * linkCapacityVariance
                + 0.05 * errorKbps * errorKbps / Math.max(linkCapacity / 1000, 1);
        linkCapacityVariance = Math.max(0.4, Math.min(2.5, linkCapacityVariance));
    }
}
