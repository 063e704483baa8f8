package org.salotto.rooms.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.salotto.rooms.money.LedgerStore;
import org.salotto.rooms.money.Purchase;
import org.salotto.rooms.store.OutboxEvent;
import org.salotto.signaling.Messages;

/**
 * The outbox's events as webhook messages: which outbox type is which webhook type, and the message's JSON. The data
 * of a room's event is its outbox payload without {@code type}, with {@code roomId} and {@code seq} (the room's
 * sequence number) added; docs/api.md "Webhooks" lists every type's fields.
 */
public final class WebhookEvents {
    /** Outbox type to webhook type. An outbox type not here is no webhook's (hands, lobby, pins...). */
    static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("roomCreated", "room.created"),
            Map.entry("roomStarted", "room.started"),
            Map.entry("roomEnded", "room.ended"),
            Map.entry("memberJoined", "participant.joined"),
            Map.entry("memberLeft", "participant.left"),
            Map.entry("roleChanged", "participant.role_changed"),
            Map.entry("removed", "participant.removed"),
            Map.entry("trackPublished", "track.published"),
            Map.entry("trackUnpublished", "track.unpublished"),
            Map.entry("commentPosted", "comment.posted"),
            Map.entry("commentHidden", "comment.hidden"),
            Map.entry("badgeBought", "purchase.completed"),
            Map.entry("purchaseRefunded", "purchase.refunded"));
    public static final String NOTIFICATION_CREATED = "notification.created";
    public static final String TEST = "webhook.test";
    /** Every type an endpoint may ask for. */
    public static final List<String> ALL = List.of("room.created", "room.started", "room.ended", "participant.joined",
            "participant.left", "participant.role_changed", "participant.removed", "track.published", "track.unpublished",
            "comment.posted", "comment.hidden", "purchase.completed", "purchase.refunded", NOTIFICATION_CREATED);

    private final LedgerStore ledger;

    public WebhookEvents(LedgerStore ledger) {
        this.ledger = ledger;
    }

    /** The {@code webhook-id} of a room's event: stable across attempts, replays and restarts. */
    static String messageId(String roomId, long seq) {
        return "evt_" + roomId + "_" + seq;
    }

    public WebhookMessage of(OutboxEvent e) {
        String type = TYPES.get(e.type());
        String id = messageId(e.roomId(), e.seq());
        if (type == null) return new WebhookMessage(id, e.roomId(), e.seq(), null, e.at(), new byte[0]);
        ObjectNode data = Messages.JSON.createObjectNode();
        data.put("roomId", e.roomId()).put("seq", e.seq());
        JsonNode payload = read(e.payload());
        for (var fields = payload.fields(); fields.hasNext(); ) {
            var f = fields.next();
            if (!f.getKey().equals("type")) data.set(f.getKey(), f.getValue());
        }
        if (type.equals("purchase.completed") && data.hasNonNull("purchaseId")) {
            // What the outbox does not repeat: the money, from the ledger.
            Optional<Purchase> p = ledger.purchase(data.get("purchaseId").asText());
            p.ifPresent(x -> data.put("amount", x.amount()).put("fee", x.fee()).put("currency", x.currency()));
        }
        return new WebhookMessage(id, e.roomId(), e.seq(), type, e.at(), body(type, e.at(), data));
    }

    public WebhookMessage of(WebhookStore.Notification n) {
        ObjectNode data = Messages.JSON.createObjectNode();
        data.put("notificationId", n.id()).put("seq", n.id()).put("kind", n.type());
        if (n.roomId() != null) data.put("roomId", n.roomId());
        data.set("notification", read(n.payload()));
        return new WebhookMessage("ntf_" + n.id(), WebhookStore.NOTIFICATIONS, n.id(), NOTIFICATION_CREATED,
                n.createdAt(), body(NOTIFICATION_CREATED, n.createdAt(), data));
    }

    /** A {@code webhook.test} message (the owner's "send a test"). */
    public static WebhookMessage test(String id, Instant at) {
        ObjectNode data = Messages.JSON.createObjectNode().put("message", "a test from Salotto");
        return new WebhookMessage(id, "~test", 0, TEST, at, body(TEST, at, data));
    }

    private static byte[] body(String type, Instant at, ObjectNode data) {
        ObjectNode body = Messages.JSON.createObjectNode();
        body.put("type", type).put("timestamp", at.toString());
        body.set("data", data);
        return Messages.text(body).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode read(String json) {
        try {
            return Messages.JSON.readTree(json);
        } catch (Exception e) {
            return Messages.JSON.createObjectNode().put("unreadable", json);
        }
    }
}
