package org.salotto.rooms.store;

import java.util.List;
import org.salotto.rooms.money.BadgeSale;
import org.salotto.rooms.notify.NotificationWrites;

/**
 * Everything one decision of a room changes in the database, written in one transaction: the room's row (its
 * mutable fields, or null to leave it), memberships, bans, blocks, timers set or cleared, the events for the
 * outbox, a live's comments, the badges sold (each a purchase, its ledger transaction and its idempotency
 * record), and the notification jobs the decision causes (followers told a room opened, a reminder moved).
 *
 * @param occupied whether people are in the room now (null: unchanged)
 */
public record UnitOfWork(String roomId, Room room, Boolean occupied, List<Membership> memberships, List<Ban> bans,
                         List<Block> blocks, List<RoomTimer> timersSet, List<RoomTimer.Kind> timersCleared,
                         List<OutboxEvent> events, CommentWrites comments, List<BadgeSale> sales,
                         NotificationWrites notifications) {

    public UnitOfWork {
        if (comments == null) comments = CommentWrites.NONE;
        if (notifications == null) notifications = NotificationWrites.NONE;
        memberships = List.copyOf(memberships);
        bans = List.copyOf(bans);
        blocks = List.copyOf(blocks);
        timersSet = List.copyOf(timersSet);
        timersCleared = List.copyOf(timersCleared);
        events = List.copyOf(events);
        sales = List.copyOf(sales);
    }

    /** A decision that notifies nobody. */
    public UnitOfWork(String roomId, Room room, Boolean occupied, List<Membership> memberships, List<Ban> bans,
                      List<Block> blocks, List<RoomTimer> timersSet, List<RoomTimer.Kind> timersCleared,
                      List<OutboxEvent> events, CommentWrites comments, List<BadgeSale> sales) {
        this(roomId, room, occupied, memberships, bans, blocks, timersSet, timersCleared, events, comments, sales,
                NotificationWrites.NONE);
    }

    /** A decision that changes no comment and sells nothing. */
    public UnitOfWork(String roomId, Room room, Boolean occupied, List<Membership> memberships, List<Ban> bans,
                      List<Block> blocks, List<RoomTimer> timersSet, List<RoomTimer.Kind> timersCleared,
                      List<OutboxEvent> events) {
        this(roomId, room, occupied, memberships, bans, blocks, timersSet, timersCleared, events, CommentWrites.NONE,
                List.of());
    }

    public boolean isEmpty() {
        return room == null && occupied == null && memberships.isEmpty() && bans.isEmpty() && blocks.isEmpty()
                && timersSet.isEmpty() && timersCleared.isEmpty() && events.isEmpty() && comments.isEmpty()
                && sales.isEmpty() && notifications.isEmpty();
    }
}
