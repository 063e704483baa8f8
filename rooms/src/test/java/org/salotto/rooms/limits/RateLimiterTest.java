package org.salotto.rooms.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets per key on a clock the test moves: the burst, the wait it announces, other keys, bounded memory. */
class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstPastTheRateIsRefusedWithTheTimeToWaitAndOtherKeysAreNotTouched() {
        RateLimiter limiter = new RateLimiter(Rate.of(5, Duration.ofSeconds(10)), now::get, 100);
        for (int i = 0; i < 5; i++) assertEquals(0, limiter.tryAcquire("203.0.113.7"), "the burst of 5 is allowed");
        long wait = limiter.tryAcquire("203.0.113.7");
        assertEquals(2_000, wait, "one token every 10 s / 5");
        assertEquals(0, limiter.tryAcquire("198.51.100.1"), "another address has its own bucket");

        now.addAndGet(Duration.ofMillis(1_999).toNanos());
        assertTrue(limiter.tryAcquire("203.0.113.7") > 0, "not before the time it said");
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertEquals(0, limiter.tryAcquire("203.0.113.7"), "exactly when it said");
        assertTrue(limiter.tryAcquire("203.0.113.7") > 0);
        assertEquals(3, limiter.refused());
    }

    @Test
    void idleKeysAreForgottenAndAFloodOfNewKeysSharesOneBucketInsteadOfGrowingTheMap() {
        RateLimiter limiter = new RateLimiter(Rate.of(2, Duration.ofSeconds(1)), now::get, 10);
        for (int i = 0; i < 10; i++) assertEquals(0, limiter.tryAcquire("a" + i));
        assertEquals(10, limiter.trackedKeys());
        // Every bucket is busy: new keys share the overflow bucket (2 tokens), and the map stays at its bound.
        assertEquals(0, limiter.tryAcquire("new1"));
        assertEquals(0, limiter.tryAcquire("new2"));
        assertTrue(limiter.tryAcquire("new3") > 0, "the overflow bucket is limited too");
        assertEquals(10, limiter.trackedKeys());

        // A period later every bucket is full again: nothing worth keeping, so they go.
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(0, limiter.tryAcquire("b"));
        assertEquals(1, limiter.trackedKeys());
    }

    @Test
    void aCountOfZeroIsNoLimit() {
        RateLimiter limiter = new RateLimiter(Rate.unlimited(), now::get, 1);
        for (int i = 0; i < 10_000; i++) assertEquals(0, limiter.tryAcquire("k" + i));
        assertEquals(0, limiter.trackedKeys());
    }

    @Test
    void theLockoutEndsOnTimeAndASuccessClearsTheRun() {
        FailureLockout lockout = new FailureLockout(3, Duration.ofMinutes(5), now::get, 100);
        lockout.failed("alice");
        lockout.failed("alice");
        lockout.succeeded("alice");
        lockout.failed("alice");
        lockout.failed("alice");
        assertEquals(0, lockout.lockedFor("alice"), "a success in between: the run starts again");
        lockout.failed("alice");
        assertEquals(Duration.ofMinutes(5).toMillis(), lockout.lockedFor("alice"));
        assertEquals(0, lockout.lockedFor("bob"));
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertEquals(0, lockout.lockedFor("alice"));
    }
}
