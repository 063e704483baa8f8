package org.salotto.server.api;

import java.time.Instant;
import java.util.List;
import org.salotto.signaling.protocol.ServerFrame;
import org.salotto.signaling.protocol.Wire;

/**
 * Every answer body of the HTTP API but a room's own ({@link ServerFrame.Room}, shared with the WebSocket) and the
 * error ({@link org.salotto.signaling.protocol.HttpError}), written by {@link org.salotto.signaling.protocol.BodyCodec}
 * in component order (docs/api.md, openapi.json).
 */
public sealed interface ApiAnswer {

    @Wire.Doc("An account as its owner sees it.")
    record Account(long id, String username, String displayName) implements ApiAnswer {
    }

    record NewApiKey(String id,
                     @Wire.Doc("The secret `sk_<id>_<43 characters>`: shown only now. Send it as `Authorization: Bearer`.")
                     String key) implements ApiAnswer {
    }

    record ApiKey(String id, String name, Instant createdAt) implements ApiAnswer {
    }

    record ApiKeyList(List<ApiKey> apiKeys) implements ApiAnswer {
    }

    @Wire.Doc("Someone the account blocked from its rooms.")
    record Block(String identity, String name, Instant at) implements ApiAnswer {
    }

    record BlockList(List<Block> blocks) implements ApiAnswer {
    }

    record GuestToken(@Wire.Doc("`g2.<guest id>.<expiry>.<signature>`: valid for rooms.guest-token-ttl (30 days by default).") String guestToken) implements ApiAnswer {
    }

    record RoomList(List<ServerFrame.Room> rooms) implements ApiAnswer {
    }

    record JoinAnswer(@Wire.Doc("The join token (`j1....`), valid for a short time.") String token,
                      @Wire.Doc("`/ws/rooms/{roomId}`") String webSocket,
                      ServerFrame.Room room) implements ApiAnswer {
    }

    record AppToken(@Wire.Doc("The join token (`j1....`), valid for a short time.") String token,
                    @Wire.Doc("`/ws/rooms/{roomId}`") String webSocket) implements ApiAnswer {
    }

    record RoleResult(RoleOutcome result) implements ApiAnswer {
    }

    @Wire.Doc("done: the role is set; invited: the person must accept the invitation to the stage first.")
    enum RoleOutcome { DONE, INVITED }

    record ParticipantList(List<ServerFrame.Member> participants) implements ApiAnswer {
    }

    record Lobby(List<ServerFrame.LobbyEntry> waiting) implements ApiAnswer {
    }

    @Wire.Doc("A page of a live's comments, oldest first, and the pinned one.")
    record CommentPage(List<ServerFrame.Comment> comments,
                       @Wire.Nullable @Wire.Doc("The pinned comment, or null.") ServerFrame.Comment pinned) implements ApiAnswer {
    }

    @Wire.Doc("A live's moderation review (the host's), oldest first.")
    record ModerationReview(List<ModerationEntry> actions) implements ApiAnswer {
    }

    @Wire.Doc("What the host or the moderator did in the live, or someone's report of a comment.")
    record ModerationEntry(Instant at,
                           @Wire.Doc("The name of who did it (the reporter, for a report).") String actor,
                           ModerationKind action,
                           @Wire.Omitted @Wire.Doc("The name of the person concerned: the comment's writer, the person "
                                   + "whose comments went off or on, the viewer removed.") String target,
                           @Wire.Omitted String commentId,
                           @Wire.Omitted @Wire.Doc("The text of the comment concerned.") String text,
                           @Wire.Omitted @Wire.Doc("A report's reason.") String detail) implements ApiAnswer {
    }

    @Wire.Doc("What was done: a comment hidden, pinned or unpinned; comments off or on for everyone or for one person; "
            + "a viewer removed; a comment reported.")
    enum ModerationKind { HIDE, PIN, UNPIN, COMMENTS_OFF, COMMENTS_ON, MEMBER_COMMENTS_OFF, MEMBER_COMMENTS_ON, REMOVE, REPORT }
    @Wire.Doc("What a badge costs: `amount` in minor units (cents) of `currency`.")
    record BadgePrice(@Wire.Doc("1, 2 or 3.") int hearts, long amount) implements ApiAnswer {
    }

    @Wire.Doc("The prices of the badges of 1, 2 and 3 hearts (configuration badges.prices), in the server's one currency.")
    record BadgePrices(String currency, List<BadgePrice> prices) implements ApiAnswer {
    }

