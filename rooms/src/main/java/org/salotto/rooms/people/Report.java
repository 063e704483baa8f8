package org.salotto.rooms.people;

import java.time.Instant;

/**
 * A report to the server's admins, with what it was about when it was made ({@code context}: the room's title, the
 * participant's name, the comment's text), so that it still says something after the room ended or the comment was
 * hidden. {@code id} is 0 before it is stored.
 */
public record Report(long id, long reporterId, Kind kind, String roomId, String targetIdentity, String targetName,
                     String commentId, String context, String reason, State state, Instant createdAt, Long resolvedBy,
                     Instant resolvedAt) {

    public enum Kind { ROOM, PARTICIPANT, COMMENT }

    /** OPEN until an admin dismisses it or acts on it (ends the room, suspends the account). */
    public enum State { OPEN, DISMISSED, ACTIONED }
}
