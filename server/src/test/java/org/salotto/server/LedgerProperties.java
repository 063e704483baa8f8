package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import org.salotto.rooms.money.BadgePrices;
import org.salotto.rooms.money.Entry;
import org.salotto.rooms.money.LedgerAccount;
import org.salotto.rooms.money.LedgerStore;
import org.salotto.rooms.money.LedgerTransaction;
import org.salotto.rooms.money.Purchase;
import org.salotto.rooms.money.Purchases;
import org.salotto.rooms.money.SandboxPaymentProvider;

/**
 * The ledger's invariants after random purchases, refunds, declines and retries (jqwik: each try a random walk of
 * steps in a live of its own, shrunk to the shortest failing walk), made through the HTTP API as the app makes them:
 * every transaction balances, all balances sum to zero, each balance is the sum of its entries (the database's SUM and
 * the entries read back agree), and the ledger says what the answers said (each 201 is one purchase, a refund reverses
 * exactly it, a decline or a refusal leaves nothing). The sandbox declines every third charge, answers every charge
 * twice, and a little late.
 */
abstract class LedgerProperties {
    static ServerFixture fixture;

    static ServerConfig declinesAndAnswersTwice(ServerConfig c) {
        return c.withBadges(c.badges().withSandbox(new SandboxPaymentProvider.Settings(3, Duration.ofMillis(5), true)));
    }

    @AfterContainer
    static void stop() throws Exception {
        if (fixture != null) fixture.close();
        fixture = null;
    }

    /**
     * One step: {@code what} picks the kind (0-5 a new purchase, 6-7 a retry, 8 retries at once, 9 the key with
     * another amount, 10-11 a refund), {@code pick} whom or what it concerns, {@code hearts} the badge.
     */
    record Step(int what, int pick, int hearts) {
    }

