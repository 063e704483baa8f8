package org.salotto.rooms.domain;

import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomsConfig;
import org.salotto.signaling.protocol.ErrorCode;

/** A live: the host and up to 3 guests on stage with camera and mic, viewers without limit, one moderator. */
record LiveRules(RoomsConfig config) implements KindRules {

    @Override
    public RoomKind kind() {
        return RoomKind.LIVE;
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
        return 0;
    }

    @Override
    public boolean hasModerator() {
        return true;
    }

    @Override
    public boolean hasStage() {
        return true;
    }

    @Override
    public boolean managesStage(Role role) {
        return role == Role.HOST;
    }

    @Override
    public boolean mayBlock(Role role) {
        return role == Role.HOST || role == Role.STAGE;
    }

    @Override
    public void checkStageRoom(RoomModel room, Role role) throws RoomException {
        int onStage = room.count(Role.HOST) + room.count(Role.STAGE);
        if (role != Role.STAGE && onStage >= config.liveStageMax()) {
            throw new RoomException(ErrorCode.STAGE_FULL,
                    "the stage is full: " + config.liveStageMax() + " people at most");
        }
    }

    @Override
    public String publishRefusal(Role role, String source, int people) {
        return switch (role) {
            case HOST, STAGE -> source.equals("screen") ? "a live room carries camera and mic, not a screen" : null;
            default -> "viewers cannot publish: ask to join the stage";
        };
    }

    @Override
    public boolean hasBadges() {
        return true;
    }

    @Override
    public HostLeaves hostLeaves() {
        return HostLeaves.GRACE;
    }
}
