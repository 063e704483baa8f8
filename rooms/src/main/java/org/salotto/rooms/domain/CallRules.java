package org.salotto.rooms.domain;

import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.Role;

/** A call: everyone is a participant who publishes, up to 50; screen share while small; the host may leave. */
record CallRules(RoomsConfig config) implements KindRules {

    @Override
    public RoomKind kind() {
        return RoomKind.CALL;
    }

    @Override
    public Role entryRole() {
        return Role.STAGE;
    }

    @Override
    public int maxPeople() {
        return config.callMaxPeople();
    }

    @Override
    public int coHostLimit() {
        return Integer.MAX_VALUE;
    }

    @Override
    public boolean hasModerator() {
        return false;
    }

    @Override
    public boolean hasStage() {
        return false;
    }

    @Override
    public boolean managesStage(Role role) {
        return role == Role.HOST;
    }

    @Override
    public boolean mayBlock(Role role) {
        return role == Role.HOST;
    }

    @Override
    public void checkStageRoom(RoomModel room, Role role) {
        // Everyone in a call is on it: the call's own limit is checked at the door.
    }

    @Override
    public String publishRefusal(Role role, String source, int people) {
        if (!source.equals("screen") || people <= config.screenShareMaxPeople()) return null;
        return "screen sharing is offered while a call has at most " + config.screenShareMaxPeople() + " people";
    }

    @Override
    public HostLeaves hostLeaves() {
        return HostLeaves.LOCK;
    }
}
