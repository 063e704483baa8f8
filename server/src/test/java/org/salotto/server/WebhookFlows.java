package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.store.OutboxEvent;
import org.salotto.rooms.webhooks.WebhookDispatcher;
import org.salotto.rooms.webhooks.WebhooksConfig;
import org.salotto.server.Person.Reply;
import org.salotto.server.WebhookReceiver.Hit;

/**
 * Webhooks (issue 14) against the running server and a receiver the test runs: every event of a scripted call, live
 * and space arrives, signed as Standard Webhooks says (checked by the receiver with the specification's algorithm),
 * in each room's order; a receiver failing twice still gets the event, and the events after it wait for it; a
 * thousand events across four rooms, with failures sprinkled in, arrive with none lost or reordered; the endpoints'
 * API (secret once, test, log, replay, disabling). Runs on the embedded database and on PostgreSQL (the subclasses).
 */
abstract class WebhookFlows {
    static ServerFixture fixture;
    static final Duration WAIT = Duration.ofSeconds(60);
    private final List<RoomClient> clients = new ArrayList<>();
    private final List<WebhookReceiver> receivers = new ArrayList<>();

    /** Retries in milliseconds and loopback receivers; an endpoint failing for 3 s is disabled. */
    static ServerConfig config(ServerConfig c) {
        return c.withWebhooks(WebhooksConfig.defaults().withPrivateNetworks(true)
                .withRetries(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(3))
                .withPollInterval(Duration.ofMillis(500)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) fixture.close();
        fixture = null;
    }

    @AfterEach
    void closeAll() {
        clients.forEach(RoomClient::close);
        clients.clear();
        receivers.forEach(WebhookReceiver::close);
        receivers.clear();
    }

    String url() {
        return fixture.url();
    }

    RoomClient enter(Person p, String room) throws Exception {
        RoomClient c = p.enter(room);
        clients.add(c);
        return c;
    }

    /** A host account with an endpoint at a new receiver, which knows the endpoint's secret. */
    record Hooked(Person host, WebhookReceiver receiver, String endpointId) {
    }

    Hooked hooked(String prefix) throws Exception {
        Person host = Person.account(url(), ServerFixture.uniqueName(prefix));
        WebhookReceiver receiver = new WebhookReceiver();
        receivers.add(receiver);
        Reply r = host.post("/api/me/webhooks", Map.of("url", receiver.url(), "description", "the test's receiver"));
        assertEquals(201, r.status(), r.toString());
        String secret = r.body().get("secret").asText();
        assertTrue(secret.startsWith("whsec_"), secret);
        receiver.secret = secret;
        return new Hooked(host, receiver, r.body().get("id").asText());
    }

    /** The outbox's events of a room that are webhooks' (by type), in order. */
    static List<OutboxEvent> webhookEvents(String roomId) {
        List<String> kept = List.of("roomCreated", "roomStarted", "roomEnded", "memberJoined", "memberLeft", "roleChanged",
                "removed", "trackPublished", "trackUnpublished", "commentPosted", "commentHidden", "badgeBought",
                "purchaseRefunded");
        return fixture.server.store().events(roomId, 0, 100_000).stream().filter(e -> kept.contains(e.type())).toList();
    }

    static List<Hit> ofRoom(List<Hit> hits, String roomId) {
        return hits.stream().filter(h -> roomId.equals(h.data().path("roomId").asText())).toList();
    }

    /**
     * Waits until every webhook event of the room's outbox has been delivered, then checks: each signed, in the room's
     * order, the same events as the outbox (none lost, none made up), and {@code expected} among them in that order.
     */
    static List<Hit> checkRoom(WebhookReceiver receiver, String roomId, List<String> expected) throws Exception {
        // The room's last decisions may still be on their way to the database (a join is answered before it is
        // stored): wait for the receiver until what it got covers the outbox and holds what is expected.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<OutboxEvent> outbox = webhookEvents(roomId);
            long last = outbox.getLast().seq();
            List<Hit> hits = ofRoom(receiver.await(d -> ofRoom(d, roomId).stream().anyMatch(h -> h.data().get("seq").asLong() >= last),
                    WAIT, "room " + roomId + " up to seq " + last), roomId);
            List<String> types = hits.stream().map(Hit::type).toList();
            boolean complete = webhookEvents(roomId).size() == outbox.size() && containsInOrder(types, expected);
            if (!complete && System.nanoTime() < deadline) {
                receiver.await(d -> ofRoom(d, roomId).size() > hits.size(), Duration.ofMillis(200), "more", false);
                continue;
            }
            for (Hit h : hits) {
                assertTrue(h.verified(), "signature of " + h.id() + ": " + h.signature());
                assertEquals("evt_" + roomId + "_" + h.data().get("seq").asLong(), h.id());
                assertNotNull(h.json().get("timestamp").asText());
            }
            List<Long> seqs = hits.stream().map(h -> h.data().get("seq").asLong()).toList();
            assertEquals(webhookEvents(roomId).stream().map(OutboxEvent::seq).toList(), seqs, "every event, once, in the room's order");
            assertTrue(containsInOrder(types, expected), "expected " + expected + " in order within " + types);
            return hits;
        }
    }

