package org.salotto.rooms.store;

import java.util.List;

/**
 * Everything one decision of a room changes in the database, written in one transaction: the room's row (its
 * mutable fields, or null to leave it), memberships, bans, blocks, timers set or cleared, the events for the
 * outbox, and a live's comments.
 *
 * @param occupied whether people are in the room now (null: unchanged)
 */
public record UnitOfWork(String roomId, Room room, Boolean occupied, List<Membership> memberships, List<Ban> bans,
                         List<Block> blocks, List<RoomTimer> timersSet, List<RoomTimer.Kind> timersCleared,
                         List<OutboxEvent> events, CommentWrites comments) {

    /** A decision that changes no comment. */
    public UnitOfWork(String roomId, Room room, Boolean occupied, List<Membership> memberships, List<Ban> bans,
                      List<Block> blocks, List<RoomTimer> timersSet, List<RoomTimer.Kind> timersCleared,
                      List<OutboxEvent> events) {
        this(roomId, room, occupied, memberships, bans, blocks, timersSet, timersCleared, events, CommentWrites.NONE);
    }

    public UnitOfWork {
        if (comments == null) comments = CommentWrites.NONE;
        memberships = List.copyOf(memberships);
        bans = List.copyOf(bans);
        blocks = List.copyOf(blocks);
        timersSet = List.copyOf(timersSet);
        timersCleared = List.copyOf(timersCleared);
        events = List.copyOf(events);
    }

    public boolean isEmpty() {
        return room == null && occupied == null && memberships.isEmpty() && bans.isEmpty() && blocks.isEmpty()
                && timersSet.isEmpty() && timersCleared.isEmpty() && events.isEmpty() && comments.isEmpty();
    }
}
