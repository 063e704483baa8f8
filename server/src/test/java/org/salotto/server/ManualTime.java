package org.salotto.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The time of a server under test, moved on by hand ({@link SalottoServer#start(ServerConfig, Clock, LongSupplier)}):
 * a wall clock for lifetimes and a nanosecond ticker for the limiters, which advance together. Starts at the real
 * time and never goes back.
 */
final class ManualTime extends Clock implements LongSupplier {
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private final AtomicLong elapsed = new AtomicLong();

    void advance(Duration by) {
        if (by.isNegative()) throw new IllegalArgumentException("time does not go back");
        elapsed.addAndGet(by.toNanos());
    }

    @Override
    public long getAsLong() {
        return startNanos + elapsed.get();
    }

    @Override
    public Instant instant() {
        return start.plusNanos(elapsed.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
