package org.salotto.rooms.limits;

import java.time.Duration;

/**
 * A rate as the configuration writes it: at most {@code count} in any {@code per}, taken as a token bucket that holds
 * {@code count} tokens and refills one every {@code per / count} (so a burst of {@code count} is allowed, then one
 * per {@code per / count}). A count of 0 means no limit.
 */
public record Rate(int count, Duration per) {
    public Rate {
        if (count < 0) throw new IllegalArgumentException("a rate's count must not be negative");
        if (per == null || per.isNegative() || per.isZero()) throw new IllegalArgumentException("a rate's period must be positive");
    }

    public static Rate of(int count, Duration per) {
        return new Rate(count, per);
    }

    public static Rate unlimited() {
        return new Rate(0, Duration.ofSeconds(1));
    }

    public boolean limited() {
        return count > 0;
    }

    /** Nanoseconds for one token to come back. */
    long nanosPerToken() {
        return Math.max(1, per.toNanos() / count);
    }

    @Override
    public String toString() {
        return limited() ? count + " per " + per : "unlimited";
    }
}
