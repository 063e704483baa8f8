package org.salotto.server.api;

import java.time.Instant;
import org.salotto.signaling.protocol.ServerFrame;
import org.salotto.signaling.protocol.Wire;

/**
 * Every request body of the HTTP API (docs/api.md, openapi.json), read by
 * {@link org.salotto.signaling.protocol.BodyCodec}: no field outside the record, each component of its type and within
 * its {@link Wire.MaxLength}, an {@link Wire.Omitted} one optional. The limits here are the edge's; the rooms layer
 * applies the finer rules (a title of 1 to 120 characters...) the descriptions give. Components are checked in order.
 */
public sealed interface ApiRequest {

    @Wire.Doc("No fields: send no body, or `{}`.")
    record Empty() implements ApiRequest {
    }

    @Wire.Doc("A new account; it is logged in at once (the answer sets the session cookie).")
    record SignUp(@Wire.MaxLength(64) @Wire.Doc("3 to 32 characters of A-Z, a-z, 0-9, _ and .") String username,
                  @Wire.MaxLength(256) @Wire.Doc("8 to 256 characters") String password,
                  @Wire.Omitted @Wire.MaxLength(256) @Wire.Doc(DISPLAY_NAME + " Default: the username.") String displayName)
            implements ApiRequest {
    }

    @Wire.Doc("Logging in; the answer sets the session cookie.")
    record LogIn(@Wire.MaxLength(64) String username, @Wire.MaxLength(256) String password) implements ApiRequest {
    }

    record ApiKeyRequest(@Wire.MaxLength(256) @Wire.Doc("1 to 64 characters after stripping, no control characters.")
                         String name) implements ApiRequest {
    }

    record NewRoom(@Wire.MaxLength(16) ServerFrame.RoomKind kind,
                   @Wire.MaxLength(256) @Wire.Doc(TITLE) String title,
                   @Wire.Omitted @Wire.MaxLength(256) @Wire.Doc(ACTIVITY) String activity,
                   @Wire.Omitted @Wire.MaxLength(16) @Wire.Doc("public (the default) or private.") ServerFrame.Visibility visibility,
                   @Wire.Omitted @Wire.MaxLength(64) @Wire.Doc("Later start (RFC 3339, such as 2026-11-21T18:00:00Z); the room is "
                           + "then scheduled. Absent: open now.") Instant scheduledStart,
                   @Wire.Omitted @Wire.Doc("Newcomers wait in the lobby. Default false.") Boolean knock,
                   @Wire.Omitted @Wire.Doc("A live only: open it in its backstage (practice mode). Only the host and the "
                           + "guests the host lets in are in; everyone else waits until the host goes live "
                           + "(POST /api/rooms/{id}/go-live). Default false.") Boolean practice) implements ApiRequest {
    }

    @Wire.Doc("Absent or null fields stay as they are.")
    record RoomChanges(@Wire.Omitted @Wire.MaxLength(256) @Wire.Doc(TITLE) String title,
                       @Wire.Omitted @Wire.MaxLength(256) @Wire.Doc(ACTIVITY) String activity,
                       @Wire.Omitted @Wire.MaxLength(16) ServerFrame.Visibility visibility,
                       @Wire.Omitted Boolean locked,
                       @Wire.Omitted Boolean knock) implements ApiRequest {
    }

    record JoinRequest(@Wire.Omitted @Wire.MaxLength(256) @Wire.Doc("Required for a guest; an account's display name "
            + "otherwise. " + DISPLAY_NAME) String displayName) implements ApiRequest {
    }

    @Wire.Doc("An application's join token for one of its users (API key only).")
    record AppTokenRequest(@Wire.MaxLength(256) @Wire.Doc("The application's own id for its user: 1 to 64 printable ASCII "
                                   + "characters.") String user,
                           @Wire.MaxLength(256) @Wire.Doc(DISPLAY_NAME) String displayName) implements ApiRequest {
    }

