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
    record Account(long id, String username, String displayName,
                   @Wire.Doc("The account is one of the server's admins (the first account, people.admins, or stored): "
                           + "it may use /api/admin/.") boolean admin) implements ApiAnswer {
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

    record AppToken(@Wire.Doc("The join token: a JWT (docs/api.md, Join tokens), or `j1....` for an API key made before "
            + "grants existed; valid for a short time.") String token,
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

    // ---- people (issue 13) ----

    @Wire.Doc("Someone in a list: a followers or following list, a room's host, a report's reporter.")
    record PersonSummary(String username, String displayName,
                         @Wire.Nullable @Wire.Doc(AVATAR_URL) String avatarUrl,
                         @Wire.Doc("The caller follows them (false when not signed in).") boolean followedByMe)
            implements ApiAnswer {
    }

    @Wire.Doc("A person's profile page.")
    record Profile(String username, String displayName,
                   @Wire.Doc("0 to 160 characters; empty when none.") String bio,
                   @Wire.Nullable @Wire.Doc(AVATAR_URL) String avatarUrl,
                   int followers, int following,
                   @Wire.Doc("The caller follows them (false when not signed in).") boolean followedByMe,
                   @Wire.Doc("The caller is this person.") boolean me,
                   @Wire.Doc("Their public rooms open now with people in them (a live only while it is live), newest first.")
                   List<ServerFrame.Room> openRooms,
                   @Wire.Doc("Their public scheduled rooms, soonest first.") List<ServerFrame.Room> upcomingRooms)
            implements ApiAnswer {
    }

    @Wire.Doc("A page of a followers or following list, newest follow first.")
    record PersonPage(List<PersonSummary> people,
                      @Wire.Nullable @Wire.Doc("The `before` of the next page; null at the end.") String next)
            implements ApiAnswer {
    }

    @Wire.Doc("A room in a home page list, with its host and what the caller asked of it.")
    record HomeRoom(ServerFrame.Room room, PersonSummary host,
                    @Wire.Doc("The caller asked to be reminded of it (a scheduled room).") boolean remindMe,
                    @Wire.Doc("The host invited the caller (a scheduled room).") boolean invited) implements ApiAnswer {
    }

    @Wire.Doc("The home page's sections.")
    record Home(@Wire.Doc("Public rooms open now with people in them (lives only while live), hosted by people the caller "
                        + "follows; empty when not signed in.") List<HomeRoom> liveFromFollowed,
                @Wire.Doc("Scheduled rooms: public ones, those of people the caller follows, and those the caller was "
                        + "invited to or asked to be reminded of; soonest first.") List<HomeRoom> upcoming,
                @Wire.Doc("Public rooms open now with people in them (lives only while live), newest first.")
                List<HomeRoom> openNow) implements ApiAnswer {
    }

    @Wire.Doc("What a report is about: a room, someone in a room, or a live's comment.")
    enum ReportKind { ROOM, PARTICIPANT, COMMENT }

    @Wire.Doc("open until an admin dismisses it (dismissed) or acts on it: ends the room or suspends the account (actioned).")
    enum ReportState { OPEN, DISMISSED, ACTIONED }

    @Wire.Doc("A report to the server's admins, with what it was about when it was made.")
    record Report(String id, ReportKind kind, ReportState state, String reason,
                  @Wire.Doc("What was reported, as it was then: the room's title, the participant's name and room, the "
                          + "comment's text.") String context,
                  Instant createdAt, PersonSummary reporter,
                  @Wire.Nullable @Wire.Doc("The room (null when it is gone).") ServerFrame.Room room,
                  @Wire.Nullable @Wire.Doc("The name of who is reported: the room's host, the participant, the comment's "
                          + "writer.") String targetName,
                  @Wire.Nullable @Wire.Doc("Their identity (`a:<account id>` for an account, `g:...` for a guest).")
                  String targetIdentity,
                  @Wire.Nullable @Wire.Doc("The account reported, as it is now (username, display name, avatar), in the "
                          + "admins' list: null for a guest or an application's user, an account that is gone, and in "
                          + "the answer to the reporter.") PersonSummary target,
                  @Wire.Nullable String commentId) implements ApiAnswer {
    }

    record ReportList(List<Report> reports) implements ApiAnswer {
    }

    @Wire.Doc("dismiss: a report dismissed; end_room: a room ended; suspend and restore: an account suspended or restored.")
    enum AdminActionKind { DISMISS, END_ROOM, SUSPEND, RESTORE }

    @Wire.Doc("One entry of the admin action log (never changed).")
    record AdminAction(String id, Instant at, AdminActionKind action,
                       @Wire.Nullable @Wire.Doc("The admin's username (null if the account is gone).") String admin,
                       @Wire.Nullable String reportId, @Wire.Nullable String roomId,
                       @Wire.Nullable @Wire.Doc("The username of the account concerned (suspended or restored; the host of "
                               + "an ended room).") String account,
                       @Wire.Nullable @Wire.Doc("A suspension's reason.") String detail) implements ApiAnswer {
    }

    @Wire.Doc("The admin action log, newest first (the last 200).")
    record AdminActionList(List<AdminAction> actions) implements ApiAnswer {
    }

    String AVATAR_URL = "`/api/users/{username}/avatar?v={version}`; null: no avatar (show the initials).";

    // ---- join tokens with grants (issue 14) ----

    @Wire.Doc("An Ed25519 public key the account registered: the `kid` of its EdDSA join tokens.")
    record SigningKey(@Wire.Doc("`ed_` and 12 letters and digits.") String id, String name,
                      @Wire.Doc("base64url of the raw 32 bytes.") String publicKey, Instant createdAt) implements ApiAnswer {
    }

    record SigningKeyList(List<SigningKey> signingKeys) implements ApiAnswer {
    }

    // ---- WHIP and WHEP (issue 14) ----

    @Wire.Doc("The room's WHEP setting: whether anyone may watch or listen to it over WHEP without a join token (a "
            + "public room only).")
    record WhepSettings(boolean anonymous) implements ApiAnswer {
    }

    // ---- notifications (issue 13) ----

    @Wire.Doc("Who a notification is about: an account (username, display name, avatar or null for initials).")
    record NotificationActor(String username, String displayName, @Wire.Nullable String avatarUrl) implements ApiAnswer {
    }

    @Wire.Doc("What a notification tells: went_live, space_opened, call_opened (someone you follow); room_scheduled "
            + "(you were invited, or someone you follow scheduled a room), room_changed, room_cancelled, reminder (at the "
            + "lead time before the start), room_starting (a room you were invited to or asked to be reminded of); "
            + "hand_raised (to the host and co-hosts), made_cohost, made_moderator, stage_invitation; webhook_disabled (one "
            + "of your webhook endpoints was turned off; no room, the link is /settings).")
    enum NotificationType {
        WENT_LIVE, SPACE_OPENED, CALL_OPENED, ROOM_SCHEDULED, ROOM_CHANGED, ROOM_CANCELLED, REMINDER, ROOM_STARTING,
        HAND_RAISED, MADE_COHOST, MADE_MODERATOR, STAGE_INVITATION, WEBHOOK_DISABLED
    }

    @Wire.Doc("One notification: `text` is the sentence to show, `link` where a click goes (a room's page, /r/{id}; "
            + "/settings for webhook_disabled).")
    record Notification(@Wire.Doc("Increasing: newer notifications have greater ids (compare as numbers).") String id,
                        NotificationType type, String text, @Wire.Nullable String roomId, String link,
                        @Wire.Nullable NotificationActor actor, Instant createdAt, boolean read) implements ApiAnswer {
    }

    @Wire.Doc("A page of the inbox, newest first, with the count of unread notifications; `next` is the `before` of the "
            + "next page, null on the last.")
    record NotificationPage(List<Notification> notifications, int unread, @Wire.Nullable String next) implements ApiAnswer {
    }

    @Wire.Doc("The stream's `unread` event: how many notifications are unread now (after a read mark).")
    record Unread(int unread) implements ApiAnswer {
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