    @Provide
    Arbitrary<List<Step>> walks() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 11),
                Arbitraries.integers().between(0, 1_000_000), Arbitraries.integers().between(1, 3)).as(Step::new);
        return step.list().ofMinSize(20).ofMaxSize(60);
    }

    /** One request as first sent, and its first answer. */
    private record Sent(Person buyer, String key, String targetId, int hearts, int status, JsonNode body) {
    }

    @Property(tries = 12, shrinking = ShrinkingMode.BOUNDED)
    void purchasesRefundsDeclinesAndRetriesKeepTheLedgerBalanced(@ForAll("walks") List<Step> walk) throws Exception {
        Purchases purchases = fixture.server.rooms().purchases();
        BadgePrices prices = purchases.prices();
        LedgerStore ledger = purchases.ledger();
        try (Live live = Live.open(fixture.url(), 2, 3)) {
            List<String> stage = List.of(live.hostSocket.participantId, live.guestSockets.get(0).participantId,
                    live.guestSockets.get(1).participantId);
            List<Sent> sent = new ArrayList<>();
            Map<String, Sent> completed = new LinkedHashMap<>();
            Set<String> refunded = new LinkedHashSet<>();
            for (int i = 0; i < walk.size(); i++) {
                Step s = walk.get(i);
                String context = "step " + i + " " + s;
                if (s.what() < 6 || sent.isEmpty()) {
                    int v = s.pick() % live.viewers.size();
                    Person buyer = live.viewers.get(v);
                    boolean toViewer = s.pick() % 10 == 9;
                    String target = toViewer ? live.viewerSockets.get((v + 1) % live.viewers.size()).participantId
                            : stage.get(s.pick() / 10 % stage.size());
                    String key = UUID.randomUUID().toString();
                    Person.Answer a = live.buy(buyer, key, target, s.hearts());
                    Statistics.label("purchase answers").collect(a.status());
                    if (toViewer) {
                        assertEquals(409, a.status(), context + ": a badge for a viewer: " + a);
                        assertEquals("not_on_stage", a.code());
                        continue;
                    }
                    assertTrue(a.status() == 201 || a.status() == 402, context + ": " + a);
                    if (a.status() == 201) {
                        assertEquals(prices.price(s.hearts()), a.body().get("amount").asLong());
                        completed.put(a.body().get("id").asText(), new Sent(buyer, key, target, s.hearts(), 201, a.body()));
                    } else {
                        assertEquals("payment_declined", a.code());
                    }
                    sent.add(new Sent(buyer, key, target, s.hearts(), a.status(), a.body()));
                } else if (s.what() < 8) {
                    Sent first = sent.get(s.pick() % sent.size());
                    assertSame(first, live.buy(first.buyer(), first.key(), first.targetId(), first.hearts()), context + ": a retry");
                } else if (s.what() == 8) {
                    Sent first = sent.get(s.pick() % sent.size());
                    List<Future<Person.Answer>> answers = new ArrayList<>();
                    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                        for (int n = 0; n < 4; n++) {
                            answers.add(pool.submit(() -> live.buy(first.buyer(), first.key(), first.targetId(), first.hearts())));
                        }
                    }
                    for (Future<Person.Answer> f : answers) assertSame(first, f.get(), context + ": retries at once");
                } else if (s.what() == 9) {
                    Sent first = sent.get(s.pick() % sent.size());
                    Person.Answer other = live.buy(first.buyer(), first.key(), first.targetId(), first.hearts() % 3 + 1);
                    assertEquals(422, other.status(), context + ": the key with another amount: " + other);
                    assertEquals("idempotency_mismatch", other.code());
                } else if (!completed.isEmpty()) {
                    List<String> ids = new ArrayList<>(completed.keySet());
                    String id = ids.get(s.pick() % ids.size());
                    Person.Reply r = live.host.post("/api/purchases/" + id + "/refund", null);
                    assertEquals(200, r.status(), context + ": refund " + r);
                    assertEquals("refunded", r.body().get("state").asText());
                    refunded.add(id);
                    Statistics.label("purchase answers").collect("refund");
                }
            }
            checkLedger(ledger);
            checkRoom(ledger, prices, live.roomId, completed, refunded);
            if (!completed.isEmpty()) assertTrue(purchases.duplicateAnswers() > 0, "the provider's second answers were seen");
        }
    }

    private static void assertSame(Sent first, Person.Answer again, String context) {
        assertEquals(first.status(), again.status(), context + ": " + again);
        assertEquals(withoutState(first.body()), withoutState(again.body()), context + ": the first answer again");
        if (first.status() == 201) assertTrue(again.replayed(), context + ": marked Idempotent-Replayed");
    }

    /** A purchase refunded since its first answer is answered as it is now: refunded. */
    private static JsonNode withoutState(JsonNode body) {
        if (body == null) return null;
        JsonNode copy = body.deepCopy();
        if (copy.isObject()) ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("state");
        return copy;
    }

    /** The whole ledger: balanced transactions, balances that are the sums of their entries and sum to zero. */
    private static void checkLedger(LedgerStore ledger) {
        Map<LedgerAccount, Long> fromEntries = new HashMap<>();
        Set<String> once = new HashSet<>();
        for (LedgerTransaction t : ledger.transactions()) {
            long sum = 0;
            for (Entry e : t.entries()) {
                sum += e.amount();
                fromEntries.merge(e.account(), e.amount(), Long::sum);
            }
            assertEquals(0, sum, "transaction " + t.id() + " balances");
            assertTrue(once.add(t.purchaseId() + " " + t.kind()), "one " + t.kind() + " of " + t.purchaseId());
        }
        Map<LedgerAccount, Long> balances = ledger.balances();
        assertEquals(0, balances.values().stream().mapToLong(Long::longValue).sum(), "all balances sum to zero");
        assertEquals(fromEntries, balances, "each balance is the sum of its entries");
        for (LedgerAccount a : balances.keySet()) assertEquals(fromEntries.get(a), ledger.balance(a), "the balance of " + a);
    }

    /** The live's part of the ledger is what the answers said. */
    private static void checkRoom(LedgerStore ledger, BadgePrices prices, String roomId, Map<String, Sent> completed,
                                  Set<String> refunded) {
        List<Purchase> stored = ledger.purchases(roomId);
        assertEquals(completed.keySet(), new HashSet<>(stored.stream().map(Purchase::id).toList()), "one purchase per 201");
        for (Purchase p : stored) {
            assertEquals(refunded.contains(p.id()) ? Purchase.State.REFUNDED : Purchase.State.COMPLETED, p.state(), p.id());
        }
        long clearing = 0;
        long fees = 0;
        for (Map.Entry<String, Sent> c : completed.entrySet()) {
            if (refunded.contains(c.getKey())) continue;
            long amount = prices.price(c.getValue().hearts());
            clearing += amount;
            fees += prices.fee(amount);
        }
        Map<LedgerAccount, Long> room = ledger.roomBalances(roomId);
        assertEquals(clearing, room.getOrDefault(LedgerAccount.PROVIDER_CLEARING, 0L), "what the provider holds");
        assertEquals(-fees, room.getOrDefault(LedgerAccount.PLATFORM_FEES, 0L), "the platform's fees");
        long earnings = 0;
        for (Map.Entry<LedgerAccount, Long> b : room.entrySet()) {
            if (b.getKey().kind() == LedgerAccount.Kind.BUYER) assertEquals(0, b.getValue(), b.getKey() + " holds nothing");
            if (b.getKey().kind() == LedgerAccount.Kind.EARNINGS) earnings += b.getValue();
        }
        assertEquals(-(clearing - fees), earnings, "the creators' earnings");
    }
}
