package org.salotto.rooms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.salotto.rooms.store.Room;
import org.salotto.signaling.Messages;

/** The JSON of a room, as the HTTP API and the WebSocket give it. */
public final class RoomJson {
    private RoomJson() {
    }

    /** {@code people}: how many are in it now (-1 to leave out). */
    public static ObjectNode room(Room r, String linkPath, int people, int onStage) {
        ObjectNode n = Messages.JSON.createObjectNode();
        n.put("id", r.id());
        n.put("link", linkPath + r.id());
        n.put("kind", r.kind().apiName());
        n.put("title", r.title());
        n.put("activity", r.activity());
        n.put("visibility", r.visibility().apiName());
        n.put("state", r.state().apiName());
        n.put("locked", r.locked());
        n.put("knock", r.knock());
        n.put("hostAccountId", r.hostAccountId());
        putTime(n, "scheduledStart", r.scheduledStart());
        putTime(n, "createdAt", r.createdAt());
        putTime(n, "endedAt", r.endedAt());
        if (people >= 0) {
            n.put("people", people);
            n.put("onStage", onStage);
        }
        return n;
    }

    static void putTime(ObjectNode n, String field, Instant t) {
        if (t == null) n.putNull(field);
        else n.put(field, t.toString());
    }
}
