package org.salotto.rooms.money;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One lock per key (an Idempotency-Key of one caller, a purchase being refunded), made when first asked for and
 * forgotten when nobody holds or waits for it: requests with one key run one after the other, other keys in parallel.
 * Waiting is bounded; callers run on virtual threads, so a wait costs no carrier thread.
 */
final class KeyedLocks {
    private final ConcurrentHashMap<String, Held> locks = new ConcurrentHashMap<>();

    final class Held implements AutoCloseable {
        private final String key;
        private final Semaphore permit = new Semaphore(1);
        /** Holders and waiters; changed only inside the map's compute for this key. */
        private int users;

        private Held(String key) {
            this.key = key;
        }

        @Override
        public void close() {
            permit.release();
            leave();
        }

        private void leave() {
            locks.compute(key, (k, h) -> --h.users == 0 ? null : h);
        }
    }

    /** The key's lock, or null when it was not free within {@code wait}. */
    Held acquire(String key, Duration wait) throws InterruptedException {
        Held h = locks.compute(key, (k, v) -> {
            Held held = v == null ? new Held(k) : v;
            held.users++;
            return held;
        });
        boolean got = false;
        try {
            got = h.permit.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            if (!got) h.leave();
        }
        return got ? h : null;
    }

    /** Keys with a holder or a waiter now (for tests: none once all is done). */
    int size() {
        return locks.size();
    }
}
