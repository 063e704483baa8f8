package org.salotto.rooms.limits;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (an address, an account, a person), for limits such as "20 logins a minute per address".
 * Thread-safe; one short lock per bucket, none shared across keys.
 *
 * <p>Memory is bounded: a bucket that has refilled completely is no different from a new one, so it is dropped by a
 * sweep (at most once per period, and whenever the map reaches {@code maxKeys}). When {@code maxKeys} buckets are all
 * busy (a flood from very many addresses), new keys share one overflow bucket: they are limited together rather than
 * not at all, and the map does not grow.
 */
public final class RateLimiter {
    private final Rate rate;
    private final LongSupplier nanos;
    private final int maxKeys;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final TokenBucket overflow;
    private final AtomicLong nextSweep;
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param rate    the limit per key ({@link Rate#unlimited()}: every call is allowed)
     * @param nanos   a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own)
     * @param maxKeys how many keys are tracked at most
     */
    public RateLimiter(Rate rate, LongSupplier nanos, int maxKeys) {
        if (maxKeys < 1) throw new IllegalArgumentException("maxKeys must be at least 1");
        this.rate = rate;
        this.nanos = nanos;
        this.maxKeys = maxKeys;
        long now = nanos.getAsLong();
        this.overflow = new TokenBucket(rate, now);
        this.nextSweep = new AtomicLong(now + rate.per().toNanos());
    }

    /**
     * Takes one token for {@code key}: 0 when allowed, otherwise the milliseconds until a token is back (at least 1),
     * and nothing is taken.
     */
    public long tryAcquire(String key) {
        if (!rate.limited()) return 0;
        long now = nanos.getAsLong();
        sweepIfDue(now);
        TokenBucket b = buckets.get(key);
        if (b == null) {
            if (buckets.size() >= maxKeys) {
                sweep(now);
                if (buckets.size() >= maxKeys) b = overflow;
            }
            if (b == null) b = buckets.computeIfAbsent(key, k -> new TokenBucket(rate, now));
        }
        long waitNanos = b.take(now);
        if (waitNanos == 0) return 0;
        refused.incrementAndGet();
        return TokenBucket.millis(waitNanos);
    }

    /** Keys tracked now (for tests and metrics). */
    public int trackedKeys() {
        return buckets.size();
    }

    /** Calls refused since start. */
    public long refused() {
        return refused.get();
    }

    public Rate rate() {
        return rate;
    }

    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now - due >= 0 && nextSweep.compareAndSet(due, now + rate.per().toNanos())) sweep(now);
    }

    /** Drops the buckets that are full again: they hold nothing a new bucket would not. */
    private void sweep(long now) {
        for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (it.next().fullAt(now)) it.remove();
        }
    }
}
