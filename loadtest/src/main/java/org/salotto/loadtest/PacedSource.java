package org.salotto.loadtest;

/**
 * Something a {@link Pacer} thread runs at its own times: an entry of the {@link TimerWheel}, linked in place so that
 * scheduling allocates nothing.
 */
abstract class PacedSource {
    long deadlineNanos;
    PacedSource nextInSlot;
    volatile boolean stopped;

    /** Does what is due at {@code nowNanos} and returns when to run next (later than now). */
    abstract long run(long nowNanos);

    void stop() {
        stopped = true;
    }
}
