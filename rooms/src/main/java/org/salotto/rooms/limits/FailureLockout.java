package org.salotto.rooms.limits;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Locks a key (an account's username) for a while after {@code failures} wrong passwords in a row: guessing one
 * account's password stops at a handful of tries per lockout, whatever addresses the guesses come from. A success
 * clears the count. Thread-safe, memory bounded as {@link RateLimiter} is: an entry neither locked nor failed within
 * the lockout is dropped by a sweep, and past {@code maxKeys} new keys are not tracked (the per-account rate still
 * holds them).
 */
public final class FailureLockout {
    private final int failures;
    private final long lockoutNanos;
    private final LongSupplier nanos;
    private final int maxKeys;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile long nextSweep;

    /** @param failures wrong passwords in a row that lock the key (0: never locked) */
    public FailureLockout(int failures, Duration lockout, LongSupplier nanos, int maxKeys) {
        this.failures = failures;
        this.lockoutNanos = lockout.toNanos();
        this.nanos = nanos;
        this.maxKeys = maxKeys;
        this.nextSweep = nanos.getAsLong() + lockoutNanos;
    }

    /** 0 when {@code key} may try, otherwise the milliseconds until its lockout ends. */
    public long lockedFor(String key) {
        Entry e = entries.get(key);
        if (e == null) return 0;
        long left = e.lockedUntil(nanos.getAsLong());
        return left <= 0 ? 0 : Math.max(1, (left + 999_999) / 1_000_000);
    }

    /** A wrong password for {@code key}: the last of a run of {@code failures} locks it. */
    public void failed(String key) {
        if (failures <= 0) return;
        long now = nanos.getAsLong();
        if (now - nextSweep >= 0) {
            nextSweep = now + lockoutNanos;
            sweep(now);
        }
        Entry e = entries.get(key);
        if (e == null) {
            if (entries.size() >= maxKeys) sweep(now);
            if (entries.size() >= maxKeys) return;
            e = entries.computeIfAbsent(key, k -> new Entry());
        }
        e.failed(now, failures, lockoutNanos);
    }

    /** The right password: the run of failures starts again from zero. */
    public void succeeded(String key) {
        entries.remove(key);
    }

    public int trackedKeys() {
        return entries.size();
    }

    private void sweep(long now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (it.next().idle(now, lockoutNanos)) it.remove();
        }
    }

    private static final class Entry {
        private int count;
        private long lastFailure;
        private long until;
        private boolean locked;

        synchronized void failed(long now, int failures, long lockoutNanos) {
            lastFailure = now;
            if (locked && now - until < 0) return;
            locked = false;
            if (++count >= failures) {
                count = 0;
                locked = true;
                until = now + lockoutNanos;
            }
        }

        synchronized long lockedUntil(long now) {
            return locked ? until - now : 0;
        }

        /** Neither locked nor failed within a lockout: forgetting it loses nothing worth keeping. */
        synchronized boolean idle(long now, long lockoutNanos) {
            return (!locked || now - until >= 0) && now - lastFailure >= lockoutNanos;
        }
    }
}
