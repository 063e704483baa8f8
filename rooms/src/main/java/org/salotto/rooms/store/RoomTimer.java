package org.salotto.rooms.store;

import java.time.Instant;

/** Something that must happen to a room at a time, kept across restarts. */
public record RoomTimer(String roomId, Kind kind, Instant due) {

    public enum Kind {
        /** The host is gone: the room ends at {@code due} unless the host comes back. */
        HOST_GRACE
    }
}