    record RoleChange(@Wire.MaxLength(32) @Wire.Doc("A role of the room's kind (see Role): call: host, co_host, participant. "
            + "live: host, moderator, guest (on stage), viewer. space: host, co_host, speaker, listener.") String role)
            implements ApiRequest {
    }

    @Wire.Doc("Comments off (true) or on again (false).")
    record CommentsOff(Boolean off) implements ApiRequest {
    }

    @Wire.Doc("The comment to pin: one of the live's recent visible comments.")
    record Pin(@Wire.MaxLength(64) String commentId) implements ApiRequest {
    }

    @Wire.Doc("A report of a comment to the host.")
    record CommentReport(@Wire.Omitted @Wire.MaxLength(1000) @Wire.Doc("Why: at most 200 characters after stripping, no "
            + "control characters.") String reason) implements ApiRequest {
    }

    @Wire.Doc("A badge for someone on the live's stage. Sent with an `Idempotency-Key` header (1 to 100 printable ASCII "
            + "characters, new and random for each purchase): a retry with the same key and body gets the first answer again.")
    record BadgePurchase(@Wire.MaxLength(64) @Wire.Doc("The participant id of the person on stage the badge is for.") String targetId,
                         @Wire.Doc("1, 2 or 3 hearts; the prices are the server's (badges.prices).") int hearts)
            implements ApiRequest {
    }

    // ---- webhooks (issue 14) ----

    @Wire.Doc("A webhook endpoint to register (docs/api.md \"Webhooks\"). The answer holds its secret, once.")
    record NewWebhook(@Wire.MaxLength(2048) @Wire.Doc("Where the events are POSTed: an http:// or https:// URL, no user "
                              + "info, no fragment, at most 2048 characters; on a public address unless the server allows "
                              + "private networks (webhooks.allow-private-networks).") String url,
                      @Wire.Omitted @Wire.MaxLength(800) @Wire.Doc("At most 200 characters, for its owner.") String description,
                      @Wire.Omitted @Wire.MaxLength(1000) @Wire.Doc(WEBHOOK_TYPES) String eventTypes) implements ApiRequest {
    }

    @Wire.Doc("Absent or null fields stay as they are.")
    record WebhookChanges(@Wire.Omitted @Wire.MaxLength(2048) @Wire.Doc("As when registered.") String url,
                          @Wire.Omitted @Wire.MaxLength(800) String description,
                          @Wire.Omitted @Wire.MaxLength(1000) @Wire.Doc(WEBHOOK_TYPES) String eventTypes,
                          @Wire.Omitted @Wire.Doc("false stops deliveries (they wait); true starts them again where they "
                                  + "stopped, after a disabling too.") Boolean enabled) implements ApiRequest {
    }

    @Wire.Doc("A replay: `since` delivers again, in order and with retries, every event at or after that instant in "
            + "each of the endpoint's streams; `deliveryId` sends one logged delivery's event again, now and once. "
            + "One of the two.")
    record WebhookReplay(@Wire.Omitted @Wire.MaxLength(64) @Wire.Doc("RFC 3339, such as 2026-11-21T18:00:00Z; not in "
                                 + "the future.") Instant since,
                         @Wire.Omitted @Wire.MaxLength(20) @Wire.Doc("A delivery's id from the log.") String deliveryId)
            implements ApiRequest {
    }

    String WEBHOOK_TYPES = "The event types to send, comma-separated (such as \"room.started,room.ended\"); empty or "
            + "absent: all of them.";

    String DISPLAY_NAME = "1 to 64 characters after stripping, no control characters.";
    String TITLE = "1 to 120 characters after stripping, no control characters.";
    String ACTIVITY = "One of happy_hour, dance_party, family, study_break, game_night, hanging_out (the default), "
            + "just_chatting; or a custom text of at most 60 characters that starts with an emoji.";
}
