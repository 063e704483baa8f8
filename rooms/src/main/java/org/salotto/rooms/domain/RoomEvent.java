package org.salotto.rooms.domain;

import java.time.Instant;
import org.salotto.rooms.Role;
import org.salotto.rooms.store.Room;

/**
 * What happened in a room, decided from a command. Events are the only way a {@link RoomModel} changes; the
 * runtime's adapters turn them into frames to clients, media changes, database writes and the event outbox.
 */
public sealed interface RoomEvent {

    // ---- presence ----

    /**
     * A member came in (joined, or was admitted from the lobby: {@code admitted}; or came back with a resume token as
     * the participant they were before the room changed hands: {@code returned}).
     */
    record MemberJoined(MemberView member, long connection, boolean admitted, boolean returned) implements RoomEvent {
        public MemberJoined(MemberView member, long connection, boolean admitted) {
            this(member, connection, admitted, false);
        }
    }

    /** A member left; {@code reason} is for logs. */
    record MemberLeft(String participantId, String identity, String reason) implements RoomEvent {
    }

    /**
     * The same person came in again on a new connection (a reload, a second tab): the older connection is told and
     * closed, and the member, with the same participant id and role, starts afresh on the new one (new media).
     */
    record Replaced(String participantId, long oldConnection, long connection) implements RoomEvent {
    }

    /** A member's connection dropped; they stay until {@code resumeBy}. */
    record Disconnected(String participantId, long connection, Instant resumeBy) implements RoomEvent {
    }

    /** A member came back on a new connection, as the same participant. */
    record Resumed(String participantId, long connection) implements RoomEvent {
    }

    // ---- the lobby ----

    record Knocked(LobbyEntry entry) implements RoomEvent {
    }

    /** Someone left the lobby: went away, was admitted (MemberJoined follows), or knocked again from a new connection. */
    record LobbyLeft(String lobbyId, Why why) implements RoomEvent {

        public enum Why {
            /** The person went away. */
            LEFT,
            /** A host let them in: MemberJoined follows, on the same connection. */
            ADMITTED,
            /** They came again from a new connection: the older one is told and closed. */
            REPLACED
        }
    }

    record Denied(LobbyEntry entry, String message) implements RoomEvent {
    }

    // ---- moderation ----

    /** A member was removed and banned from the room; MemberLeft follows. */
    record Removed(String participantId, String identity, String byIdentity, String message) implements RoomEvent {
    }

    /** An account blocked someone from all its rooms. */
    record Blocked(long byAccountId, String identity, String displayName) implements RoomEvent {
    }

    // ---- roles and the stage ----

    /**
     * A member's role changed. {@code actingHost}: a co-host takes over a space whose host dropped out.
     * {@code byActingHost}: a co-host appointed by an acting host, who goes back to the stage when the host returns.
     */
    record RoleChanged(String participantId, Role from, Role to, boolean actingHost, boolean byActingHost)
            implements RoomEvent {
    }

    /** An application changed what a member's join token grants (publish, subscribe, admin, hidden). */
    record GrantsChanged(String participantId, org.salotto.rooms.Grants from, org.salotto.rooms.Grants grants)
            implements RoomEvent {
    }

    record HandRaised(String participantId) implements RoomEvent {
    }

    record HandLowered(String participantId, boolean declined) implements RoomEvent {
    }

    record Invited(String participantId, String byName) implements RoomEvent {
    }

    record InvitationDeclined(String participantId) implements RoomEvent {
    }

    record Reacted(String participantId, String emoji) implements RoomEvent {
    }

    // ---- a live's comments (the actor's identity and name are for the moderation review) ----

    record CommentPosted(LiveComment comment) implements RoomEvent {
    }

    /** A comment is hidden for everyone. */
    record CommentHidden(String commentId, String byIdentity, String byName) implements RoomEvent {
    }

    /** {@code comment} is pinned now, or nothing is (null); {@code unpinnedId}: the one pinned before, or null. */
    record CommentPinned(LiveComment comment, String unpinnedId, String byIdentity, String byName) implements RoomEvent {
    }

    /** Comments are off (or on again) for everyone but the host and the moderator. */
    record CommentsChanged(boolean off, String byIdentity, String byName) implements RoomEvent {
    }

    /** One person's comments are off (or on again); everyone is told, the person concerned sees why. */
    record MemberCommentsChanged(String participantId, String identity, String name, boolean off, String byIdentity,
                                 String byName) implements RoomEvent {
    }

    /** Someone reported a comment; only the host's moderation review shows it. */
    record CommentReported(String commentId, String byIdentity, String byName, String reason) implements RoomEvent {
    }

    // ---- badges ----

    /** A viewer bought a badge of {@code hearts} (1 to 3) for someone on stage; its purchase is stored with it. */
    record BadgeBought(String purchaseId, String buyerId, String buyerIdentity, String buyerName, String targetId,
                       String targetName, int hearts) implements RoomEvent {
    }

    /**
     * The host refunded a badge; its reversing ledger transaction is stored with it. For the outbox (webhooks'
     * {@code purchase.refunded}): clients are not told. Ids and names as the purchase kept them.
     */
    record BadgeRefunded(String purchaseId, String buyerId, String buyerIdentity, String buyerName, String targetId,
                         String targetIdentity, String targetName, int hearts) implements RoomEvent {
    }

    // ---- tracks: clients hear of them from the media conference; these are for the outbox (webhooks) ----

    record TrackPublished(String participantId, String identity, String trackId, String kind, String source)
            implements RoomEvent {
    }

    /** A track ended: unpublished, its publisher left the stage or the room. */
    record TrackUnpublished(String participantId, String identity, String trackId) implements RoomEvent {
    }

    // ---- the room ----

    record LockChanged(boolean locked) implements RoomEvent {
    }

    record KnockChanged(boolean knock) implements RoomEvent {
    }

    /** Title, activity or visibility changed, or a scheduled room opened: the room as it is now. */
    record RoomChanged(Room room) implements RoomEvent {
    }

    /** The host is gone: the room ends at {@code due} unless the host comes back (a durable timer). */
    record HostGraceStarted(Instant due) implements RoomEvent {
    }

    record HostGraceCancelled() implements RoomEvent {
    }

    /** The room ended for everyone; every member and knocker is told, then MemberLeft follows for each. */
    record RoomEnded(Room room, String message) implements RoomEvent {
    }
}
