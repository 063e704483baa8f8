package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.money.BadgePrices;
import org.salotto.rooms.money.Entry;
import org.salotto.rooms.money.LedgerAccount;
import org.salotto.rooms.money.LedgerStore;
import org.salotto.rooms.money.LedgerTransaction;
import org.salotto.rooms.money.Purchases;
import org.salotto.rooms.money.SandboxPaymentProvider;

/**
 * The ledger's invariants after random purchases, refunds, declines and retries, made through the HTTP API as the app
 * makes them: every transaction balances, all balances sum to zero, each balance is the sum of its entries (the
 * database's SUM and the entries read back agree), and the ledger says what the answers said (each 201 is one
 * purchase, a refund reverses exactly it, a decline or a refusal leaves nothing). The sandbox declines every third
 * charge, answers every charge twice, and a little late. A seeded random walk: the seed is printed, and
 * {@code -Dsalotto.seed=N} replays one.
 */
abstract class LedgerProperties {
    static final int STEPS = Integer.getInteger("salotto.ledger-steps", 240);
    static ServerFixture fixture;

    static ServerConfig declinesAndAnswersTwice(ServerConfig c) {
        return c.withBadges(c.badges().withSandbox(new SandboxPaymentProvider.Settings(3, Duration.ofMillis(5), true)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) fixture.close();
    }

    /** One request as first sent, and its first answer. */
    private record Sent(Person buyer, String key, String targetId, int hearts, int status, JsonNode body) {
    }

    @Test
    void randomPurchasesRefundsDeclinesAndRetriesKeepTheLedgerBalanced() throws Exception {
        long seed = Long.getLong("salotto.seed", System.nanoTime());
        System.out.println("LedgerProperties seed " + seed + " (-Dsalotto.seed=" + seed + " replays it)");
        Random random = new Random(seed);
        Purchases purchases = fixture.server.rooms().purchases();
        BadgePrices prices = purchases.prices();
        LedgerStore ledger = purchases.ledger();
        int declined = 0;
        int refused = 0;
        try (Live live = Live.open(fixture.url(), 2, 4)) {
            List<String> stage = new ArrayList<>(List.of(live.hostSocket.participantId,
                    live.guestSockets.get(0).participantId, live.guestSockets.get(1).participantId));
            List<Sent> sent = new ArrayList<>();
            // What the answers said: purchases completed (id -> request) and refunded.
            Map<String, Sent> completed = new LinkedHashMap<>();
            Set<String> refunded = new LinkedHashSet<>();
            for (int step = 0; step < STEPS; step++) {
                int what = random.nextInt(12);
                String context = "seed " + seed + ", step " + step;
                if (what < 6 || sent.isEmpty()) {
                    int v = random.nextInt(live.viewers.size());
                    Person buyer = live.viewers.get(v);
                    boolean toViewer = random.nextInt(10) == 0;
                    String target = toViewer ? live.viewerSockets.get((v + 1) % live.viewers.size()).participantId
                            : stage.get(random.nextInt(stage.size()));
                    int hearts = 1 + random.nextInt(3);
                    String key = UUID.randomUUID().toString();
                    Person.Answer a = live.buy(buyer, key, target, hearts);
                    Sent s = new Sent(buyer, key, target, hearts, a.status(), a.body());
                    if (toViewer) {
                        assertEquals(409, a.status(), context + ": a badge for a viewer: " + a);
                        refused++;
                        continue;
                    }
                    assertTrue(a.status() == 201 || a.status() == 402, context + ": " + a);
                    if (a.status() == 201) {
                        assertEquals(prices.price(hearts), a.body().get("amount").asLong());
                        completed.put(a.body().get("id").asText(), s);
                    } else {
                        assertEquals("payment_declined", a.code());
                        declined++;
                    }
                    sent.add(s);
                } else if (what < 8) {
                    Sent s = sent.get(random.nextInt(sent.size()));
                    Person.Answer again = live.buy(s.buyer(), s.key(), s.targetId(), s.hearts());
                    assertSame(s, again, context + ": a retry");
                } else if (what == 8) {
                    // A client that sends its retries at once.
                    Sent s = sent.get(random.nextInt(sent.size()));
                    List<Future<Person.Answer>> answers = new ArrayList<>();
                    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                        for (int i = 0; i < 4; i++) answers.add(pool.submit(() -> live.buy(s.buyer(), s.key(), s.targetId(), s.hearts())));
                    }
                    for (Future<Person.Answer> f : answers) assertSame(s, f.get(), context + ": concurrent retries");
                } else if (what == 9) {
                    Sent s = sent.get(random.nextInt(sent.size()));
                    Person.Answer other = live.buy(s.buyer(), s.key(), s.targetId(), s.hearts() % 3 + 1);
                    assertEquals(422, other.status(), context + ": the key with another amount: " + other);
                    assertEquals("idempotency_mismatch", other.code());
                } else if (!completed.isEmpty()) {
                    List<String> ids = new ArrayList<>(completed.keySet());
                    String id = ids.get(random.nextInt(ids.size()));
                    Person.Reply r = live.host.post("/api/purchases/" + id + "/refund", null);
                    assertEquals(200, r.status(), context + ": refund " + r);
                    assertEquals("refunded", r.body().get("state").asText());
                    refunded.add(id);
                }
                if (step % 60 == 59) checkLedger(ledger, prices, completed, refunded, context);
            }
            checkLedger(ledger, prices, completed, refunded, "seed " + seed + ", at the end");
            assertEquals(completed.size(), ledger.purchases(live.roomId).size(), "one purchase per 201, no more");
            long owedByProvider = 0;
            for (Map.Entry<String, Sent> c : completed.entrySet()) {
                if (!refunded.contains(c.getKey())) owedByProvider += prices.price(c.getValue().hearts());
            }
            SandboxPaymentProvider sandbox = (SandboxPaymentProvider) purchases.provider();
            assertEquals(owedByProvider, sandbox.heldTotal(), "the provider holds what the ledger's clearing account says");
            assertTrue(purchases.duplicateAnswers() > 0, "the provider's second answers were seen, and changed nothing");
            System.out.println("LedgerProperties: " + STEPS + " steps, " + completed.size() + " purchases, " + refunded.size()
                    + " refunded, " + declined + " declined, " + refused + " refused");
            assertTrue(declined > 0 && !refunded.isEmpty() && completed.size() > 10, "the walk tried each kind of step");
        }
    }

