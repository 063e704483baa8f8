package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.money.Purchase;
import org.salotto.rooms.money.Purchases;
import org.salotto.rooms.money.SandboxPaymentProvider;

/**
 * The database goes down between a purchase's charge and its write (a private PostgreSQL cluster, stopped while the
 * sandbox provider takes its time): the buyer hears {@code 503 unavailable}; the live's decision is kept by the room's
 * writer; a retry with the same key during the outage is answered {@code unavailable} at once, and the first retry
 * once the database is back gets the one purchase, charged once.
 */
class BadgeOutageTest {
    private static final Duration PROVIDER_DELAY = Duration.ofSeconds(4);

    private static ServerConfig withSlowProvider(ServerConfig c) {
        return c.withBadges(c.badges().withSandbox(new SandboxPaymentProvider.Settings(0, PROVIDER_DELAY, true)));
    }

    @Test
    void aPurchaseWhoseWriteMeetsAnOutageIsStoredOnceAndAnsweredToTheRetry() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start();
             SalottoServer server = SalottoServer.start(withSlowProvider(ServerConfig.forTests()
                     .withRooms(ServerFixture.testRooms().withResumeGrace(Duration.ofSeconds(60)))
                     .withDatabase(pg.url(), "postgres", "")));
             Live live = Live.open(server.baseUrl(), 1, 1)) {
            Purchases purchases = server.rooms().purchases();
            SandboxPaymentProvider sandbox = (SandboxPaymentProvider) purchases.provider();
            Person viewer = live.viewers.getFirst();
            String target = live.guestSockets.getFirst().participantId;
            String key = UUID.randomUUID().toString();

            CompletableFuture<Person.Answer> first = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    first.complete(live.buy(viewer, key, target, 2));
                } catch (Exception e) {
                    first.completeExceptionally(e);
                }
            });
            // Once the provider has the charge (the key was looked up before it), the database goes down.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sandbox.charges() == 0 && System.nanoTime() < deadline) java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            assertEquals(1, sandbox.charges(), "the charge was asked for");
            pg.stop();
            Person.Answer during = first.get(30, TimeUnit.SECONDS);
            assertEquals(503, during.status(), during.toString());
            assertEquals("unavailable", during.code());
            assertEquals(199, sandbox.heldTotal(), "charged, and not given back: the live took the badge");
            // The badge was shown in the live at once, as every decision is.
            live.guestSockets.getFirst().awaitEvent("badgeBought", e -> e.get("targetId").asText().equals(target));

            long asked = System.nanoTime();
            Person.Answer retryDuring = live.buy(viewer, key, target, 2);
            assertEquals(503, retryDuring.status(), retryDuring.toString());
            assertTrue(System.nanoTime() - asked < TimeUnit.SECONDS.toNanos(2), "answered at once, not held");

            pg.startAgain();
            Person.Answer after;
            long back = System.nanoTime();
            do {
                after = live.buy(viewer, key, target, 2);
            } while (after.status() == 503 && System.nanoTime() - back < TimeUnit.SECONDS.toNanos(20));
            assertEquals(201, after.status(), after.toString());
            assertTrue(after.replayed(), "the answer is the stored purchase");
            assertEquals(1, purchases.ledger().purchases(live.roomId).size());
            Purchase p = purchases.ledger().purchases(live.roomId).getFirst();
            assertEquals(p.id(), after.body().get("id").asText());
            assertEquals(1, sandbox.charges(), "charged once");
            assertEquals(199, purchases.ledger().roomBalances(live.roomId)
                    .get(org.salotto.rooms.money.LedgerAccount.PROVIDER_CLEARING));
        }
    }
}
