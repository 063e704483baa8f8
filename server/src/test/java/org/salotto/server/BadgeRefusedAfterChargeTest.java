package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.money.Purchases;
import org.salotto.rooms.money.SandboxPaymentProvider;

/**
 * The person on stage leaves it while the provider takes the buyer's money: the live refuses the badge, the charge is
 * given back, nothing is stored, and a retry of the key gets the same refusal without a second charge.
 */
class BadgeRefusedAfterChargeTest {
    private static final Duration PROVIDER_DELAY = Duration.ofSeconds(3);

    @Test
    void theLiveRefusingAfterTheChargeGivesTheMoneyBack() throws Exception {
        try (ServerFixture fixture = ServerFixture.embedded(c -> c.withBadges(c.badges().withSandbox(
                new SandboxPaymentProvider.Settings(0, PROVIDER_DELAY, false))));
             Live live = Live.open(fixture.url(), 1, 1)) {
            Purchases purchases = fixture.server.rooms().purchases();
            SandboxPaymentProvider sandbox = (SandboxPaymentProvider) purchases.provider();
            Person viewer = live.viewers.getFirst();
            String guest = live.guestSockets.getFirst().participantId;
            String key = UUID.randomUUID().toString();
            CompletableFuture<Person.Answer> bought = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    bought.complete(live.buy(viewer, key, guest, 1));
                } catch (Exception e) {
                    bought.completeExceptionally(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sandbox.charges() == 0 && System.nanoTime() < deadline) LockSupport.parkNanos(1_000_000);
            assertEquals(1, sandbox.charges(), "the charge was asked for");
            // Meanwhile the guest goes back to the audience.
            Person.Reply left = live.guests.getFirst().put("/api/rooms/" + live.roomId + "/participants/" + guest + "/role",
                    Map.of("role", "viewer"));
            assertEquals(200, left.status(), left.toString());
            assertTrue(!bought.isDone(), "the guest left before the provider answered");

            Person.Answer a = bought.get(30, TimeUnit.SECONDS);
            assertEquals(409, a.status(), a.toString());
            assertEquals("not_on_stage", a.code());
            assertEquals(1, sandbox.refunds(), "the charge was given back");
            assertEquals(0, sandbox.heldTotal());
            assertEquals(1, purchases.voided());
            assertTrue(purchases.ledger().purchases(live.roomId).isEmpty(), "nothing stored");
            assertTrue(purchases.ledger().roomBalances(live.roomId).isEmpty(), "no ledger entries");

            Person.Answer retry = live.buy(viewer, key, guest, 1);
            assertEquals(409, retry.status(), retry.toString());
            assertEquals("not_on_stage", retry.code());
            assertEquals(1, sandbox.charges(), "the retry got the kept answer: no second charge");
        }
    }
}
