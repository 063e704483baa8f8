package org.salotto.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.salotto.rooms.Caller;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomService;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.store.Room;
import org.salotto.signaling.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RoomsDrain} for today's rooms layer, through its public API only: the rooms it holds are known by their open
 * sockets ({@link RoomSockets}), frames go straight to those sockets, and a room is ended as its host would end it
 * ({@link RoomService#end} with the host's account). The room runtime being written replaces this with hooks of its
 * own (one writer per socket, a system end with a reason); see the lead's notes for issue 10.
 */
final class CurrentRoomsDrain implements RoomsDrain {
    private static final Logger log = LoggerFactory.getLogger(CurrentRoomsDrain.class);
    /** How long the last frames and close handshakes may take once the rooms end. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final RoomService rooms;
    private final RoomSockets sockets;
    /** Rooms that had people when the drain began or later: all are ended, even those that emptied meanwhile. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    CurrentRoomsDrain(RoomService rooms, RoomSockets sockets) {
        this.rooms = rooms;
        this.sockets = sockets;
    }

    @Override
    public void announce(String message) {
        held.addAll(sockets.roomIds());
        ObjectNode frame = Messages.message("serverDraining");
        frame.put("message", message);
        String text = Messages.text(frame);
        // A socket's send waits for the write: one slow client must not hold up the others.
        for (RoomSocket s : sockets.all()) Thread.ofVirtual().name("drain-announce").start(() -> s.send(text));
    }

    @Override
    public void endAll(String message) {
        held.addAll(sockets.roomIds());
        ObjectNode frame = Messages.message("roomEnded");
        frame.put("message", message);
        String text = Messages.text(frame);
        List<Thread> senders = new ArrayList<>();
        for (RoomSocket s : sockets.all()) senders.add(Thread.ofVirtual().name("drain-end").start(() -> s.endForDrain(text)));
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            // Our roomEnded goes first; the room's own (sent when it ends below) is then dropped by the socket.
            for (Thread t : senders) t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String id : held) end(id);
        try {
            if (!sockets.awaitUntil(() -> sockets.count() == 0, deadline)) {
                log.info("drain: {} sockets still open after their close frame", sockets.count());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends a room as its host would; a room that ended meanwhile is left as it is. */
    private void end(String id) {
        try {
            Room r = rooms.room(id);
            if (r.state() == RoomState.ENDED) return;
            rooms.end(Caller.account(r.hostAccountId()), id);
            log.info("drain: room {} ended", id);
        } catch (RoomException e) {
            log.info("drain: room {} not ended: {}", id, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("drain: room {} not ended", id, e);
        }
    }

    @Override
    public int people() {
        return rooms.people();
    }
}
