package org.salotto.rooms;

/** A room is scheduled (start time in the future), open (people can come in) or ended (for good). */
public enum RoomState {
    SCHEDULED,
    OPEN,
    ENDED;

    public String apiName() {
        return name().toLowerCase();
    }
}