    private static boolean containsInOrder(List<String> types, List<String> expected) {
        int at = 0;
        for (String t : types) if (at < expected.size() && t.equals(expected.get(at))) at++;
        return at == expected.size();
    }

    static Hit first(List<Hit> hits, String type) {
        return hits.stream().filter(h -> h.type().equals(type)).findFirst().orElseThrow(() -> new AssertionError("no " + type));
    }

    @Test
    void everyEventOfACallALiveAndASpaceArrivesSignedInOrder() throws Exception {
        Hooked k = hooked("hooks");
        Person host = k.host();

        // A call: two people, a track, a co-host, a removal, someone leaving, the end.
        String call = host.createRoom("call", Map.of());
        RoomClient h = enter(host, call);
        Person ann = Person.guest(url(), "Ann");
        RoomClient a = enter(ann, call);
        a.send(Map.of("type", "publish", "id", 1, "sdp", RoomFlows.audioOnlyOffer(), "sources", Map.of("0", "mic")));
        a.awaitType("publishAnswer");
        assertEquals(200, host.put("/api/rooms/" + call + "/participants/" + a.participantId + "/role", Map.of("role", "co_host")).status());
        Person bob = Person.guest(url(), "Bob");
        RoomClient b = enter(bob, call);
        assertEquals(204, host.post("/api/rooms/" + call + "/participants/" + b.participantId + "/remove", null).status());
        a.send(Map.of("type", "leave"));
        h.awaitEvent("memberLeft", e -> e.path("participantId").asText().equals(a.participantId));
        assertEquals(204, host.post("/api/rooms/" + call + "/end", null).status());
        List<Hit> callHits = checkRoom(k.receiver(), call, List.of("room.created", "room.started", "participant.joined",
                "participant.joined", "track.published", "participant.role_changed", "participant.joined",
                "participant.removed", "participant.left", "track.unpublished", "participant.left", "room.ended"));
        Hit published = first(callHits, "track.published");
        assertEquals(a.participantId, published.data().get("participantId").asText());
        assertEquals("audio", published.data().get("kind").asText());
        assertEquals("mic", published.data().get("source").asText());
        assertEquals("co_host", first(callHits, "participant.role_changed").data().get("role").asText());
        assertEquals(call, first(callHits, "room.created").data().get("room").get("id").asText());
        assertEquals("Ann", callHits.stream().filter(x -> x.type().equals("participant.joined")).toList().get(1)
                .data().get("member").get("name").asText());

        // A live: a guest on stage, a viewer who comments and buys a badge, a comment hidden, the end.
        String live = host.createRoom("live", Map.of());
        RoomClient lh = enter(host, live);
        Person guest = Person.guest(url(), "Gus");
        RoomClient g = enter(guest, live);
        assertEquals(200, host.put("/api/rooms/" + live + "/participants/" + g.participantId + "/role", Map.of("role", "guest")).status());
        assertEquals(204, guest.post("/api/rooms/" + live + "/invitation/accept", null).status());
        Person viewer = Person.guest(url(), "Vic");
        RoomClient v = enter(viewer, live);
        v.send(Map.of("type", "comment", "text", "hello from Vic"));
        String commentId = lh.awaitEvent("commentPosted", e -> true).get("comment").get("id").asText();
        assertEquals(204, host.delete("/api/rooms/" + live + "/comments/" + commentId).status());
        Person.Answer bought = viewer.postWithKey("/api/rooms/" + live + "/badges", Map.of("targetId", g.participantId, "hearts", 2),
                "key-" + System.nanoTime());
        assertEquals(201, bought.status(), bought.toString());
        assertEquals(204, host.post("/api/rooms/" + live + "/end", null).status());
        List<Hit> liveHits = checkRoom(k.receiver(), live, List.of("room.created", "room.started", "participant.joined",
                "participant.joined", "participant.role_changed", "participant.joined", "comment.posted", "comment.hidden",
                "purchase.completed", "room.ended"));
        Hit purchase = first(liveHits, "purchase.completed");
        assertEquals(bought.body().get("id").asText(), purchase.data().get("purchaseId").asText());
        assertEquals(bought.body().get("amount").asLong(), purchase.data().get("amount").asLong());
        assertEquals(bought.body().get("currency").asText(), purchase.data().get("currency").asText());
        assertEquals(2, purchase.data().get("hearts").asInt());
        assertEquals("hello from Vic", first(liveHits, "comment.posted").data().get("comment").get("text").asText());
        assertEquals(commentId, first(liveHits, "comment.hidden").data().get("commentId").asText());

        // A space: a listener brought on stage speaks, then goes back to the audience (the track ends), the end.
        String space = host.createRoom("space", Map.of());
        RoomClient sh = enter(host, space);
        Person sue = Person.guest(url(), "Sue");
        RoomClient s = enter(sue, space);
        assertEquals(200, host.put("/api/rooms/" + space + "/participants/" + s.participantId + "/role", Map.of("role", "speaker")).status());
        assertEquals(204, sue.post("/api/rooms/" + space + "/invitation/accept", null).status());
        s.awaitEvent("roleChanged", e -> e.path("participantId").asText().equals(s.participantId));
        s.send(Map.of("type", "publish", "id", 1, "sdp", RoomFlows.audioOnlyOffer(), "sources", Map.of("0", "mic")));
        s.awaitType("publishAnswer");
        sh.awaitType("trackPublished");
        s.send(Map.of("type", "leaveStage"));
        sh.awaitType("trackUnpublished");
        assertEquals(204, host.post("/api/rooms/" + space + "/end", null).status());
        checkRoom(k.receiver(), space, List.of("room.created", "room.started", "participant.joined", "participant.joined",
                "participant.role_changed", "track.published", "participant.role_changed", "track.unpublished",
                "room.ended"));

        // The log holds each attempt; the deliveries of another account's endpoint are not this one's business.
        String lastId = "evt_" + space + "_" + webhookEvents(space).getLast().seq();
        JsonNode log = awaitLog(host, "/api/me/webhooks/" + k.endpointId(),
                l -> l.stream().anyMatch(d -> d.get("messageId").asText().equals(lastId)));
        JsonNode entry = log.get("deliveries").get(0);
        assertEquals("dispatch", entry.get("trigger").asText());
        assertEquals(200, entry.get("status").asInt());
        Person other = Person.account(url(), ServerFixture.uniqueName("other"));
        assertEquals(404, other.get("/api/me/webhooks/" + k.endpointId() + "/deliveries").status());
        assertEquals(404, other.get("/api/me/webhooks/" + k.endpointId()).status());
    }

