package org.salotto.rooms.store;

import java.time.Instant;

/**
 * One entry of a live's moderation review: what the host or the moderator did, or a report. {@code seq}: the room's
 * order (the outbox sequence number of the event). {@code target*}, {@code commentId} and {@code detail} (a report's
 * reason) may be null. {@code commentText} is filled when read (the text of the comment concerned); it is not written.
 */
public record ModerationAction(String roomId, long seq, Instant at, String actorIdentity, String actorName, Action action,
                               String targetIdentity, String targetName, String commentId, String detail,
                               String commentText) {

    public enum Action {
        HIDE, PIN, UNPIN, COMMENTS_OFF, COMMENTS_ON, MEMBER_COMMENTS_OFF, MEMBER_COMMENTS_ON, REMOVE, REPORT
    }
}
