package org.salotto.media.forward;

/**
 * Keeps many subscribers' keyframe requests (PLI/FIR) from flooding a publisher: at most one request goes up per
 * interval; a request that comes inside the interval, or before the publisher is connected, is not lost but sent
 * when the interval ends (on the publisher's tick, which runs only while it is connected).
 */
final class KeyframeRequestThrottle {
    static final long INTERVAL_NANOS = 300_000_000L;

    private long lastSentNanos = Long.MIN_VALUE / 2;
    private boolean pending;

    /** Returns true if a request should be sent now; otherwise remembers one for later. */
    boolean request(long nowNanos) {
        if (nowNanos - lastSentNanos >= INTERVAL_NANOS) {
            lastSentNanos = nowNanos;
            pending = false;
            return true;
        }
        pending = true;
        return false;
    }

    /**
     * Remembers a request that cannot go up yet (the publisher's transport is not connected, or the send failed): it
     * is sent by the first {@link #due} once it can, within the interval's limit.
     */
    void defer() {
        pending = true;
    }

    /** Returns true if a remembered request is due now. */
    boolean due(long nowNanos) {
        if (pending && nowNanos - lastSentNanos >= INTERVAL_NANOS) {
            pending = false;
            lastSentNanos = nowNanos;
            return true;
        }
        return false;
    }
}
