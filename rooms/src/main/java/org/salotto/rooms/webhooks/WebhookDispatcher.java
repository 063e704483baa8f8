package org.salotto.rooms.webhooks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.salotto.rooms.notify.NotificationJob;
import org.salotto.rooms.notify.NotificationTexts;
import org.salotto.rooms.notify.NotificationType;
import org.salotto.rooms.store.OutboxEvent;
import org.salotto.rooms.store.Store;
import org.salotto.rooms.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to the endpoints, at least once and in order per room (docs/architecture.md "Webhooks").
 *
 * <p>Work is a <em>lane</em>: one endpoint in one stream (a room's outbox, or the account's notifications). A lane runs
 * on its own virtual thread, one at a time per (endpoint, stream): it reads the events after the endpoint's stored
 * position, sends the next one, and moves the position past it only once the receiver answered 2xx (in the same
 * transaction as the attempt's log entry). A failure is retried after an exponential delay with jitter, and the
 * events after it wait: so a receiver sees a room's events in their order, each until it takes it. A crash anywhere
 * loses nothing: the position is where the last 2xx left it, and the event after it is sent again (at least once).
 *
 * <p>Lanes start when a room's decision is stored ({@link #wake}, from the runtime), when notifications are written
 * ({@link #notificationsWritten}), and from a look at every stream every {@code webhooks.poll-interval} (events another
 * server wrote, a restart).
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** Events read from a stream at once. */
    private static final int BATCH = 100;
    /** Deliveries stored in one transaction at most, and how long one waits for others to join it. */
    private static final int GROUP = 50;
    private static final Duration GROUP_TIME = Duration.ofMillis(200);

    private final Store store;
    private final WebhookStore endpoints;
    private final WebhooksConfig config;
    private final Clock clock;
    private final WebhookTransport transport;
    private final RandomGenerator random;
    private final WebhookEvents events;
    private final ScheduledExecutorService poll =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("webhooks-poll").factory());
    private final Map<Lane.Key, Lane> lanes = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    /**
     * Whether any endpoint may be enabled: false on a server nobody registered one on, so that a decision's wake-up
     * costs nothing there. Set by every poll, and at once when an endpoint is registered or enabled.
     */
    private volatile boolean anyEndpoint = true;
    private final List<Observer> observers = new CopyOnWriteArrayList<>();

    /**
     * Told what the lanes stored, after its transaction committed: for whoever must wait for it (a test waits for
     * this rather than reading the store again and again). Called on a lane's thread; must return at once and change
     * nothing. The dispatcher does the same with or without observers.
     */
    public interface Observer {
        /** Attempts of the endpoint in {@code stream} are in its log now (and, for those taken, its position moved past them). */
        default void stored(String endpointId, String stream) {
        }

        /** The endpoint was turned off, with its owner's {@code webhook_disabled} notice (one transaction). */
        default void disabled(String endpointId, String reason) {
        }
    }

    public WebhookDispatcher(Store store, WebhooksConfig config, Clock clock, WebhookTransport transport,
                             RandomGenerator random) {
        this.store = store;
        this.endpoints = store.webhooks();
        this.config = config;
        this.clock = clock;
        this.transport = transport;
        this.random = random;
        this.events = new WebhookEvents(store.ledger());
    }

    /** Adds an observer; closing the answer removes it. */
    public AutoCloseable observe(Observer observer) {
        observers.add(observer);
        return () -> observers.remove(observer);
    }

    private void tell(java.util.function.Consumer<Observer> what) {
        for (Observer o : observers) {
            try {
                what.accept(o);
            } catch (RuntimeException e) {
                log.warn("webhooks: an observer failed", e);
            }
        }
    }

    /** Looks at every stream now and every {@code poll-interval}. */
    public void start() {
        long every = config.pollInterval().toMillis();
        poll.scheduleWithFixedDelay(this::sweep, 0, every, TimeUnit.MILLISECONDS);
    }

    /** A room's outbox has new events: the lanes of its host's endpoints start (off the caller's thread). */
    public void wake(String roomId) {
        if (closing.getCount() == 0 || !anyEndpoint) return;
        Thread.ofVirtual().name("webhooks-wake").start(() -> {
            try {
                for (WebhookEndpoint e : endpoints.enabledEndpointsOfRoom(roomId)) lane(e.id(), roomId);
            } catch (StoreException e) {
                log.debug("webhooks: could not look up the endpoints of room {} (the next poll will): {}", roomId, e.getMessage());
            }
        });
    }

    /**
     * The hook for issue 13's notifications: call after notifications of {@code accountId} are committed, and its
     * endpoints get {@code notification.created} at once (without it, within a poll interval).
     */
    public void notificationsWritten(long accountId) {
        if (closing.getCount() == 0) return;
        Thread.ofVirtual().name("webhooks-wake").start(() -> {
            try {
                for (WebhookEndpoint e : endpoints.endpointsOf(accountId)) {
                    if (e.enabled()) lane(e.id(), WebhookStore.NOTIFICATIONS);
                }
            } catch (StoreException e) {
                log.debug("webhooks: could not look up the endpoints of account {}: {}", accountId, e.getMessage());
            }
        });
    }

    /**
     * Starts the lanes of an endpoint in every stream it is behind in (registered, enabled again, replayed).
     */
    void wakeEndpoint(String endpointId) {
        anyEndpoint = true;
        Thread.ofVirtual().name("webhooks-wake").start(this::sweep);
    }

    private void sweep() {
        try {
            anyEndpoint = endpoints.anyEnabled();
            for (WebhookStore.Lag lag : endpoints.lagging()) lane(lag.endpointId(), lag.stream());
        } catch (StoreException e) {
            log.warn("webhooks: could not look for work; trying again in {}: {}", config.pollInterval(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("webhooks: looking for work failed", e);
        }
    }

    /** Runs the lane of (endpoint, stream), or tells the running one to look again before it stops. */
    private void lane(String endpointId, String stream) {
        Lane.Key key = new Lane.Key(endpointId, stream);
        lanes.compute(key, (k, running) -> {
            if (running != null) {
                running.again = true;
                return running;
            }
            Lane lane = new Lane(k);
            Thread.ofVirtual().name("webhooks-" + endpointId).start(() -> run(lane));
            return lane;
        });
    }

    private void run(Lane lane) {
        while (true) {
            try {
                drain(lane.key);
            } catch (StoreException e) {
                log.warn("webhooks: endpoint {} in {}: the database failed; the next poll tries again: {}",
                        lane.key.endpointId(), lane.key.stream(), e.getMessage());
            } catch (InterruptedException e) {
                lanes.remove(lane.key);
                return;
            } catch (RuntimeException e) {
                log.error("webhooks: endpoint {} in {} failed", lane.key.endpointId(), lane.key.stream(), e);
            }
            // Stop, unless someone asked this lane to look again meanwhile.
            boolean[] stop = {false};
            lanes.compute(lane.key, (k, l) -> {
                if (l != lane) return l;
                if (lane.again && closing.getCount() > 0) {
                    lane.again = false;
                    return lane;
                }
                stop[0] = true;
                return null;
            });
            if (stop[0]) return;
        }
    }

    /** Delivers everything after the endpoint's position in the stream, in order; returns when nothing is left. */
    private void drain(Lane.Key key) throws InterruptedException {
        while (closing.getCount() > 0) {
            Optional<WebhookEndpoint> found = endpoints.endpoint(key.endpointId());
            if (found.isEmpty() || !found.get().enabled()) return;
            WebhookEndpoint endpoint = found.get();
            Progress progress = new Progress(endpoint.id(), key.stream(), endpoints.position(endpoint.id(), key.stream()));
            List<WebhookMessage> next = read(endpoint, key.stream(), progress.stored);
            if (next.isEmpty()) return;
            Outcome o = Outcome.DELIVERED;
            for (WebhookMessage m : next) {
                if (m.type() == null || !endpoint.wants(m.type())) {
                    progress.passed(m.seq());
                    continue;
                }
                o = deliver(endpoint, m, progress);
                if (o != Outcome.DELIVERED) break;
                if (progress.due() && !progress.flush()) {
                    o = Outcome.MOVED;
                    break;
                }
            }
            boolean kept = progress.flush();
            if (o == Outcome.STOP) return;
            if (!kept) continue; // a replay set the position back meanwhile: read from there
        }
    }

    private List<WebhookMessage> read(WebhookEndpoint endpoint, String stream, long position) {
        List<WebhookMessage> out = new ArrayList<>();
        if (stream.equals(WebhookStore.NOTIFICATIONS)) {
            for (WebhookStore.Notification n : endpoints.notifications(endpoint.accountId(), position, BATCH)) out.add(events.of(n));
        } else {
            for (OutboxEvent e : store.events(stream, position, BATCH)) out.add(events.of(e));
        }
        return out;
    }

    private enum Outcome { DELIVERED, MOVED, STOP }

    /**
     * Sends one message until the receiver takes it (then it joins {@code progress}, to be stored with the next
     * group), the endpoint is disabled (or deleted, or changed by its owner), or the server stops.
     */
    private Outcome deliver(WebhookEndpoint endpoint, WebhookMessage m, Progress progress) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Sent sent = send(endpoint, m, attempt, WebhookDelivery.Trigger.DISPATCH);
            WebhookDelivery d = sent.delivery();
            if (d.succeeded()) {
                progress.delivered(d, m.seq());
                return Outcome.DELIVERED;
            }
            // What was taken before this one is stored before the failure is.
            if (!progress.flush()) return Outcome.MOVED;
            endpoints.log(d);
            String endpointId = endpoint.id(), stream = m.stream();
            tell(o -> o.stored(endpointId, stream));
            Instant since = endpoints.markFailing(endpoint.id(), d.at());
            if (d.status() != null && d.status() == 410) {
                // Standard Webhooks: 410 Gone is the receiver saying it wants no more.
                disable(endpoint, "the receiver answered 410 Gone", null);
                return Outcome.STOP;
            }
            if (Duration.between(since, clock.instant()).compareTo(config.retryFor()) >= 0) {
                disable(endpoint, "failing since " + since + " (" + config.retryFor() + " of retries); last attempt: "
                        + (d.status() != null ? "HTTP " + d.status() : d.error()), config.retryFor());
                return Outcome.STOP;
            }
            Duration wait = backoff(attempt);
            // A Retry-After longer than the backoff is honoured, up to the longest delay.
            if (sent.retryAfter() != null && sent.retryAfter().compareTo(wait) > 0) {
                wait = sent.retryAfter().compareTo(config.retryMaxInterval()) > 0 ? config.retryMaxInterval() : sent.retryAfter();
            }
            if (closing.await(wait.toMillis(), TimeUnit.MILLISECONDS)) return Outcome.STOP;
            // The owner may have changed the endpoint meanwhile (a new URL, disabled it, deleted it), or replayed.
            Optional<WebhookEndpoint> now = endpoints.endpoint(endpoint.id());
            if (now.isEmpty() || !now.get().enabled()) return Outcome.STOP;
            if (endpoints.position(endpoint.id(), m.stream()) != progress.stored) return Outcome.MOVED;
            endpoint = now.get();
        }
    }

    /**
     * What a lane has delivered and not yet stored. Deliveries are stored in groups (at most {@link #GROUP}, or what
     * {@link #GROUP_TIME} gathered, and always before a failure, a wait or the lane stopping): one transaction per
     * group rather than per event. A crash loses at most one group's positions, whose events are sent again: at least
     * once, as promised; never fewer.
     */
    private final class Progress {
        final String endpointId;
        final String stream;
        /** The position as stored. */
        long stored;
        /** Where the position goes with the next flush. */
        long reached;
        final List<WebhookDelivery> delivered = new ArrayList<>();
        long firstPendingNanos;

        Progress(String endpointId, String stream, long stored) {
            this.endpointId = endpointId;
            this.stream = stream;
            this.stored = stored;
            this.reached = stored;
        }

        void passed(long seq) {
            if (reached == stored) firstPendingNanos = System.nanoTime();
            reached = seq;
        }

        void delivered(WebhookDelivery d, long seq) {
            passed(seq);
            delivered.add(d);
        }

        boolean due() {
            return delivered.size() >= GROUP || System.nanoTime() - firstPendingNanos >= GROUP_TIME.toNanos();
        }

        /** Stores what is pending; false if the position was no longer where this lane left it (a replay). */
        boolean flush() {
            if (reached == stored) return true;
            boolean moved = endpoints.recordDelivered(endpointId, stream, delivered, stored, reached);
            delivered.clear();
            if (moved) {
                stored = reached;
                tell(o -> o.stored(endpointId, stream));
            } else {
                reached = stored;
            }
            return moved;
        }
    }

    /**
     * Turns the endpoint off and tells its owner: a {@code webhook_disabled} notification written in the same
     * transaction (so a crash cannot turn it off silently), and a log line for the server's admin. {@code failedFor}:
     * how long it failed (null: it answered 410 Gone).
     */
    private void disable(WebhookEndpoint endpoint, String reason, Duration failedFor) {
        NotificationJob notice = NotificationJob.notice(endpoint.accountId(), NotificationType.WEBHOOK_DISABLED,
                NotificationTexts.webhookDisabled(endpoint.url(), failedFor), clock.instant());
        if (!endpoints.disable(endpoint.id(), reason, notice)) return;
        tell(o -> o.disabled(endpoint.id(), reason));
        log.warn("webhook endpoint {} of account {} ({}) disabled: {}", endpoint.id(), endpoint.accountId(), endpoint.url(), reason);
    }

    /**
     * The delay before attempt {@code failed + 1}: {@code retry-initial × 2^(failed-1)}, at most
     * {@code retry-max-interval}, then "equal jitter": half of it fixed, the other half random, so that endpoints that
     * failed together do not retry together.
     */
    Duration backoff(int failed) {
        long initial = config.retryInitial().toMillis();
        long max = config.retryMaxInterval().toMillis();
        long d = failed >= 40 ? max : Math.min(max, initial << Math.min(failed - 1, 40));
        if (d <= 0) d = max;
        long half = d / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }

    /** One POST of a message, signed; never throws for what the receiver or the network did. */
    WebhookDelivery attempt(WebhookEndpoint endpoint, WebhookMessage m, int attempt, WebhookDelivery.Trigger trigger)
            throws InterruptedException {
        return send(endpoint, m, attempt, trigger).delivery();
    }

    /** An attempt and the receiver's Retry-After (null: none). */
    private record Sent(WebhookDelivery delivery, Duration retryAfter) {
    }

    private Sent send(WebhookEndpoint endpoint, WebhookMessage m, int attempt, WebhookDelivery.Trigger trigger)
            throws InterruptedException {
        Duration retryAfter = null;
        Instant at = clock.instant();
        long start = System.nanoTime();
        Integer status = null;
        String error = null;
        String excerpt = null;
        try {
            URI url = WebhookUrls.parse(endpoint.url());
            WebhookUrls.checkAddress(url, config.allowPrivateNetworks());
            long timestamp = at.getEpochSecond();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("content-type", "application/json");
            headers.put("user-agent", "Salotto-Webhooks/1");
            headers.put("webhook-id", m.id());
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put("webhook-signature", WebhookSigner.sign(endpoint.secret(), m.id(), timestamp, m.body()));
            WebhookTransport.Answer a = transport.post(url, headers, m.body());
            status = a.status();
            excerpt = a.excerpt();
            retryAfter = a.retryAfter();
            if (status >= 300 && status < 400) error = "redirects are not followed";
        } catch (InterruptedException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        } catch (java.net.http.HttpTimeoutException e) {
            error = "no answer within " + config.requestTimeout();
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new Sent(new WebhookDelivery(0, endpoint.id(), m.id(), m.stream(), m.seq(), m.type(), attempt, trigger,
                status, error, excerpt, ms, at), retryAfter);
    }

    /** The message of one event, read again (a replay of a delivery). */
    Optional<WebhookMessage> message(WebhookEndpoint endpoint, String stream, long seq) {
        List<WebhookMessage> found = read(endpoint, stream, seq - 1);
        return found.isEmpty() || found.getFirst().seq() != seq ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public void close() {
        closing.countDown();
        poll.shutdownNow();
    }

    /** One endpoint in one stream; {@code again}: look once more before stopping (work came while it ran). */
    private static final class Lane {
        record Key(String endpointId, String stream) {
        }

        final Key key;
        volatile boolean again;

        Lane(Key key) {
            this.key = key;
        }
    }
}
