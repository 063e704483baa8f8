package org.salotto.rooms.store;

import java.time.Instant;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.Visibility;

/**
 * A room as stored. {@code id} is the unguessable part of the link ({@code /r/<id>}). {@code activity} is a preset
 * key ({@code happy_hour}, ...) or a custom text that starts with an emoji. {@code scheduledStart} and
 * {@code endedAt} may be null. {@code practice}: a live in its backstage (only the host and the guests the host lets in
 * are in; everyone else waits until the host goes live).
 */
public record Room(String id, long hostAccountId, RoomKind kind, String title, String activity, Visibility visibility,
                   Instant scheduledStart, RoomState state, boolean locked, boolean knock, Instant createdAt,
                   Instant endedAt, boolean practice) {

    /** A room that is not a live in practice mode (the backstage). */
    public Room(String id, long hostAccountId, RoomKind kind, String title, String activity, Visibility visibility,
                Instant scheduledStart, RoomState state, boolean locked, boolean knock, Instant createdAt, Instant endedAt) {
        this(id, hostAccountId, kind, title, activity, visibility, scheduledStart, state, locked, knock, createdAt, endedAt,
                false);
    }

    public Room withState(RoomState s, Instant ended) {
        return new Room(id, hostAccountId, kind, title, activity, visibility, scheduledStart, s, locked, knock, createdAt, ended, practice);
    }

    public Room withLocked(boolean l) {
        return new Room(id, hostAccountId, kind, title, activity, visibility, scheduledStart, state, l, knock, createdAt, endedAt, practice);
    }

    public Room withKnock(boolean k) {
        return new Room(id, hostAccountId, kind, title, activity, visibility, scheduledStart, state, locked, k, createdAt, endedAt, practice);
    }

    /** A scheduled room moved to another start. */
    public Room withScheduledStart(Instant start) {
        return new Room(id, hostAccountId, kind, title, activity, visibility, start, state, locked, knock, createdAt, endedAt, practice);
    }

    /** A live leaves (or enters) its backstage. */
    public Room withPractice(boolean p) {
        return new Room(id, hostAccountId, kind, title, activity, visibility, scheduledStart, state, locked, knock, createdAt, endedAt, p);
    }
}
