package org.salotto.rooms.limits;

import java.util.function.LongSupplier;
import org.salotto.rooms.RoomException;

/**
 * The limiters of one server, made once from its {@link Limits} and shared by every request: the rooms layer checks
 * accounts, rooms, reactions and knocks; the HTTP edge checks addresses (it alone knows them).
 */
public final class Limiters {
    private final Limits limits;
    private final LongSupplier nanos;
    public final RateLimiter loginPerAddress;
    public final RateLimiter loginPerAccount;
    public final FailureLockout loginLockout;
    public final ConcurrencyGate passwordHashes;
    public final RateLimiter roomsPerAccount;
    public final RateLimiter guestTokensPerAddress;
    public final RateLimiter joinTokensPerAddress;
    public final RateLimiter reactionsPerPerson;
    public final RateLimiter knocksPerPerson;
    public final RateLimiter commentsPerPerson;

    /** @param nanos a monotonic clock in nanoseconds: {@code System::nanoTime}, or a test's own */
    public Limiters(Limits limits, LongSupplier nanos) {
        this.limits = limits;
        this.nanos = nanos;
        int keys = limits.trackedKeysMax();
        this.loginPerAddress = new RateLimiter(limits.loginPerAddress(), nanos, keys);
        this.loginPerAccount = new RateLimiter(limits.loginPerAccount(), nanos, keys);
        this.loginLockout = new FailureLockout(limits.loginLockoutFailures(), limits.loginLockout(), nanos, keys);
        this.passwordHashes = new ConcurrencyGate(limits.hashesAtOnce(), limits.passwordHashQueue(), limits.passwordHashWait());
        this.roomsPerAccount = new RateLimiter(limits.roomsPerAccount(), nanos, keys);
        this.guestTokensPerAddress = new RateLimiter(limits.guestTokensPerAddress(), nanos, keys);
        this.joinTokensPerAddress = new RateLimiter(limits.joinTokensPerAddress(), nanos, keys);
        this.reactionsPerPerson = new RateLimiter(limits.reactionsPerPerson(), nanos, keys);
        this.knocksPerPerson = new RateLimiter(limits.knocksPerPerson(), nanos, keys);
        this.commentsPerPerson = new RateLimiter(limits.commentsPerPerson(), nanos, keys);
    }

    public Limits limits() {
        return limits;
    }

    /** The limiters' clock, in nanoseconds. */
    public long nanos() {
        return nanos.getAsLong();
    }

    /** A bucket for the frames of one WebSocket connection (limits.frames-per-connection). */
    public TokenBucket newFrameBucket() {
        return new TokenBucket(limits.framesPerConnection(), nanos());
    }

    /**
     * Takes a token of {@code limiter} for {@code key}, or refuses with {@code rate_limited} and the time to wait.
     *
     * @param what what is limited, for the message: "logins from this address"
     */
    public static void check(RateLimiter limiter, String key, String what) throws RoomException {
        long waitMs = limiter.tryAcquire(key);
        if (waitMs > 0) throw refusal(what, limiter.rate(), waitMs);
    }

    public static RoomException refusal(String what, Rate rate, long waitMs) {
        return RoomException.rateLimited("too many " + what + " (at most " + rate + "): try again in "
                + seconds(waitMs), waitMs);
    }

    private static String seconds(long ms) {
        long s = (ms + 999) / 1000;
        return s == 1 ? "a second" : s + " seconds";
    }
}
