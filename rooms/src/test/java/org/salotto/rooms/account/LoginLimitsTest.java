package org.salotto.rooms.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.limits.ConcurrencyGate;
import org.salotto.rooms.limits.Limiters;
import org.salotto.rooms.limits.Limits;
import org.salotto.rooms.limits.Rate;
import org.salotto.rooms.store.jdbc.DatabaseConfig;
import org.salotto.rooms.store.jdbc.JdbcStore;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * Password guessing against the real accounts and the embedded database, on a limiter clock the test moves: the
 * lockout after wrong passwords in a row, the per-account rate, and the right password working once the lockout is
 * over; and the gate that bounds password hashes running at once.
 */
class LoginLimitsTest {
    private static final String HOME = "192.0.2.1";
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private JdbcStore store;
    private Accounts accounts;

    @BeforeEach
    void open() throws Exception {
        store = JdbcStore.open(DatabaseConfig.embedded(Files.createTempDirectory("salotto-limits-")));
        Limits limits = Limits.relaxed().withLogin(Rate.unlimited(), Rate.of(30, Duration.ofMinutes(1)), 5, Duration.ofMinutes(5));
        accounts = new Accounts(store, PasswordHasher.forTests(), Clock.systemUTC(), Duration.ofDays(1),
                new Limiters(limits, nanos::get));
        accounts.signUp("alice", "Alice", "right password", HOME);
        accounts.signUp("bob", "Bob", "bob's password", HOME);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void fiveWrongPasswordsLockTheAccountUntilTheLockoutEndsThenTheRightOneWorks() throws Exception {
        for (int i = 0; i < 5; i++) {
            RoomException e = assertThrows(RoomException.class, () -> accounts.logIn("alice", "guess", HOME, null));
            assertEquals(ErrorCode.BAD_CREDENTIALS, e.errorCode());
        }
        RoomException locked = assertThrows(RoomException.class, () -> accounts.logIn("alice", "right password", HOME, null));
        assertEquals(ErrorCode.RATE_LIMITED, locked.errorCode(), "locked: even the right password waits");
        assertEquals(Duration.ofMinutes(5).toMillis(), locked.retryAfterMs());
        // The name is the key whatever its case.
        assertEquals(ErrorCode.RATE_LIMITED, assertThrows(RoomException.class, () -> accounts.logIn("ALICE", "x", HOME, null)).errorCode());

        // Another account is not touched.
        assertEquals("bob", accounts.logIn("bob", "bob's password", HOME, null).account().username());

        nanos.addAndGet(Duration.ofMinutes(5).minusMillis(1).toNanos());
        assertEquals(ErrorCode.RATE_LIMITED, assertThrows(RoomException.class, () -> accounts.logIn("alice", "right password", HOME, null)).errorCode());
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertEquals("alice", accounts.logIn("alice", "right password", HOME, null).account().username(), "the window has passed");
    }

    @Test
    void theOwnersBrowserLogsInWhileOthersGuessingHaveLockedTheAccount() throws Exception {
        String device = accounts.logIn("alice", "right password", HOME, null).deviceToken();
        String bobsDevice = accounts.logIn("bob", "bob's password", HOME, null).deviceToken();
        for (int i = 0; i < 5; i++) assertThrows(RoomException.class, () -> accounts.logIn("alice", "guess", "198.51.100.1", null));
        assertEquals(ErrorCode.RATE_LIMITED, assertThrows(RoomException.class,
                () -> accounts.logIn("alice", "right password", "198.51.100.1", null)).errorCode(), "locked for others");
        assertEquals(ErrorCode.RATE_LIMITED, assertThrows(RoomException.class,
                () -> accounts.logIn("alice", "right password", HOME, bobsDevice)).errorCode(), "another account's browser is not hers");
        assertEquals(ErrorCode.RATE_LIMITED, assertThrows(RoomException.class,
                () -> accounts.logIn("alice", "right password", HOME, device + "x")).errorCode(), "a forged device token counts nothing");
        Accounts.Session s = accounts.logIn("alice", "right password", HOME, device);
        assertEquals("alice", s.account().username(), "her own browser gets in");
        assertEquals(device, s.deviceToken(), "and keeps its device token");

        // Her browser is locked by its own wrong passwords only, and not by the account's rate.
        for (int i = 0; i < 5; i++) {
            assertEquals(ErrorCode.BAD_CREDENTIALS, assertThrows(RoomException.class,
                    () -> accounts.logIn("alice", "typo", HOME, device)).errorCode());
        }
        assertEquals(ErrorCode.RATE_LIMITED, assertThrows(RoomException.class,
                () -> accounts.logIn("alice", "right password", HOME, device)).errorCode(), "five typos lock this browser too");
    }

    @Test
    void loginsNamingOneAccountAreLimitedFromAnywhere() throws Exception {
        Limits limits = Limits.relaxed().withLogin(Rate.unlimited(), Rate.of(3, Duration.ofSeconds(30)), 0, Duration.ofMinutes(5));
        Accounts a = new Accounts(store, PasswordHasher.forTests(), Clock.systemUTC(), Duration.ofDays(1),
                new Limiters(limits, nanos::get));
        for (int i = 0; i < 3; i++) assertThrows(RoomException.class, () -> a.logIn("alice", "guess", HOME, null));
        RoomException e = assertThrows(RoomException.class, () -> a.logIn("alice", "right password", HOME, null));
        assertEquals(ErrorCode.RATE_LIMITED, e.errorCode());
        assertEquals(10_000, e.retryAfterMs(), "one try every 30 s / 3");
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals("alice", a.logIn("alice", "right password", HOME, null).account().username());
    }

    @Test
    void atMostThePermittedHashesRunAtOnceAndAFullQueueIsRefusedAtOnce() throws Exception {
        ConcurrencyGate gate = new ConcurrencyGate(2, 3, Duration.ofSeconds(30));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Future<String>> calls = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 5; i++) {
                calls.add(pool.submit(() -> gate.call(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    return "hashed";
                })));
            }
            // 2 run, 3 wait: wait until they do, then the 6th finds the queue full.
            while (gate.running() < 2 || !waitingFull(gate)) Thread.onSpinWait();
            long t0 = System.nanoTime();
            RoomException busy = assertThrows(RoomException.class, () -> gate.call(() -> "never"));
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos(), "refused at once, not after the wait");
            assertEquals(ErrorCode.BUSY, busy.errorCode());
            assertTrue(busy.retryAfterMs() > 0);
            release.countDown();
            for (Future<String> f : calls) assertEquals("hashed", f.get());
        }
        assertEquals(2, most.get(), "never more than 2 at once");
        assertEquals(1, gate.refused());
    }

    @Test
    void afterAWrongPasswordAnAddressWaitsBehindEveryoneElseForTheNextHash() throws Exception {
        Limiters limiters = new Limiters(Limits.relaxed(), nanos::get);
        Accounts a = new Accounts(store, PasswordHasher.forTests(), Clock.systemUTC(), Duration.ofDays(1), limiters);
        String guesser = "198.51.100.9";
        assertEquals(0, limiters.suspectAddresses.lockedFor(guesser));
        assertThrows(RoomException.class, () -> a.logIn("alice", "guess", guesser, null));
        assertTrue(limiters.suspectAddresses.lockedFor(guesser) > 0, "a wrong password makes the address suspect");
        assertEquals(0, limiters.suspectAddresses.lockedFor(HOME), "not the others");
        assertEquals("alice", a.logIn("alice", "right password", guesser, null).account().username());
        assertEquals(0, limiters.suspectAddresses.lockedFor(guesser), "the right password clears it");
    }

    @Test
    void aFreedHashGoesToTheFirstLaneBeforeTheSuspectOneWhateverTheOrderOfArrival() throws Exception {
        ConcurrencyGate gate = new ConcurrencyGate(1, 10, Duration.ofSeconds(30));
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> holder = pool.submit(() -> gate.call(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "held";
            }));
            while (gate.running() < 1) Thread.onSpinWait();
            List<Future<Boolean>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String name = "guess " + i;
                waiting.add(pool.submit(() -> gate.call(ConcurrencyGate.Lane.SUSPECT, () -> order.add(name))));
                int queued = i + 1;
                while (gate.waiting() < queued) Thread.onSpinWait();
            }
            waiting.add(pool.submit(() -> gate.call(ConcurrencyGate.Lane.FIRST, () -> order.add("right password"))));
            while (gate.waiting() < 4) Thread.onSpinWait();
            release.countDown();
            assertEquals("held", holder.get());
            for (Future<Boolean> f : waiting) assertTrue(f.get());
        }
        assertEquals(List.of("right password", "guess 0", "guess 1", "guess 2"), order,
                "the first lane first, each lane in its order of arrival");
    }

    private static boolean waitingFull(ConcurrencyGate gate) {
        return gate.waiting() == 3;
    }
}
