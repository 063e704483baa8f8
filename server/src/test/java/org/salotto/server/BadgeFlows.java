package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.money.LedgerAccount;
import org.salotto.rooms.money.LedgerStore;
import org.salotto.rooms.money.Purchase;
import org.salotto.rooms.money.SandboxPaymentProvider;

/**
 * Badges as the app buys them (docs/api.md "Badges"), on the embedded database and on PostgreSQL: the sandbox provider
 * is slow (so that requests overlap) and answers every charge twice (a provider resending its callback).
 */
abstract class BadgeFlows {
    static ServerFixture fixture;

    static ServerConfig slowAndTwice(ServerConfig c) {
        return c.withBadges(c.badges().withSandbox(new SandboxPaymentProvider.Settings(0, java.time.Duration.ofMillis(50), true)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) fixture.close();
    }

    private LedgerStore ledger() {
        return fixture.server.rooms().purchases().ledger();
    }

    @Test
    void fiftyConcurrentRequestsWithOneKeyMakeOnePurchaseAndAllGetTheSameAnswer() throws Exception {
        try (Live live = Live.open(fixture.url(), 1, 1)) {
            Person viewer = live.viewers.getFirst();
            String target = live.guestSockets.getFirst().participantId;
            String key = UUID.randomUUID().toString();
            long chargesBefore = sandbox().charges();
            int n = 50;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Person.Answer>> answers = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < n; i++) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return live.buy(viewer, key, target, 3);
                    }));
                }
                go.countDown();
            }
            Set<String> bodies = new HashSet<>();
            int fresh = 0;
            for (Future<Person.Answer> f : answers) {
                Person.Answer a = f.get();
                assertEquals(201, a.status(), a.toString());
                bodies.add(a.body().toString());
                if (!a.replayed()) fresh++;
            }
            assertEquals(1, bodies.size(), "every request got the same purchase: " + bodies);
            assertEquals(1, fresh, "one request made it, the other 49 were answered with it (Idempotent-Replayed)");
            JsonNode p = Person.JSON.readTree(bodies.iterator().next());
            assertEquals(499, p.get("amount").asLong());
            assertEquals("completed", p.get("state").asText());
            assertEquals(1, sandbox().charges() - chargesBefore, "one charge at the provider");
            assertTrue(metric("salotto_payment_duplicate_answers_total") >= 1, "the provider's second answer was seen and ignored");
            assertTrue(metric("salotto_badges_bought_total") >= 1);
            List<Purchase> stored = ledger().purchases(live.roomId);
            assertEquals(1, stored.size(), "one purchase stored: " + stored);
            assertEquals(p.get("id").asText(), stored.getFirst().id());
            // The person on stage sees it live.
            JsonNode seen = live.guestSockets.getFirst().awaitEvent("badgeBought", e -> e.path("purchaseId").asText().equals(p.get("id").asText()));
            assertEquals(3, seen.get("hearts").asInt());
            assertEquals("Viewer 0", seen.get("buyerName").asText());
            assertEquals(target, seen.get("targetId").asText());
        }
    }

    @Test
    void theSameKeyWithAnotherAmountIsRefusedAndChangesNothing() throws Exception {
        try (Live live = Live.open(fixture.url(), 1, 1)) {
            Person viewer = live.viewers.getFirst();
            String target = live.guestSockets.getFirst().participantId;
            String key = UUID.randomUUID().toString();
            Person.Answer first = live.buy(viewer, key, target, 1);
            assertEquals(201, first.status(), first.toString());
            assertFalse(first.replayed());
            Person.Answer other = live.buy(viewer, key, target, 2);
            assertEquals(422, other.status(), other.toString());
            assertEquals("idempotency_mismatch", other.code());
            Person.Answer again = live.buy(viewer, key, target, 1);
            assertEquals(201, again.status());
            assertTrue(again.replayed());
            assertEquals(first.body(), again.body());
            assertEquals(1, ledger().purchases(live.roomId).size());
            // Another caller's key of the same text is their own.
            Person other2 = Person.guest(fixture.url(), "Viewer B");
            try (RoomClient ignored = other2.enter(live.roomId)) {
                Person.Answer theirs = live.buy(other2, key, target, 2);
                assertEquals(201, theirs.status(), theirs.toString());
                assertFalse(theirs.replayed());
            }
            assertEquals(2, ledger().purchases(live.roomId).size());
        }
    }

    @Test
    void onlyViewersBuyOnlyForThePeopleOnStageAndWithAKey() throws Exception {
        try (Live live = Live.open(fixture.url(), 1, 2)) {
            String guest = live.guestSockets.getFirst().participantId;
            String otherViewer = live.viewerSockets.get(1).participantId;
            Person viewer = live.viewers.getFirst();
            Person.Answer notOnStage = live.buy(viewer, UUID.randomUUID().toString(), otherViewer, 1);
            assertEquals(409, notOnStage.status(), notOnStage.toString());
            assertEquals("not_on_stage", notOnStage.code());
            Person.Answer byGuest = live.buy(live.guests.getFirst(), UUID.randomUUID().toString(), live.hostSocket.participantId, 1);
            assertEquals(403, byGuest.status(), byGuest.toString());
            assertEquals("not_allowed", byGuest.code());
            Person outsider = Person.guest(fixture.url(), "Outsider");
            Person.Answer notIn = live.buy(outsider, UUID.randomUUID().toString(), guest, 1);
            assertEquals(403, notIn.status(), notIn.toString());
            Person.Answer noKey = live.buy(viewer, null, guest, 1);
            assertEquals(400, noKey.status(), noKey.toString());
            Person.Answer fourHearts = live.buy(viewer, UUID.randomUUID().toString(), guest, 4);
            assertEquals(400, fourHearts.status(), fourHearts.toString());
            assertTrue(ledger().purchases(live.roomId).isEmpty(), "nothing was bought");
            assertEquals(0, sandbox().heldTotal() - heldByOthers(), "nothing charged");
        }
    }

    @Test
    void earningsSupportersBalancesAndARefund() throws Exception {
        try (Live live = Live.open(fixture.url(), 2, 2)) {
            String guest0 = live.guestSockets.get(0).participantId;
            String guest1 = live.guestSockets.get(1).participantId;
            Person ann = live.viewers.get(0);
            Person bob = live.viewers.get(1);
            Person.Answer a1 = live.buy(ann, UUID.randomUUID().toString(), guest1, 3);
            Person.Answer a2 = live.buy(ann, UUID.randomUUID().toString(), guest1, 1);
            Person.Answer b1 = live.buy(bob, UUID.randomUUID().toString(), guest0, 2);
            for (Person.Answer a : List.of(a1, a2, b1)) assertEquals(201, a.status(), a.toString());

            // The second guest sees what they earned: 80% of 4.99 + 0.99, each rounded for the fee.
            JsonNode mine = live.guests.get(1).get("/api/rooms/" + live.roomId + "/earnings").body();
            assertEquals("USD", mine.get("currency").asText());
            assertEquals(1, mine.get("earnings").size(), "their own line only: " + mine);
            assertEquals((499 - 99) + (99 - 19), mine.get("earnings").get(0).get("amount").asLong());
            assertEquals(2, mine.get("earnings").get(0).get("badges").asInt());
            assertEquals(guest1, mine.get("earnings").get(0).get("participantId").asText());
            assertEquals(403, ann.get("/api/rooms/" + live.roomId + "/earnings").status(), "a viewer earns nothing here");

            JsonNode all = live.host.get("/api/rooms/" + live.roomId + "/earnings").body();
            assertEquals(3, all.get("earnings").size(), "the host and both guests: " + all);

            JsonNode supporters = live.host.get("/api/rooms/" + live.roomId + "/supporters").body();
            assertEquals("Viewer 0", supporters.get("supporters").get(0).get("name").asText(), "the biggest first: " + supporters);
            assertEquals(598, supporters.get("supporters").get(0).get("amount").asLong());
            assertEquals(4, supporters.get("supporters").get(0).get("hearts").asInt());
            assertEquals(403, ann.get("/api/rooms/" + live.roomId + "/supporters").status());

            JsonNode balance = live.guests.get(1).get("/api/ledger/accounts/me/balance").body();
            assertEquals(480, balance.get("balance").asLong(), balance.toString());
            assertEquals(0, ann.get("/api/ledger/accounts/buyer:me/balance").body().get("balance").asLong(),
                    "a buyer spends what they pay in");
            assertEquals(403, ann.get("/api/ledger/accounts/platform:fees/balance").status());

            // The host refunds the 3 hearts: a reversing transaction; a second refund changes nothing.
            String id = a1.body().get("id").asText();
            assertEquals(403, ann.post("/api/purchases/" + id + "/refund", null).status(), "only the host refunds");
            Person.Reply refunded = live.host.post("/api/purchases/" + id + "/refund", null);
            assertEquals(200, refunded.status(), refunded.toString());
            assertEquals("refunded", refunded.body().get("state").asText());
            assertEquals(200, live.host.post("/api/purchases/" + id + "/refund", null).status());
            long refunds = ledger().transactions().stream().filter(t -> t.purchaseId().equals(id)).count();
            assertEquals(2, refunds, "the purchase and one reversal");
            assertEquals(80, live.guests.get(1).get("/api/ledger/accounts/me/balance").body().get("balance").asLong());
            JsonNode after = live.host.get("/api/rooms/" + live.roomId + "/supporters").body();
            assertEquals("Viewer 1", after.get("supporters").get(0).get("name").asText(), after.toString());
        }
    }

    @Test
    void theOutboxHasTheBadgeInTheRoomsOrder() throws Exception {
        try (Live live = Live.open(fixture.url(), 1, 1)) {
            Person.Answer a = live.buy(live.viewers.getFirst(), UUID.randomUUID().toString(),
                    live.guestSockets.getFirst().participantId, 2);
            assertEquals(201, a.status());
            List<org.salotto.rooms.store.OutboxEvent> outbox = storeEvents(live.roomId);
            org.salotto.rooms.store.OutboxEvent bought = outbox.stream().filter(e -> e.type().equals("badgeBought")).findFirst()
                    .orElseThrow(() -> new AssertionError("no badgeBought in the outbox: " + outbox));
            assertTrue(bought.payload().contains(a.body().get("id").asText()));
            for (int i = 1; i < outbox.size(); i++) assertEquals(outbox.get(i - 1).seq() + 1, outbox.get(i).seq(), "no gap");
        }
    }

    private static List<org.salotto.rooms.store.OutboxEvent> storeEvents(String roomId) {
        return fixture.server.store().events(roomId, 0, 1000);
    }

    private static double metric(String name) throws Exception {
        String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(fixture.url() + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
        throw new AssertionError("no " + name + " in /metrics");
    }

    private static SandboxPaymentProvider sandbox() {
        return (SandboxPaymentProvider) fixture.server.rooms().purchases().provider();
    }

    /** Money held for purchases of other tests of this class (all of them completed). */
    private long heldByOthers() {
        long sum = 0;
        for (var b : ledger().balances().entrySet()) if (b.getKey().equals(LedgerAccount.PROVIDER_CLEARING)) sum = b.getValue();
        return sum;
    }

    static Map<String, Object> body(String target, int hearts) {
        return Map.of("targetId", target, "hearts", hearts);
    }
}
