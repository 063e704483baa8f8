package org.salotto.media.transport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A media loop's clock that a test moves on by hand ({@link MediaLoop}'s clock constructor): ticks, ICE check times
 * and consent then follow the test's steps, not the wall clock. Starts at System.nanoTime and never goes back.
 */
public final class ManualClock implements LongSupplier {
    private final AtomicLong now = new AtomicLong(System.nanoTime());

    @Override
    public long getAsLong() {
        return now.get();
    }

    public void advance(Duration by) {
        if (by.isNegative()) throw new IllegalArgumentException("time does not go back");
        now.addAndGet(by.toNanos());
    }
}
