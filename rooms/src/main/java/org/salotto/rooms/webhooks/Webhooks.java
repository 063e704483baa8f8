package org.salotto.rooms.webhooks;

import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.salotto.rooms.Caller;
import org.salotto.rooms.RoomException;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * An account's webhook endpoints as the HTTP API manages them ({@code /api/me/webhooks}, docs/api.md "Webhooks"):
 * registered, listed, changed, deleted, their delivery log, a test message, replays. Every method checks its input and
 * the caller (an account, by session or API key) and may block on the database.
 */
public final class Webhooks {
    public static final int MAX_DESCRIPTION = 200;
    public static final int MAX_LOG_PAGE = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookStore store;
    private final WebhookDispatcher dispatcher;
    private final WebhooksConfig config;
    private final Clock clock;

    public Webhooks(WebhookStore store, WebhookDispatcher dispatcher, WebhooksConfig config, Clock clock) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.config = config;
        this.clock = clock;
    }

    /** A new endpoint; its {@code secret} is in the answer, and never again. */
    public WebhookEndpoint create(Caller caller, String url, String description, List<String> eventTypes) throws RoomException {
        long account = account(caller);
        String checkedUrl = url(url);
        String text = description(description);
        Set<String> types = types(eventTypes);
        if (store.endpointsOf(account).size() >= config.maxEndpoints()) {
            throw RoomException.badRequest("an account has at most " + config.maxEndpoints() + " webhook endpoints: delete one first");
        }
        String id = "we_" + HexFormat.of().formatHex(randomBytes(12));
        WebhookEndpoint e = new WebhookEndpoint(id, account, checkedUrl, text, WebhookSigner.newSecret(), types, true, null,
                null, clock.instant());
        store.createEndpoint(e);
        dispatcher.wakeEndpoint(id);
        return e;
    }

    public List<WebhookEndpoint> list(Caller caller) throws RoomException {
        return store.endpointsOf(account(caller));
    }

    public WebhookEndpoint get(Caller caller, String id) throws RoomException {
        long account = account(caller);
        return store.endpoint(id).filter(e -> e.accountId() == account)
                .orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND, "you have no webhook endpoint with this id"));
    }

    /** Changes what is given (null: unchanged). Enabling a disabled endpoint starts its deliveries where they stopped. */
    public WebhookEndpoint update(Caller caller, String id, String url, String description, List<String> eventTypes,
                                  Boolean enabled) throws RoomException {
        WebhookEndpoint e = get(caller, id);
        WebhookEndpoint changed = new WebhookEndpoint(e.id(), e.accountId(), url == null ? e.url() : url(url),
                description == null ? e.description() : description(description),
                e.secret(), eventTypes == null ? e.eventTypes() : types(eventTypes),
                enabled == null ? e.enabled() : enabled,
                enabled != null && !enabled ? "disabled by its owner" : e.disabledReason(), e.failingSince(), e.createdAt());
        store.updateEndpoint(changed);
        if (changed.enabled()) dispatcher.wakeEndpoint(id);
        return store.endpoint(id).orElse(changed);
    }

    public void delete(Caller caller, String id) throws RoomException {
        get(caller, id);
        store.deleteEndpoint(id);
    }

    /** The log, newest first: {@code limit} entries (1 to 200) before the entry {@code beforeId} (0: the newest). */
    public List<WebhookDelivery> deliveries(Caller caller, String id, long beforeId, int limit) throws RoomException {
        get(caller, id);
        return store.deliveries(id, beforeId, limit);
    }

    /** Sends a {@code webhook.test} message now, once, and answers what the receiver said (also in the log). */
    public WebhookDelivery test(Caller caller, String id) throws RoomException, InterruptedException {
        WebhookEndpoint e = get(caller, id);
        Instant now = clock.instant();
        WebhookMessage m = WebhookEvents.test("test_" + HexFormat.of().formatHex(randomBytes(12)), now);
        WebhookDelivery d = dispatcher.attempt(e, m, 1, WebhookDelivery.Trigger.TEST);
        return store.log(d);
    }

    /**
     * Sends one logged delivery's event again, now and once, with its {@code webhook-id} (so a receiver that keeps ids
     * knows it); answers the new attempt.
     */
    public WebhookDelivery replayDelivery(Caller caller, String id, long deliveryId) throws RoomException, InterruptedException {
        WebhookEndpoint e = get(caller, id);
        WebhookDelivery old = store.delivery(id, deliveryId)
                .orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND, "this endpoint has no delivery with this id"));
        if (old.trigger() == WebhookDelivery.Trigger.TEST) throw RoomException.badRequest("a test message is not replayed: send a new test");
        WebhookMessage m = dispatcher.message(e, old.stream(), old.seq())
                .orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND, "the event of this delivery is no longer kept"));
        WebhookDelivery d = dispatcher.attempt(e, m, 1, WebhookDelivery.Trigger.REPLAY);
        return store.log(d);
    }

    /**
     * Delivers again, in order and with retries like the first time, every event at or after {@code since} in each of
     * the endpoint's streams; returns how many streams were set back.
     */
    public int replaySince(Caller caller, String id, Instant since) throws RoomException {
        WebhookEndpoint e = get(caller, id);
        if (since == null) throw RoomException.badRequest("give 'since' (an instant) or 'deliveryId'");
        if (since.isAfter(clock.instant())) throw RoomException.badRequest("'since' is in the future");
        int n = store.rewind(id, e.accountId(), since).size();
        if (e.enabled()) dispatcher.wakeEndpoint(id);
        return n;
    }

    private static long account(Caller caller) throws RoomException {
        if (caller == null || !caller.isAccount()) throw new RoomException(ErrorCode.UNAUTHENTICATED, "log in first, or use an API key");
        return caller.accountId();
    }

    private String url(String url) throws RoomException {
        try {
            var u = WebhookUrls.parse(url);
            WebhookUrls.checkAddress(u, config.allowPrivateNetworks());
            return u.toString();
        } catch (IllegalArgumentException e) {
            throw RoomException.badRequest(e.getMessage());
        } catch (UnknownHostException e) {
            throw RoomException.badRequest("'url' names a host that does not resolve: " + e.getMessage());
        }
    }

    private static String description(String d) throws RoomException {
        if (d == null) return "";
        if (d.codePointCount(0, d.length()) > MAX_DESCRIPTION) {
            throw RoomException.badRequest("'description' may be at most " + MAX_DESCRIPTION + " characters");
        }
        return d.strip();
    }

    private static Set<String> types(List<String> types) throws RoomException {
        if (types == null) return Set.of();
        Set<String> out = new LinkedHashSet<>();
        for (String t : types) {
            if (t == null || !WebhookEvents.ALL.contains(t)) {
                throw RoomException.badRequest("'eventTypes' has '" + t + "', which is none of " + String.join(", ", WebhookEvents.ALL));
            }
            out.add(t);
        }
        return out;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
