package org.salotto.rooms.live;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.salotto.signaling.Messages;

/**
 * The events of one room waiting to go out. They are gathered for a short interval and sent to everyone as one
 * {@code roomEvents} frame, written once: 1,000 listeners joining within an interval cost each person one frame,
 * not 1,000. Guarded by the room's lock.
 */
final class RoomEvents {
    private final List<ObjectNode> pending = new ArrayList<>();
    private boolean flushScheduled;

    /** Adds an event; returns true if a flush must be scheduled (the first event since the last flush). */
    boolean add(ObjectNode event) {
        pending.add(event);
        if (flushScheduled) return false;
        flushScheduled = true;
        return true;
    }

    /** The frame carrying every pending event, or null if there are none; empties the batch. */
    String drain() {
        flushScheduled = false;
        if (pending.isEmpty()) return null;
        ObjectNode frame = Messages.message("roomEvents");
        ArrayNode events = frame.putArray("events");
        events.addAll(pending);
        pending.clear();
        return Messages.text(frame);
    }

    static ObjectNode event(String type) {
        return Messages.message(type);
    }
}
