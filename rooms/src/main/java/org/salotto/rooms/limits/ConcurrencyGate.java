package org.salotto.rooms.limits;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.salotto.rooms.RoomException;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * At most {@code permits} of a costly job (an Argon2id hash: 19 MiB and tens of milliseconds of a core) at once, with a
 * short queue: a caller waits at most {@code maxWait} among at most {@code queue} others, and past that is refused
 * with {@code busy} (503, try again in a second) at once. Password guessing from any number of addresses can so take
 * no more than {@code permits} cores and {@code permits} hashes' memory, and every other request keeps its share.
 */
public final class ConcurrencyGate {
    private final Semaphore permits;
    private final int queue;
    private final long maxWaitNanos;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    public ConcurrencyGate(int permits, int queue, Duration maxWait) {
        if (permits < 1 || queue < 0) throw new IllegalArgumentException("permits at least 1, queue not negative");
        this.permits = new Semaphore(permits, true);
        this.queue = queue;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** Runs {@code job} once a permit is free, or refuses with {@code busy}. */
    public <T> T call(Supplier<T> job) throws RoomException {
        if (!permits.tryAcquire()) {
            if (waiting.incrementAndGet() > queue) {
                waiting.decrementAndGet();
                throw refuse();
            }
            boolean got;
            try {
                got = permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                got = false;
            } finally {
                waiting.decrementAndGet();
            }
            if (!got) throw refuse();
        }
        try {
            return job.get();
        } finally {
            permits.release();
        }
    }

    /** Jobs running now. */
    public int running(int total) {
        return total - permits.availablePermits();
    }

    /** Callers waiting for a permit now. */
    public int waiting() {
        return waiting.get();
    }

    public long refused() {
        return refused.get();
    }

    private RoomException refuse() {
        refused.incrementAndGet();
        return new RoomException(ErrorCode.BUSY, "the server is checking too many passwords right now: try again in a moment", 1000);
    }
}
