package org.salotto.server;

import org.salotto.rooms.RoomService;

/**
 * The drain through the room runtime: every room's own executor tells its people and ends the room, so frames keep
 * one writer per socket and the ending is a decision of the room like any other (stored, in the outbox).
 */
record RuntimeRoomsDrain(RoomService rooms) implements RoomsDrain {

    @Override
    public void announce(String message) {
        rooms.beginDrain(message);
    }

    @Override
    public void endAll(String message) {
        rooms.endAllRooms(message);
    }

    @Override
    public int moveAll(String message) {
        rooms.runtime().beginDrain(message, false);
        return rooms.runtime().moveAll(message);
    }

    @Override
    public int people() {
        return rooms.people();
    }
}