    private static void assertSame(Sent first, Person.Answer again, String context) {
        assertEquals(first.status(), again.status(), context + ": " + again);
        assertEquals(first.body() == null ? null : withoutState(first.body()), again.body() == null ? null : withoutState(again.body()),
                context + ": the first answer again");
        if (first.status() == 201) assertTrue(again.replayed(), context + ": marked Idempotent-Replayed");
    }

    /** A purchase refunded since its first answer is answered as it is now: refunded. */
    private static JsonNode withoutState(JsonNode body) {
        JsonNode copy = body.deepCopy();
        if (copy.isObject()) ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("state");
        return copy;
    }

    private static void checkLedger(LedgerStore ledger, BadgePrices prices, Map<String, Sent> completed, Set<String> refunded,
                                    String context) {
        List<LedgerTransaction> all = ledger.transactions();
        Map<LedgerAccount, Long> fromEntries = new HashMap<>();
        Map<String, Integer> perPurchase = new HashMap<>();
        for (LedgerTransaction t : all) {
            long sum = 0;
            for (Entry e : t.entries()) {
                sum += e.amount();
                fromEntries.merge(e.account(), e.amount(), Long::sum);
            }
            assertEquals(0, sum, context + ": transaction " + t.id() + " balances");
            perPurchase.merge(t.purchaseId() + " " + t.kind(), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> n : perPurchase.entrySet()) assertEquals(1, n.getValue(), context + ": " + n.getKey() + " once");
        Map<LedgerAccount, Long> balances = ledger.balances();
        assertEquals(0, balances.values().stream().mapToLong(Long::longValue).sum(), context + ": all balances sum to zero");
        assertEquals(fromEntries, balances, context + ": each balance is the sum of its entries");
        for (LedgerAccount a : balances.keySet()) assertEquals(fromEntries.get(a), ledger.balance(a), context + ": balance of " + a);

        // What the answers said: each completed, unrefunded purchase is money at the provider, split into fee and earnings.
        long clearing = 0;
        long fees = 0;
        Map<LedgerAccount, Long> earnings = new HashMap<>();
        int transactions = 0;
        for (Map.Entry<String, Sent> c : completed.entrySet()) {
            transactions += refunded.contains(c.getKey()) ? 2 : 1;
            if (refunded.contains(c.getKey())) continue;
            long amount = prices.price(c.getValue().hearts());
            clearing += amount;
            fees += prices.fee(amount);
        }
        assertEquals(transactions, all.size(), context + ": a transaction per purchase and per refund, nothing else");
        assertEquals(clearing, balances.getOrDefault(LedgerAccount.PROVIDER_CLEARING, 0L), context + ": clearing");
        assertEquals(-fees, balances.getOrDefault(LedgerAccount.PLATFORM_FEES, 0L), context + ": the platform's fees");
        for (Map.Entry<LedgerAccount, Long> b : balances.entrySet()) {
            if (b.getKey().kind() == LedgerAccount.Kind.BUYER) assertEquals(0, b.getValue(), context + ": " + b.getKey() + " holds nothing");
            if (b.getKey().kind() == LedgerAccount.Kind.EARNINGS) earnings.put(b.getKey(), b.getValue());
        }
        assertEquals(-(clearing - fees), earnings.values().stream().mapToLong(Long::longValue).sum(), context + ": the creators' earnings");
    }
}
