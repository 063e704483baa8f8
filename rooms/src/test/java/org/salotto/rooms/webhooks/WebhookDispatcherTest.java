package org.salotto.rooms.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.Visibility;
import org.salotto.rooms.notify.NotificationJob;
import org.salotto.rooms.notify.NotificationType;
import org.salotto.rooms.store.Account;
import org.salotto.rooms.store.OutboxEvent;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.UnitOfWork;
import org.salotto.rooms.store.jdbc.DatabaseConfig;
import org.salotto.rooms.store.jdbc.JdbcStore;

/**
 * The dispatcher with an in-memory receiver and a clock the test moves: the retry schedule, disabling after
 * {@code retry-for} of the injected clock (the default, a day, without waiting a day), and the backoff's bounds.
 */
class WebhookDispatcherTest {
    @TempDir
    Path dir;
    private JdbcStore store;
    private WebhookDispatcher dispatcher;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    /** What the receiver got: the webhook-id of each attempt. */
    private final List<String> attempts = new ArrayList<>();
    /** A permit each time the dispatcher stored attempts or a position, or disabled an endpoint: what the waits wait on. */
    private final Semaphore stored = new Semaphore(0);

    @BeforeEach
    void open() {
        store = JdbcStore.open(DatabaseConfig.embedded(dir));
    }

    @AfterEach
    void close() {
        if (dispatcher != null) dispatcher.close();
        store.close();
    }

    private WebhookEndpoint endpointWithARoom(String roomId, int events) {
        Account a = store.createAccount("owner" + roomId, "Owner", "x", now.get());
        WebhookEndpoint e = new WebhookEndpoint("we_" + roomId, a.id(), "http://203.0.113.7/hook", "", WebhookSigner.newSecret(),
                Set.of(), true, null, null, now.get());
        store.webhooks().createEndpoint(e);
        Room room = new Room(roomId, a.id(), RoomKind.CALL, "t", "hanging_out", Visibility.PUBLIC, null, RoomState.OPEN,
                false, false, now.get(), null);
        store.createRoom(room, new OutboxEvent(roomId, 1, "roomCreated", "{\"type\":\"roomCreated\"}", now.get()));
        List<OutboxEvent> more = new ArrayList<>();
        for (int i = 2; i <= events; i++) more.add(new OutboxEvent(roomId, i, "roleChanged", "{\"type\":\"roleChanged\"}", now.get()));
        store.commit(new UnitOfWork(roomId, null, null, List.of(), List.of(), List.of(), List.of(), List.of(), more));
        return e;
    }

    private WebhookDispatcher start(WebhooksConfig config, WebhookTransport transport) {
        dispatcher = new WebhookDispatcher(store, config, clock, transport, new Random(7));
        dispatcher.observe(new WebhookDispatcher.Observer() {
            @Override
            public void stored(String endpointId, String stream) {
                stored.release();
            }

            @Override
            public void disabled(String endpointId, String reason) {
                stored.release();
            }
        });
        dispatcher.start();
        return dispatcher;
    }

    @Test
    void anEndpointFailingForADayOfTheClockIsDisabledAndNothingIsPassedOver() throws Exception {
        WebhookEndpoint e = endpointWithARoom("r1", 3);
        // The default day; delays of a millisecond, so that the test's clock, moved an hour per attempt, decides.
        WebhooksConfig config = WebhooksConfig.defaults().withRetries(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofDays(1));
        start(config, (url, headers, body) -> {
            synchronized (attempts) {
                attempts.add(headers.get("webhook-id"));
                attempts.notifyAll();
            }
            now.updateAndGet(t -> t.plus(Duration.ofHours(1)));
            return new WebhookTransport.Answer(500, "down");
        });
        dispatcher.wake("r1");
        WebhookEndpoint disabled = awaitEndpoint(e.id(), x -> !x.enabled());
        assertTrue(disabled.disabledReason().contains("failing since 2026-12-01T10:00:00Z"), disabled.disabledReason());
        // 24 attempts, each an hour of the clock: after the 24th a day has gone by since the first. All of the first event.
        assertEquals(24, attempts.size(), attempts.toString());
        assertTrue(attempts.stream().allMatch("evt_r1_1"::equals), attempts.toString());
        assertEquals(0L, store.webhooks().position(e.id(), "r1"), "the position did not move");
        assertEquals(24, store.webhooks().deliveries(e.id(), 0, 100).size(), "every attempt is in the log");
        // Its owner is told, durably: a notification job written with the disable, for them alone.
        List<NotificationJob> jobs = store.notifications().dueJobs(now.get(), 10);
        assertEquals(1, jobs.size(), jobs.toString());
        NotificationJob notice = jobs.getFirst();
        assertEquals(NotificationType.WEBHOOK_DISABLED, notice.type());
        assertEquals(List.of(e.accountId()), notice.recipients());
        assertEquals("Your webhook http://203.0.113.7/hook was turned off after failing for 1 day", notice.text());
    }