    @Test
    void aBadgeRefundedIsAnEventOfTheLiveInItsOrderEvenAfterTheEnd() throws Exception {
        Hooked k = hooked("refunds");
        Person host = k.host();
        String live = host.createRoom("live", Map.of());
        RoomClient lh = enter(host, live);
        Person guest = Person.guest(url(), "Gus");
        RoomClient g = enter(guest, live);
        assertEquals(200, host.put("/api/rooms/" + live + "/participants/" + g.participantId + "/role", Map.of("role", "guest")).status());
        assertEquals(204, guest.post("/api/rooms/" + live + "/invitation/accept", null).status());
        lh.awaitEvent("roleChanged", e -> e.path("participantId").asText().equals(g.participantId));
        Person viewer = Person.guest(url(), "Vic");
        enter(viewer, live);
        Person.Answer first = viewer.postWithKey("/api/rooms/" + live + "/badges", Map.of("targetId", g.participantId, "hearts", 1),
                "key-" + System.nanoTime());
        assertEquals(201, first.status(), first.toString());
        Person.Answer second = viewer.postWithKey("/api/rooms/" + live + "/badges", Map.of("targetId", g.participantId, "hearts", 3),
                "key-" + System.nanoTime());
        assertEquals(201, second.status(), second.toString());
        String firstId = first.body().get("id").asText();
        String secondId = second.body().get("id").asText();
        // One refunded while the live is on, the other after it ended: both are the live's events, after its others.
        Reply refunded = host.post("/api/purchases/" + firstId + "/refund", null);
        assertEquals(200, refunded.status(), refunded.toString());
        assertEquals("refunded", refunded.body().get("state").asText());
        assertEquals(204, host.post("/api/rooms/" + live + "/end", null).status());
        assertEquals(200, host.post("/api/purchases/" + secondId + "/refund", null).status());
        // Asked again: nothing more (one refund, one event).
        assertEquals(200, host.post("/api/purchases/" + secondId + "/refund", null).status());
        List<Hit> hits = checkRoom(k.receiver(), live, List.of("room.created", "purchase.completed", "purchase.completed",
                "purchase.refunded", "room.ended", "purchase.refunded"));
        List<Hit> refunds = hits.stream().filter(h -> h.type().equals("purchase.refunded")).toList();
        assertEquals(2, refunds.size(), "one event per refund: " + refunds);
        assertEquals(firstId, refunds.get(0).data().get("purchaseId").asText());
        assertEquals(secondId, refunds.get(1).data().get("purchaseId").asText());
        Hit refund = refunds.get(1);
        assertEquals(3, refund.data().get("hearts").asInt());
        assertEquals(g.participantId, refund.data().get("targetId").asText());
        assertEquals("Vic", refund.data().get("buyerName").asText());
        assertEquals(second.body().get("amount").asLong(), refund.data().get("amount").asLong());
        assertEquals(second.body().get("currency").asText(), refund.data().get("currency").asText());
        assertTrue(refund.data().get("fee").asLong() > 0, refund.toString());
        // The ledger's reversal was stored with the event: the purchase reads as refunded.
        assertEquals("refunded", host.post("/api/purchases/" + secondId + "/refund", null).body().get("state").asText());
    }

