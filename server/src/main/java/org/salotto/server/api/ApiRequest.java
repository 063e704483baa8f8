package org.salotto.server.api;

import java.time.Instant;
import java.util.List;
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
                           + "(POST /api/rooms/{id}/go-live). Default false.") Boolean practice,
                   @Wire.Omitted @Wire.MaxLength(64) @Wire.Doc(INVITEES) List<String> invitees) implements ApiRequest {
    }

    @Wire.Doc("Absent or null fields stay as they are.")
    record RoomChanges(@Wire.Omitted @Wire.MaxLength(256) @Wire.Doc(TITLE) String title,
                       @Wire.Omitted @Wire.MaxLength(256) @Wire.Doc(ACTIVITY) String activity,
                       @Wire.Omitted @Wire.MaxLength(16) ServerFrame.Visibility visibility,
                       @Wire.Omitted Boolean locked,
                       @Wire.Omitted Boolean knock,
                       @Wire.Omitted @Wire.MaxLength(64) @Wire.Doc("A scheduled room only (else 409 conflict), the host "
                               + "only: its new start, in the future. Its invitees and the people reminded are told, and its "
                               + "reminders move.") Instant scheduledStart,
                       @Wire.Omitted @Wire.MaxLength(64) @Wire.Doc("A scheduled room only, the host only: replaces the "
                               + "invitees (usernames); the newly invited are told.") List<String> invitees) implements ApiRequest {
    }

    record JoinRequest(@Wire.Omitted @Wire.MaxLength(256) @Wire.Doc("Required for a guest; an account's display name "
            + "otherwise. " + DISPLAY_NAME) String displayName) implements ApiRequest {
    }

    @Wire.Doc("An application's join token for one of its users (API key only): the JWT the application could mint "
            + "offline (docs/api.md, Join tokens). Without any grant field, the token grants what the room's kind and "
            + "role allow.")
    record AppTokenRequest(@Wire.MaxLength(256) @Wire.Doc("The application's own id for its user: 1 to 64 printable ASCII "
                                   + "characters.") String user,
                           @Wire.MaxLength(256) @Wire.Doc(DISPLAY_NAME) String displayName,
                           @Wire.Omitted @Wire.Doc("The sources the user may publish; absent with every other grant "
                                   + "field: all, as the role allows; absent with another grant field: none.")
                           java.util.List<GrantSource> publish,
                           @Wire.Omitted @Wire.Doc("Receives the others' media (default true).") Boolean subscribe,
                           @Wire.Omitted @Wire.Doc("Manages the room as a co-host does (default false).") Boolean admin,
                           @Wire.Omitted @Wire.Doc("In the room but not listed to the others, never publishing (default false).")
                           Boolean hidden,
                           @Wire.Omitted @Wire.MaxLength(32) @Wire.Doc("The role to take (see RoleChange), not host.") String role,
                           @Wire.Omitted @Wire.MaxLength(1024) @Wire.Doc("Text given to everyone in the room with the member "
                                   + "(at most 1 KiB in UTF-8).") String metadata) implements ApiRequest {
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

    // ---- people (issue 13) ----

    @Wire.Doc("Absent or null fields stay as they are.")
    record ProfileChanges(@Wire.Omitted @Wire.MaxLength(256) @Wire.Doc(DISPLAY_NAME) String displayName,
                          @Wire.Omitted @Wire.MaxLength(1000) @Wire.Doc("0 to 160 characters after stripping, no control "
                                  + "characters; empty removes it.") String bio) implements ApiRequest {
    }

    @Wire.Doc("A report to the server's admins (signed-in accounts only).")
    record NewReport(@Wire.MaxLength(16) ApiAnswer.ReportKind kind,
                     @Wire.MaxLength(64) String roomId,
                     @Wire.Omitted @Wire.MaxLength(64) @Wire.Doc("kind participant: who, by participant id (in the room now).")
                     String participantId,
                     @Wire.Omitted @Wire.MaxLength(64) @Wire.Doc("kind comment: which comment of the live.") String commentId,
                     @Wire.MaxLength(2000) @Wire.Doc("Why: 1 to 500 characters after stripping, no control characters.")
                     String reason) implements ApiRequest {
    }

    @Wire.Doc("An admin ends a room; the report it answers, if any, is then actioned.")
    record AdminEnd(@Wire.Omitted @Wire.MaxLength(32) String reportId) implements ApiRequest {
    }

    @Wire.Doc("An admin suspends an account; the report it answers, if any, is then actioned.")
    record Suspension(@Wire.Omitted @Wire.MaxLength(32) String reportId,
                      @Wire.MaxLength(2000) @Wire.Doc("Why (kept in the admin log): 1 to 500 characters after stripping.")
                      String reason) implements ApiRequest {
    }

    // ---- join tokens with grants (issue 14) ----

    @Wire.Doc("A source of media a join token grants.")
    enum GrantSource { CAMERA, MICROPHONE, SCREEN }

    @Wire.Doc("Changes a participant's grants at once; an absent field stays as it is. Revoking a source unpublishes "
            + "its track for everyone.")
    record GrantsChange(@Wire.Omitted @Wire.Doc("The sources they may publish from now on ([] for none).")
                        java.util.List<GrantSource> publish,
                        @Wire.Omitted Boolean subscribe,
                        @Wire.Omitted Boolean admin,
                        @Wire.Omitted Boolean hidden) implements ApiRequest {
    }

    @Wire.Doc("An Ed25519 public key to verify the EdDSA join tokens the account's applications sign.")
    record SigningKeyRequest(@Wire.MaxLength(256) @Wire.Doc(DISPLAY_NAME) String name,
                             @Wire.MaxLength(1024) @Wire.Doc("base64url of the raw 32-byte public key (RFC 8032), or a PEM "
                                     + "`PUBLIC KEY` (SubjectPublicKeyInfo, RFC 8410).") String publicKey)
            implements ApiRequest {
    }

    String INVITEES = "A room scheduled for later only: usernames of accounts to invite (at most "
            + "notifications.max-invitees, 50 by default; an unknown one is 404 not_found naming it). They are told now, "
            + "at the reminder lead time before the start and at the start.";

    // ---- webhooks (issue 14) ----

    @Wire.Doc("A webhook endpoint to register (docs/api.md \"Webhooks\"). The answer holds its secret, once.")
    record NewWebhook(@Wire.MaxLength(2048) @Wire.Doc("Where the events are POSTed: an http:// or https:// URL, no user "
                              + "info, no fragment, at most 2048 characters; on a public address unless the server allows "
                              + "private networks (webhooks.allow-private-networks).") String url,
                      @Wire.Omitted @Wire.MaxLength(800) @Wire.Doc("At most 200 characters, for its owner.") String description,
                      @Wire.Omitted @Wire.MaxLength(64) @Wire.Doc(WEBHOOK_TYPES) List<String> eventTypes)
            implements ApiRequest {
    }

    @Wire.Doc("Absent or null fields stay as they are.")
    record WebhookChanges(@Wire.Omitted @Wire.MaxLength(2048) @Wire.Doc("As when registered.") String url,
                          @Wire.Omitted @Wire.MaxLength(800) String description,
                          @Wire.Omitted @Wire.MaxLength(64) @Wire.Doc(WEBHOOK_TYPES) List<String> eventTypes,
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

    String WEBHOOK_TYPES = "The event types to send, an array of strings (such as [\"room.started\", \"room.ended\"]); "
            + "[] or absent: all of them.";

    String DISPLAY_NAME = "1 to 64 characters after stripping, no control characters.";
    String TITLE = "1 to 120 characters after stripping, no control characters.";
    String ACTIVITY = "One of happy_hour, dance_party, family, study_break, game_night, hanging_out (the default), "
            + "just_chatting; or a custom text of at most 60 characters that starts with an emoji.";

    // ---- WHIP and WHEP (issue 14) ----

    @Wire.Doc("The room's WHEP setting: whether anyone may watch or listen to it over WHEP without a join token (a "
            + "public room only). Off by default.")
    record WhepSettingsChange(Boolean anonymous) implements ApiRequest {
    }

    // ---- notifications (issue 13) ----

    @Wire.Doc("Marks notifications read: those of `ids`, or all of them with `all: true`.")
    record MarkRead(@Wire.Omitted @Wire.MaxLength(20) @Wire.Doc("Notification ids (at most 1000).") List<String> ids,
                    @Wire.Omitted Boolean all) implements ApiRequest {
    }
}