    @Test
    void anEndpointAnswering410IsDisabledAtOnceAndItsOwnerIsTold() throws Exception {
        WebhookEndpoint e = endpointWithARoom("r410", 2);
        start(WebhooksConfig.defaults(), (url, headers, body) -> new WebhookTransport.Answer(410, "gone"));
        dispatcher.wake("r410");
        WebhookEndpoint disabled = awaitEndpoint(e.id(), x -> !x.enabled());
        assertTrue(disabled.disabledReason().contains("410"), disabled.disabledReason());
        List<NotificationJob> jobs = store.notifications().dueJobs(now.get(), 10);
        assertEquals(1, jobs.size(), jobs.toString());
        assertEquals("Your webhook http://203.0.113.7/hook was turned off because it answered 410 Gone", jobs.getFirst().text());
        // Turned off again (it was not on): nobody is told twice.
        assertFalse(store.webhooks().disable(e.id(), "again", jobs.getFirst()));
        assertEquals(1, store.notifications().dueJobs(now.get(), 10).size());
    }

    @Test
    void aReceiverThatTakesEverythingGetsTheRoomInOrderAndThePositionFollows() throws Exception {
        WebhookEndpoint e = endpointWithARoom("r2", 120);
        start(WebhooksConfig.defaults(), (url, headers, body) -> {
            synchronized (attempts) {
                attempts.add(headers.get("webhook-id"));
                attempts.notifyAll();
            }
            return new WebhookTransport.Answer(204, "");
        });
        dispatcher.wake("r2");
        synchronized (attempts) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (attempts.size() < 120 && System.nanoTime() < deadline) attempts.wait(100);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 120; i++) expected.add("evt_r2_" + i);
        assertEquals(expected, attempts);
        awaitPosition(e.id(), "r2", 120);
    }

    @Test
    void anAccountsNotificationsArriveAsNotificationCreatedInTheirOrder() throws Exception {
        WebhookEndpoint e = endpointWithARoom("r3", 1);
        List<String> bodies = new ArrayList<>();
        start(WebhooksConfig.defaults(), (url, headers, body) -> {
            synchronized (attempts) {
                attempts.add(headers.get("webhook-id"));
                bodies.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                attempts.notifyAll();
            }
            return new WebhookTransport.Answer(200, "");
        });
        // Issue 13's notifications table, written as its writer will (same JVM: the embedded database is shared).
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(DatabaseConfig.embedded(dir).url(), "salotto", "");
             java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO notifications (account_id, type, room_id, payload, "
                     + "created_at) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < 3; i++) {
                ps.setLong(1, e.accountId());
                ps.setString(2, "ROOM_LIVE");
                ps.setString(3, "r3");
                ps.setString(4, "{\"n\":" + i + "}");
                ps.setObject(5, java.time.OffsetDateTime.now(ZoneOffset.UTC));
                ps.executeUpdate();
            }
        }
        dispatcher.notificationsWritten(e.accountId());
        synchronized (attempts) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (attempts.stream().filter(a -> a.startsWith("ntf_")).count() < 3 && System.nanoTime() < deadline) attempts.wait(100);
        }
        List<String> ntf = attempts.stream().filter(a -> a.startsWith("ntf_")).toList();
        assertEquals(3, ntf.size(), attempts.toString());
        String last = bodies.get(attempts.lastIndexOf(ntf.get(2)));
        assertTrue(last.contains("\"type\":\"notification.created\"") && last.contains("\"kind\":\"ROOM_LIVE\"")
                && last.contains("\"notification\":{\"n\":2}"), last);
    }

    @Test
    void theBackoffDoublesUpToTheMaximumWithJitterInItsUpperHalf() {
        WebhooksConfig config = WebhooksConfig.defaults();
        WebhookDispatcher d = new WebhookDispatcher(store, config, clock, (u, h, b) -> null, new Random(1));
        for (int failed = 1; failed <= 60; failed++) {
            long full = Math.min(3_600_000L, 5_000L << Math.min(failed - 1, 40));
            long ms = d.backoff(failed).toMillis();
            assertTrue(ms >= full / 2 && ms <= full, failed + ": " + ms + " outside [" + full / 2 + ", " + full + "]");
        }
        d.close();
    }

    private WebhookEndpoint awaitEndpoint(String id, java.util.function.Predicate<WebhookEndpoint> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            WebhookEndpoint e = store.webhooks().endpoint(id).orElseThrow();
            if (done.test(e)) return e;
            if (!nextStore(deadline)) throw new AssertionError("the endpoint did not get there: " + store.webhooks().endpoint(id));
        }
    }

    private void awaitPosition(String id, String stream, long seq) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.webhooks().position(id, stream) != seq) {
            assertTrue(nextStore(deadline), "position stuck at " + store.webhooks().position(id, stream));
        }
    }

    /**
     * Waits for the dispatcher's next store (or a store since the last look); false at the deadline. The observer is
     * added before the dispatcher starts, so a store after a read is never missed.
     */
    private boolean nextStore(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !stored.tryAcquire(left, TimeUnit.NANOSECONDS)) return false;
        stored.drainPermits();
        return true;
    }
}
