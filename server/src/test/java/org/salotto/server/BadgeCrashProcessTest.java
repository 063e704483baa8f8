package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salotto.rooms.money.Entry;
import org.salotto.rooms.money.IdempotencyRecord;
import org.salotto.rooms.money.LedgerAccount;
import org.salotto.rooms.money.LedgerStore;
import org.salotto.rooms.money.LedgerTransaction;
import org.salotto.rooms.money.Purchase;
import org.salotto.rooms.store.OutboxEvent;
import org.salotto.rooms.store.jdbc.DatabaseConfig;
import org.salotto.rooms.store.jdbc.JdbcStore;

/**
 * A purchase storm survives {@code kill -9}: {@code salotto serve} in a child JVM (as CrashProcessTest starts it) takes
 * badges from several buyers at once and is killed with SIGKILL while requests are in flight; started again on the same
 * database, every purchase it confirmed (answered 201) is there exactly once, answered again to a retry of its key, and
 * nothing is half written: each purchase has its one balanced transaction, its key's record and its outbox event, and
 * the ledger balances. Two crashes, on the embedded database and on PostgreSQL.
 */
class BadgeCrashProcessTest {
    private static final int CRASHES = 2;
    private static final int BUYERS = 8;
    /** The server is killed once this many purchases were confirmed, with the other buyers' requests in flight. */
    private static final int CONFIRMED_BEFORE_KILL = 40;

    @TempDir
    Path dir;

    /** A purchase the server confirmed. */
    private record Confirmed(Person buyer, String key, String roomId, String targetId, int hearts, String purchaseId) {
    }

    @Test
    void embeddedDatabaseKeepsEveryConfirmedPurchaseOnceThroughKill9() throws Exception {
        Path data = dir.resolve("data");
        storm("data-dir = \"%s\"".formatted(data.toString().replace("\\", "\\\\")), () -> JdbcStore.open(DatabaseConfig.embedded(data)));
    }