    @Wire.Doc("A badge bought in a live. `amount` is in minor units (cents) of `currency`.")
    record Purchase(String id, String roomId,
                    @Wire.Doc("The buyer's participant id in the live when they bought it.") String buyerId,
                    @Wire.Doc("The participant id of the person on stage it is for.") String targetId,
                    int hearts, long amount, String currency, Instant at, PurchaseState state) implements ApiAnswer {
    }

    @Wire.Doc("completed: bought; refunded: given back by the host (a reversing ledger transaction).")
    enum PurchaseState { COMPLETED, REFUNDED }

    @Wire.Doc("What one person on stage earned in the live, after the platform's fee, in minor units.")
    record Earning(@Wire.Omitted @Wire.Doc("Their participant id while they are in the live.") String participantId,
                   String identity, String name, long amount,
                   @Wire.Doc("Badges bought for them and not refunded.") int badges) implements ApiAnswer {
    }

    record Earnings(String currency, List<Earning> earnings) implements ApiAnswer {
    }

    @Wire.Doc("Someone who bought badges in the live: what they paid in minor units, hearts and badges (refunds left out).")
    record Supporter(String identity, String name, long amount, int hearts, int badges) implements ApiAnswer {
    }

    record Supporters(String currency, @Wire.Doc("Biggest first.") List<Supporter> supporters) implements ApiAnswer {
    }

    @Wire.Doc("A ledger account's balance: the sum of its entries, in minor units, as its owner reads it (what a creator "
            + "earned is positive; a buyer's account holds nothing after a purchase: what they pay in, they spend).")
    record Balance(@Wire.Doc("`earnings:<identity>` or `buyer:<identity>`.") String account, String currency, long balance)
            implements ApiAnswer {
    }

    // ---- webhooks (issue 14) ----

    @Wire.Doc("A webhook endpoint (docs/api.md \"Webhooks\").")
    record WebhookEndpoint(String id, String url, String description,
                           @Wire.Doc("The types sent; empty: all.") List<String> eventTypes,
                           @Wire.Doc("false: deliveries wait (its owner stopped them, or it failed for webhooks.retry-for).")
                           boolean enabled,
                           @Wire.Nullable @Wire.Doc("Why it is disabled, or null.") String disabledReason,
                           @Wire.Nullable @Wire.Doc("When its current run of failed attempts began; null: the last one "
                                   + "succeeded.") Instant failingSince,
                           Instant createdAt,
                           @Wire.Omitted @Wire.Doc("whsec_ and the base64 of the signing key: only in the answer to its "
                                   + "registration.") String secret) implements ApiAnswer {
    }

    record WebhookEndpointList(List<WebhookEndpoint> endpoints) implements ApiAnswer {
    }

    @Wire.Doc("dispatch: sent from the outbox, in order (first attempt and retries); replay: sent again on request; "
            + "test: a webhook.test message.")
    enum WebhookTrigger { DISPATCH, REPLAY, TEST }

    @Wire.Doc("One attempt to deliver a message.")
    record WebhookDelivery(@Wire.Doc("Decimal; for ?before= and replays.") String id,
                           @Wire.Doc("The webhook-id header: the same on every attempt and replay of one event.") String messageId,
                           @Wire.Doc("The event type, such as room.started.") String type,
                           @Wire.Nullable @Wire.Doc("The room of the event, or null (a notification, a test).") String roomId,
                           @Wire.Doc("The event's sequence number in its room (a notification's id).") long seq,
                           @Wire.Doc("1 for the first attempt of a dispatch, then 2, 3...") int attempt,
                           WebhookTrigger trigger,
                           @Wire.Nullable @Wire.Doc("The receiver's HTTP status; null: no answer (see error).") Integer status,
                           @Wire.Nullable @Wire.Doc("What went wrong, or null.") String error,
                           @Wire.Nullable @Wire.Doc("The start of the receiver's answer (at most 256 bytes).") String response,
                           long durationMs, Instant at) implements ApiAnswer {
    }

    record WebhookDeliveryList(@Wire.Doc("Newest first.") List<WebhookDelivery> deliveries) implements ApiAnswer {
    }

    @Wire.Doc("What a replay did: how many streams were set back (since), or the attempt made (deliveryId).")
    record WebhookReplayResult(@Wire.Omitted Integer streams, @Wire.Omitted WebhookDelivery delivery) implements ApiAnswer {
    }
}
