package org.salotto.rooms.domain;

import java.time.Instant;
import org.salotto.rooms.Role;
import org.salotto.rooms.Visibility;
import org.salotto.rooms.money.BadgePayment;

/**
 * What can be asked of an open room. Each command is decided against the room's state into events, or refused with
 * a {@code RoomException} that changes nothing. Commands carry everything they need (what the database said is read
 * before), so deciding never blocks.
 */
public sealed interface Command {

    // ---- coming and going ----

    /** A person with a valid join token comes in (or into the lobby). */
    record Join(Entrant entrant) implements Command {
    }

    /** A member leaves (the {@code leave} frame, or their resume grace ran out). */
    record Leave(String participantId, String reason) implements Command {
    }

    /** Someone waiting in the lobby went away. */
    record LeaveLobby(String lobbyId) implements Command {
    }

    /** A member's connection dropped without {@code leave}: they stay for the resume grace. */
    record Disconnect(String participantId, long connection) implements Command {
    }

    /**
     * A member whose connection dropped comes back on a new one; {@code identity} is who the resume token names.
     * {@code returning}: when the room changed hands a moment ago (its previous instance was lost, handed over by a
     * draining node, or its server crashed) and does not know the participant, who they are as the database says,
     * to be let in again as that same participant with everything a join checks; null otherwise.
     */
    record Resume(String participantId, String identity, long connection, Entrant returning) implements Command {
        public Resume(String participantId, String identity, long connection) {
            this(participantId, identity, connection, null);
        }
    }

    /** The resume grace of a member who dropped is over; ignored if they came back meanwhile. */
    record ResumeExpired(String participantId, long connection) implements Command {
    }

    // ---- the host's rights (and a co-host's or moderator's, as each kind allows) ----

    record AnswerKnock(Actor actor, String lobbyId, boolean admit) implements Command {
    }

    /** Removes a member for good: they cannot come back into this room. */
    record Remove(Actor actor, String participantId) implements Command {
    }

    /** Blocks a member from every room of the blocker and removes them from this one. */
    record Block(Actor actor, String participantId) implements Command {
    }

    /** Changes someone's role; putting an audience member on stage may invite them first. */
    record SetRole(Actor actor, String participantId, Role role) implements Command {
    }

    /**
     * Changes what a member's join token grants (an application, through the API: the host's account). A null field
     * stays as it is; {@code publish} is a set of sources.
     */
    record SetGrants(Actor actor, String participantId, java.util.Set<org.salotto.rooms.Grants.Source> publish,
                     Boolean subscribe, Boolean admin, Boolean hidden) implements Command {
    }

    /** Turns down someone's raised hand or request to join the stage. */
    record DeclineHand(Actor actor, String participantId) implements Command {
    }

    record SetLocked(Actor actor, boolean locked) implements Command {
    }

    record SetKnock(Actor actor, boolean knock) implements Command {
    }

    /** Title, activity and visibility, already checked; a null field stays as it is. */
    record UpdateRoom(Actor actor, String title, String activity, Visibility visibility) implements Command {
    }

    /** Ends the room for everyone. */
    record End(Actor actor) implements Command {
    }

    // ---- a member's own ----

    record RaiseHand(Actor actor, boolean up) implements Command {
    }

    record AnswerInvitation(Actor actor, boolean accept) implements Command {
    }

    /** A person on stage goes back to the audience by themselves. */
    record LeaveStage(Actor actor) implements Command {
    }

    record React(Actor actor, String emoji) implements Command {
    }

    /** The host moves a scheduled room to another start (only while it is scheduled). */
    record Reschedule(Actor actor, java.time.Instant start) implements Command {
    }

    /** The host opens a live in practice mode to its audience: those waiting come in (Backstage). */
    record GoLive(Actor actor) implements Command {
    }

    // ---- a live's comments ----

    /**
     * A comment in a live. {@code text} is already checked and normalized at the edge ({@code Names.comment});
     * {@code commentId} (unguessable) and {@code at} are made there too.
     */
    record Comment(Actor actor, String text, String commentId, Instant at) implements Command {
    }

    /**
     * The host or the moderator hides a comment for everyone (and unpins it if it was pinned). A comment older than
     * the ones the room keeps is known only to the database: the caller checks it exists before.
     */
    record HideComment(Actor actor, String commentId) implements Command {
    }

    /** The host or the moderator pins one of the recent comments, or unpins ({@code commentId} null). */
    record PinComment(Actor actor, String commentId) implements Command {
    }

    /** The host or the moderator turns comments off (or on) for everyone but the two of them. */
    record SetCommentsOff(Actor actor, boolean off) implements Command {
    }

    /** The host or the moderator turns one person's comments off (or on again). */
    record SetMemberCommentsOff(Actor actor, String participantId, boolean off) implements Command {
    }

    /** Someone in the live reports a comment to the host (the moderation review); {@code reason} may be null. */
    record ReportComment(Actor actor, String commentId, String reason) implements Command {
    }

    // ---- badges ----

    /**
     * A viewer buys a badge of {@code hearts} for the person on stage {@code targetId}, with a payment the provider has
     * approved already (never asked for on the room's executor). Decided by the live's rules; the payment's writes go
     * into the decision's unit of work. Refused: the runtime's caller gives the charge back.
     */
    record BuyBadge(Actor actor, String targetId, int hearts, BadgePayment payment) implements Command {
    }

    /**
     * A badge of the live refunded by its host (already checked, and given back at the provider): {@code reversal},
     * the reversing ledger transaction, goes into the decision's unit of work with the outbox event, so that the
     * refund takes its place in the room's sequence. Taken in an ended live too.
     */
    record RefundBadge(org.salotto.rooms.money.Purchase purchase, org.salotto.rooms.money.LedgerTransaction reversal)
            implements Command {
    }

    // ---- tracks (media tells the room; kept in the outbox for webhooks) ----

    /**
     * A track was published ({@code published}) or unpublished in the room's media conference. {@code kind}: audio or
     * video; {@code source}: mic, camera or screen (null when unpublished).
     */
    record RecordTrack(String participantId, String trackId, String kind, String source, boolean published)
            implements Command {
    }

    // ---- time and the server ----

    /** The host has been gone for the grace period (a durable timer). */
    record HostGraceOver() implements Command {
    }

    /** The server is shutting down: the room ends with this message. */
    record Shutdown(String message) implements Command {
    }
}
