package org.salotto.rooms.domain;

import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomsConfig;
import org.salotto.signaling.protocol.ErrorCode;

/** A space: audio only; the host, up to 2 co-hosts and 10 speakers on stage; listeners without limit. */
record SpaceRules(RoomsConfig config) implements KindRules {

    @Override
    public RoomKind kind() {
        return RoomKind.SPACE;
    }

    @Override
    public Role entryRole() {
        return Role.AUDIENCE;
    }

    @Override
    public int maxPeople() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int coHostLimit() {
        return config.spaceCoHostsMax();
    }

    @Override
    public boolean hasModerator() {
        return false;
    }

    @Override
    public boolean hasStage() {
        return true;
    }

    @Override
    public boolean managesStage(Role role) {
        return role == Role.HOST || role == Role.CO_HOST;
    }

    @Override
    public boolean mayBlock(Role role) {
        return role == Role.HOST;
    }

    @Override
    public void checkStageRoom(RoomModel room, Role role) throws RoomException {
        if (role != Role.STAGE && room.count(Role.STAGE) >= config.spaceSpeakersMax()) {
            throw new RoomException(ErrorCode.STAGE_FULL, "the stage is full: " + config.spaceSpeakersMax()
                    + " speakers besides the host and co-hosts");
        }
    }

    @Override
    public String publishRefusal(Role role, String source, int people) {
        return switch (role) {
            case HOST, CO_HOST, STAGE -> source.equals("mic") ? null : "a space is audio only";
            default -> "listeners cannot speak: raise your hand and wait for the host";
        };
    }

    @Override
    public HostLeaves hostLeaves() {
        return HostLeaves.CO_HOST_TAKES_OVER;
    }
}
