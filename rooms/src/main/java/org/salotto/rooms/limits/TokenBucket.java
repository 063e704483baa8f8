package org.salotto.rooms.limits;

/**
 * One token bucket: holds at most {@code rate.count()} tokens and gets one back every {@code rate.per() / count}.
 * Thread-safe (one short lock of its own). {@link RateLimiter} keeps one per key; a WebSocket connection has its own.
 */
public final class TokenBucket {
    private final Rate rate;
    private double tokens;
    private long last;

    public TokenBucket(Rate rate, long nowNanos) {
        this.rate = rate;
        this.tokens = rate.count();
        this.last = nowNanos;
    }

    /** 0 and one token fewer, or the nanoseconds until a token is back (nothing taken). Always 0 when unlimited. */
    public synchronized long take(long nowNanos) {
        if (!rate.limited()) return 0;
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) * rate.nanosPerToken());
    }

    /** Whether the bucket has refilled completely: it then holds nothing a new one would not. */
    synchronized boolean fullAt(long nowNanos) {
        if (!rate.limited()) return true;
        refill(nowNanos);
        return tokens >= rate.count();
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed <= 0) return;
        tokens = Math.min(rate.count(), tokens + (double) elapsed / rate.nanosPerToken());
        last = now;
    }

    public Rate rate() {
        return rate;
    }

    /** Nanoseconds as whole milliseconds, rounded up, at least 1. */
    public static long millis(long nanos) {
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }
}
