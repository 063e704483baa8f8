package org.salotto.rooms.store;

import java.time.Instant;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.Visibility;

/**
 * A room as stored. {@code id} is the unguessable part of the link ({@code /r/<id>}). {@code activity} is a preset
 * key ({@code happy_hour}, ...) or a custom text that starts with an emoji. {@code scheduledStart} and
 * {@code endedAt} may be null.
 */
public record Room(String id, long hostAccountId, RoomKind kind, String title, String activity, Visibility visibility,
                   Instant scheduledStart, RoomState state, boolean locked, boolean knock, Instant createdAt,
                   Instant endedAt) {

    public Room withState(RoomState s, Instant ended) {
        return new Room(id, hostAccountId, kind, title, activity, visibility, scheduledStart, s, locked, knock, createdAt, ended);
    }

    public Room withLocked(boolean l) {
        return new Room(id, hostAccountId, kind, title, activity, visibility, scheduledStart, state, l, knock, createdAt, endedAt);
    }

    public Room withKnock(boolean k) {
        return new Room(id, hostAccountId, kind, title, activity, visibility, scheduledStart, state, locked, k, createdAt, endedAt);
    }
}