    @Test
    void postgresKeepsEveryConfirmedPurchaseOnceThroughKill9() throws Exception {
        String schema = "salotto_badgecrash_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
        try (Connection c = DriverManager.getConnection(ServerFixture.POSTGRES, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String url = ServerFixture.POSTGRES + "?currentSchema=" + schema;
        try {
            storm("database { url = \"%s\", user = postgres }".formatted(url),
                    () -> JdbcStore.open(DatabaseConfig.postgres(url, "postgres", null)));
        } finally {
            try (Connection c = DriverManager.getConnection(ServerFixture.POSTGRES, "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    interface Opener {
        JdbcStore open();
    }

    private void storm(String databaseSettings, Opener database) throws Exception {
        Path config = dir.resolve("salotto.conf");
        Files.writeString(config, "http.port = 0\nmedia.port = 0\n" + databaseSettings + "\n"
                + "limits { guest-tokens-per-address = 0, join-tokens-per-address = 0, login-per-address = 0,"
                + " rooms-per-account = 0, connections-per-address = 0, frames-per-connection = 0 }\n"
                // A charge answers after a few milliseconds, twice: requests overlap, and the kill finds some in flight.
                + "badges.sandbox { delay = 3ms, answer-twice = true }\n");
        List<Confirmed> confirmed = new ArrayList<>();
        int unanswered = 0;
        for (int crash = 1; crash <= CRASHES; crash++) {
            ServerProcess server = ServerProcess.start(config);
            try {
                if (crash > 1) checkReplays(server, confirmed, "after crash " + (crash - 1));
                unanswered += stormAndKill(server, confirmed);
            } finally {
                server.kill();
            }
        }
        ServerProcess last = ServerProcess.start(config);
        try {
            checkReplays(last, confirmed, "after crash " + CRASHES);
        } finally {
            last.kill();
        }
        try (JdbcStore store = database.open()) {
            checkNothingHalfWritten(store, confirmed);
        }
        System.out.println("BadgeCrashProcessTest: " + confirmed.size() + " purchases confirmed, " + unanswered
                + " requests cut off by the kills");
    }

    /** Buys from several buyers at once and kills the server mid-storm; returns how many requests got no answer. */
    private static int stormAndKill(ServerProcess server, List<Confirmed> confirmed) throws Exception {
        Live live = Live.open(server.url(), 2, BUYERS);
        List<String> stage = List.of(live.hostSocket.participantId, live.guestSockets.get(0).participantId,
                live.guestSockets.get(1).participantId);
        ConcurrentLinkedQueue<Confirmed> got = new ConcurrentLinkedQueue<>();
        CountDownLatch enough = new CountDownLatch(CONFIRMED_BEFORE_KILL);
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger cutOff = new AtomicInteger();
        List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int b = 0; b < BUYERS; b++) {
                Person buyer = live.viewers.get(b);
                pool.submit(() -> {
                    // Bounded: each buyer stops at the kill, or after 500 purchases at most.
                    for (int i = 0; i < 500 && !killed.get(); i++) {
                        String target = stage.get(ThreadLocalRandom.current().nextInt(stage.size()));
                        int hearts = 1 + ThreadLocalRandom.current().nextInt(3);
                        String key = UUID.randomUUID().toString();
                        Person.Answer a;
                        try {
                            a = live.buy(buyer, key, target, hearts);
                        } catch (Exception gone) {
                            cutOff.incrementAndGet();
                            return null;
                        }
                        if (a.status() == 201) {
                            got.add(new Confirmed(buyer, key, live.roomId, target, hearts, a.body().get("id").asText()));
                            enough.countDown();
                        } else {
                            wrong.add(a.toString());
                        }
                    }
                    return null;
                });
            }
            assertTrue(enough.await(120, TimeUnit.SECONDS), "the storm confirmed " + got.size() + " purchases in 120 s");
            killed.set(true);
            server.kill(); // SIGKILL with the other buyers' requests in flight
        }
        assertTrue(wrong.isEmpty(), "every purchase before the kill was taken: " + wrong + "\nserver log:\n" + server.output());
        confirmed.addAll(got);
        return cutOff.get();
    }

    /** Each confirmed purchase is answered again, the same, to a retry of its key: it is stored, once. */
    private static void checkReplays(ServerProcess server, List<Confirmed> confirmed, String when) throws Exception {
        List<String> missing = new ArrayList<>();
        for (Confirmed c : confirmed) {
            Person again = new Person(server.url(), c.buyer().name);
            again.guestToken = c.buyer().guestToken;
            again.bearer = c.buyer().bearer;
            Person.Answer a = again.postWithKey("/api/rooms/" + c.roomId() + "/badges",
                    Map.of("targetId", c.targetId(), "hearts", c.hearts()), c.key());
            if (a.status() != 201 || !a.replayed() || !c.purchaseId().equals(a.body().get("id").asText())) {
                missing.add(c.purchaseId() + ": a retry of its key answered " + a);
            }
        }
        assertTrue(missing.isEmpty(), when + ", " + missing.size() + " of " + confirmed.size()
                + " confirmed purchases are not answered again:\n" + String.join("\n", missing) + "\nserver log:\n" + server.output());
    }

    private static void checkNothingHalfWritten(JdbcStore store, List<Confirmed> confirmed) {
        LedgerStore ledger = store.ledger();
        Set<String> rooms = new HashSet<>();
        for (Confirmed c : confirmed) rooms.add(c.roomId());
        Map<String, Purchase> stored = new HashMap<>();
        for (String roomId : rooms) {
            List<Purchase> inRoom = ledger.purchases(roomId);
            Set<String> announced = new HashSet<>();
            for (OutboxEvent e : store.events(roomId, 0, 1_000_000)) {
                if (e.type().equals("badgeBought")) {
                    String id = e.payload().replaceAll(".*\"purchaseId\":\"([^\"]+)\".*", "$1");
                    assertTrue(announced.add(id), "one outbox event per purchase: " + id);
                }
            }
            for (Purchase p : inRoom) {
                assertTrue(stored.put(p.id(), p) == null);
                assertTrue(announced.contains(p.id()), "purchase " + p.id() + " has its outbox event");
            }
            assertEquals(inRoom.size(), announced.size(), "every badgeBought event has its purchase in room " + roomId);
        }
        for (Confirmed c : confirmed) {
            Purchase p = stored.get(c.purchaseId());
            assertTrue(p != null, "confirmed purchase " + c.purchaseId() + " is stored");
            assertEquals(c.hearts(), p.hearts());
            IdempotencyRecord r = ledger.idempotency(p.buyerIdentity(), c.key()).orElseThrow();
            assertEquals(IdempotencyRecord.Outcome.COMPLETED, r.outcome());
            assertEquals(c.purchaseId(), r.purchaseId());
        }
        // Each stored purchase has exactly one balanced transaction; the ledger as a whole balances.
        Map<String, Integer> transactions = new HashMap<>();
        long total = 0;
        Map<LedgerAccount, Long> sums = new HashMap<>();
        for (LedgerTransaction t : ledger.transactions()) {
            long sum = 0;
            for (Entry e : t.entries()) {
                sum += e.amount();
                sums.merge(e.account(), e.amount(), Long::sum);
            }
            assertEquals(0, sum, "transaction " + t.id() + " balances");
            transactions.merge(t.purchaseId(), 1, Integer::sum);
            assertEquals(LedgerTransaction.Kind.PURCHASE, t.kind());
        }
        assertEquals(stored.keySet(), transactions.keySet(), "a transaction for each purchase, none without one");
        for (int n : transactions.values()) assertEquals(1, n);
        Map<LedgerAccount, Long> balances = ledger.balances();
        assertEquals(sums, balances);
        for (long b : balances.values()) total += b;
        assertEquals(0, total, "all balances sum to zero");
        assertTrue(stored.size() >= confirmed.size());
    }
}