    @Test
    void aReceiverFailingTwiceStillGetsTheEventAndTheNextOnesWait() throws Exception {
        Hooked k = hooked("retry");
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        // The room's creation fails twice; everything else is taken at once.
        k.receiver().answer = hit -> hit.id().endsWith("_1") && tries.computeIfAbsent(hit.id(), x -> new AtomicInteger()).incrementAndGet() <= 2
                ? 500 : 200;
        String room = k.host().createRoom("call", Map.of());
        enter(k.host(), room);
        List<Hit> hits = checkRoom(k.receiver(), room, List.of("room.created", "room.started", "participant.joined"));
        assertEquals("room.created", hits.getFirst().type());
        List<Hit> all = k.receiver().hits();
        List<Integer> createdAnswers = all.stream().filter(x -> x.id().equals("evt_" + room + "_1")).map(Hit::answered).toList();
        assertEquals(List.of(500, 500, 200), createdAnswers, "two failures, then taken");
        // Nothing of the room was sent before its first event was taken.
        int firstOk = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals("evt_" + room + "_1") && all.get(i).answered() == 200) firstOk = i;
        }
        for (int i = 0; i < firstOk; i++) assertEquals("evt_" + room + "_1", all.get(i).id(), "sent before the first: " + all.get(i).id());

        // The log is written with the position, a group at a time: it follows the receiver closely, not at once.
        JsonNode log = awaitLog(k.host(), "/api/me/webhooks/" + k.endpointId(),
                l -> l.stream().anyMatch(d -> d.get("seq").asLong() == 1 && d.get("status").asInt() == 200));
        List<JsonNode> ofCreated = new ArrayList<>();
        log.get("deliveries").forEach(d -> {
            if (d.get("seq").asLong() == 1) ofCreated.add(d);
        });
        assertEquals(List.of(3, 2, 1), ofCreated.stream().map(d -> d.get("attempt").asInt()).toList());
        assertEquals(List.of(200, 500, 500), ofCreated.stream().map(d -> d.get("status").asInt()).toList());
        JsonNode endpoint = k.host().get("/api/me/webhooks/" + k.endpointId()).body();
        assertTrue(endpoint.get("enabled").asBoolean());
        assertTrue(endpoint.get("failingSince").isNull(), "a success ends the run of failures");
    }

    @Test
    void aThousandEventsInFourRoomsArriveNoneLostNoneReordered() throws Exception {
        Hooked k = hooked("thousand");
        // One attempt in seven fails, whatever the event: retries happen all along.
        AtomicInteger n = new AtomicInteger();
        k.receiver().answer = hit -> n.incrementAndGet() % 7 == 0 ? 503 : 200;
        int rooms = 4;
        int flipsPerRoom = 250;
        List<String> ids = new ArrayList<>();
        Map<String, String> participant = new HashMap<>();
        for (int r = 0; r < rooms; r++) {
            String room = k.host().createRoom("call", Map.of());
            enter(k.host(), room);
            RoomClient p = enter(Person.guest(url(), "P" + r), room);
            ids.add(room);
            participant.put(room, p.participantId);
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> work = new ArrayList<>();
            for (String room : ids) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < flipsPerRoom; i++) {
                        Reply r = k.host().put("/api/rooms/" + room + "/participants/" + participant.get(room) + "/role",
                                Map.of("role", i % 2 == 0 ? "co_host" : "participant"));
                        if (r.status() != 200) throw new AssertionError(r.toString());
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) f.get();
        }
        int total = 0;
        for (String room : ids) {
            List<Hit> hits = checkRoom(k.receiver(), room, List.of("room.created", "room.started"));
            long flips = hits.stream().filter(h -> h.type().equals("participant.role_changed")).count();
            assertEquals(flipsPerRoom, flips, "every role change of room " + room);
            total += (int) flips;
        }
        assertEquals(rooms * flipsPerRoom, total);
        assertTrue(k.receiver().hits().stream().anyMatch(h -> h.answered() == 503), "some attempts failed and were retried");
    }

    @Test
    void theEndpointsApiShowsTheSecretOnceTestsLogsReplaysAndDisables() throws Exception {
        Hooked k = hooked("api");
        Person host = k.host();
        String base = "/api/me/webhooks/" + k.endpointId();
        JsonNode listed = host.get("/api/me/webhooks").body().get("endpoints").get(0);
        assertEquals(k.endpointId(), listed.get("id").asText());
        assertNull(listed.get("secret"), "the secret is shown once");
        assertNull(host.get(base).body().get("secret"));

        // Refused at the edge: not http(s), a bad type, unknown fields.
        assertEquals("bad_request", host.post("/api/me/webhooks", Map.of("url", "ftp://example.com/x")).code());
        assertEquals("bad_request", host.post("/api/me/webhooks", Map.of("url", "http://user:pw@example.com/")).code());
        assertEquals("bad_request", host.post("/api/me/webhooks", Map.of("url", k.receiver().url(), "eventTypes",
                List.of("room.exploded"))).code());
        assertEquals("bad_request", host.post("/api/me/webhooks", Map.of("url", k.receiver().url(), "eventTypes",
                "room.started,room.ended")).code(), "a JSON array of strings, not a comma-separated string");
        assertEquals("bad_request", host.post("/api/me/webhooks", Map.of("url", k.receiver().url(), "eventTypes",
                List.of("room.started", 7))).code());
        assertEquals("bad_request", host.post("/api/me/webhooks", Map.of("url", k.receiver().url(), "colour", "red")).code());
        assertEquals("unauthenticated", new Person(url(), "nobody").get("/api/me/webhooks").code());

        // A test message, signed like the rest, answered with what the receiver said.
        Reply test = host.post(base + "/test", null);
        assertEquals(200, test.status(), test.toString());
        assertEquals("test", test.body().get("trigger").asText());
        assertEquals(200, test.body().get("status").asInt());
        Hit t = k.receiver().hits().getLast();
        assertEquals("webhook.test", t.type());
        assertTrue(t.verified());

        // Events, then a replay of one delivery (same webhook-id), then of everything since an instant.
        String room = host.createRoom("call", Map.of());
        checkRoom(k.receiver(), room, List.of("room.created"));
        JsonNode created = null;
        for (JsonNode d : awaitLog(host, base, l -> l.stream().anyMatch(x -> x.get("messageId").asText().equals("evt_" + room + "_1")))
                .get("deliveries")) {
            if (d.get("messageId").asText().equals("evt_" + room + "_1")) created = d;
        }
        assertNotNull(created);
        int before = k.receiver().hits().size();
        Reply one = host.post(base + "/deliveries/" + created.get("id").asText() + "/replay", null);
        assertEquals(200, one.status(), one.toString());
        assertEquals("replay", one.body().get("delivery").get("trigger").asText());
        assertEquals("evt_" + room + "_1", k.receiver().hits().get(before).id());
        Reply sameByBody = host.post(base + "/replay", Map.of("deliveryId", created.get("id").asText()));
        assertEquals(200, sameByBody.status(), sameByBody.toString());
        assertEquals("bad_request", host.post(base + "/replay", Map.of()).code());
        assertEquals("bad_request", host.post(base + "/replay", Map.of("since", "2999-01-01T00:00:00Z")).code());
        int hitsBefore = k.receiver().hits().size();
        String eventTime = k.receiver().hits().stream().filter(x -> x.id().equals("evt_" + room + "_1")).findFirst()
                .orElseThrow().json().get("timestamp").asText();
        Reply since = host.post(base + "/replay", Map.of("since", java.time.Instant.parse(eventTime).minusMillis(1).toString()));
        assertEquals(200, since.status(), since.toString());
        assertTrue(since.body().get("streams").asInt() >= 1, since.toString());
        k.receiver().await(d -> k.receiver().hits().size() > hitsBefore
                && k.receiver().hits().subList(hitsBefore, k.receiver().hits().size()).stream()
                .anyMatch(x -> x.id().equals("evt_" + room + "_1")), WAIT, "the replay since an instant");

        // Event types: an endpoint that takes only room.ended gets nothing else.
        Reply narrowed = host.patch(base, Map.of("eventTypes", List.of("room.ended", "room.created")));
        assertEquals(200, narrowed.status(), narrowed.toString());
        assertEquals("[\"room.created\",\"room.ended\"]", narrowed.body().get("eventTypes").toString());
        assertEquals(200, host.patch(base, Map.of("eventTypes", List.of("room.ended"))).status());
        String quiet = host.createRoom("call", Map.of());
        assertEquals(204, host.post("/api/rooms/" + quiet + "/end", null).status());
        List<Hit> q = ofRoom(k.receiver().await(d -> ofRoom(d, quiet).stream().anyMatch(x -> x.type().equals("room.ended")),
                WAIT, "room.ended of " + quiet), quiet);
        assertEquals(List.of("room.ended"), q.stream().map(Hit::type).toList());
        Reply all = host.patch(base, Map.of("eventTypes", List.of()));
        assertEquals(200, all.status(), all.toString());
        assertEquals("[]", all.body().get("eventTypes").toString(), "[]: all of them");

        // 410 Gone: the receiver wants no more; the endpoint is disabled at once, and says why.
        k.receiver().answer = hit -> 410;
        host.createRoom("call", Map.of());
        JsonNode gone = awaitDisabled(host, base);
        assertTrue(gone.get("disabledReason").asText().contains("410"), gone.toString());
        // Enabled again, it resumes where it stopped.
        k.receiver().answer = hit -> 200;
        assertEquals(200, host.patch(base, Map.of("enabled", true)).status());
        String after = host.createRoom("call", Map.of());
        checkRoom(k.receiver(), after, List.of("room.created"));

        assertEquals(204, host.delete(base).status());
        assertEquals(404, host.get(base).status());
    }

    @Test
    void anEndpointFailingForRetryForIsDisabledAndItsEventsWait() throws Exception {
        Hooked k = hooked("failing");
        k.receiver().answer = hit -> 500;
        String room = k.host().createRoom("call", Map.of());
        JsonNode disabled = awaitDisabled(k.host(), "/api/me/webhooks/" + k.endpointId());
        assertTrue(disabled.get("disabledReason").asText().contains("failing since"), disabled.toString());
        assertFalse(disabled.get("failingSince").isNull());
        int attempts = k.receiver().hits().size();
        assertTrue(attempts >= 3, "retried before giving up: " + attempts);
        // Its owner finds it in their notifications, with the way to the settings page.
        JsonNode notice = awaitNotification(k.host(), "webhook_disabled");
        assertEquals("Your webhook " + k.receiver().url() + " was turned off after failing for 3 seconds",
                notice.get("text").asText());
        assertEquals("/settings", notice.get("link").asText());
        assertTrue(notice.get("roomId").isNull(), notice.toString());
        assertFalse(notice.get("read").asBoolean());
        // Nothing was lost: enabled again, the receiver gets the room's events from its first.
        k.receiver().answer = hit -> 200;
        assertEquals(200, k.host().patch("/api/me/webhooks/" + k.endpointId(), Map.of("enabled", true)).status());
        checkRoom(k.receiver(), room, List.of("room.created"));
    }

    /**
     * Permits for what the dispatcher stores for one endpoint (attempts logged, its position moved, it turned off),
     * observed from before the first look: a store after a look is never missed.
     */
    private static final class Stored implements WebhookDispatcher.Observer, AutoCloseable {
        private final String endpointId;
        private final Semaphore permits = new Semaphore(0);
        private final AutoCloseable registration;

        Stored(String endpointPath) {
            this.endpointId = endpointPath.substring(endpointPath.lastIndexOf('/') + 1);
            this.registration = fixture.server.webhookDispatcher().observe(this);
        }

        @Override
        public void stored(String endpointId, String stream) {
            if (endpointId.equals(this.endpointId)) permits.release();
        }

        @Override
        public void disabled(String endpointId, String reason) {
            if (endpointId.equals(this.endpointId)) permits.release();
        }

        /** Waits for the next store (or one since the last look); false at the deadline. */
        boolean next(long deadline) throws InterruptedException {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) return false;
            permits.drainPermits();
            return true;
        }

        @Override
        public void close() throws Exception {
            registration.close();
        }
    }

    /** Waits until the endpoint's log (the last 200 attempts) satisfies {@code done}; answers it. */
    private static JsonNode awaitLog(Person host, String endpointPath, java.util.function.Predicate<List<JsonNode>> done)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Stored stored = new Stored(endpointPath)) {
            while (true) {
                Reply r = host.get(endpointPath + "/deliveries?limit=200");
                assertEquals(200, r.status(), r.toString());
                List<JsonNode> entries = new ArrayList<>();
                r.body().get("deliveries").forEach(entries::add);
                if (done.test(entries)) return r.body();
                if (!stored.next(deadline)) throw new AssertionError("the log never got there: " + r);
            }
        }
    }

    /** Waits for the account's newest notification of {@code type} (the worker writes it after its job's commit). */
    private static JsonNode awaitNotification(Person p, String type) throws Exception {
        return NotificationEvents.awaitInboxOf(p, type, WAIT);
    }

    /** Waits for the endpoint to be disabled (the dispatcher decides it after the receiver's answers). */
    private static JsonNode awaitDisabled(Person host, String path) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Stored stored = new Stored(path)) {
            while (true) {
                JsonNode e = host.get(path).body();
                if (!e.get("enabled").asBoolean()) return e;
                if (!stored.next(deadline)) throw new AssertionError("not disabled within " + WAIT + ": " + host.get(path));
            }
        }
    }
}
