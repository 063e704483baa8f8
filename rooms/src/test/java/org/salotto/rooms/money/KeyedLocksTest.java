package org.salotto.rooms.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One holder per key at a time, other keys free, a bounded wait, and nothing kept once nobody holds or waits. */
class KeyedLocksTest {

    @Test
    void oneHolderPerKeyAndNothingLeftAfter() throws Exception {
        KeyedLocks locks = new KeyedLocks();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                pool.submit(() -> {
                    try (KeyedLocks.Held h = locks.acquire("k", Duration.ofSeconds(30))) {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.yield();
                        inside.decrementAndGet();
                    }
                    return null;
                });
            }
        }
        assertEquals(1, most.get(), "never two holders of one key");
        assertEquals(0, locks.size(), "forgotten once free");
    }

    @Test
    void aHeldKeyMakesOthersWaitBoundedlyButNotOtherKeys() throws Exception {
        KeyedLocks locks = new KeyedLocks();
        try (KeyedLocks.Held a = locks.acquire("a", Duration.ofSeconds(1))) {
            assertNotNull(a);
            assertNull(locks.acquire("a", Duration.ofMillis(20)), "not free within the wait");
            try (KeyedLocks.Held b = locks.acquire("b", Duration.ofMillis(20))) {
                assertNotNull(b, "another key is free");
            }
            assertEquals(1, locks.size());
        }
        assertEquals(0, locks.size());
    }
}
