package org.salotto.rooms.domain;

import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.Role;

/**
 * The rules of one kind of room (PRODUCT.md "Room kinds"): who comes in with which role, the limits, who manages the
 * stage, what each role may publish, and what happens when the host leaves. One strategy per kind, so that the
 * machine has no branch on the kind.
 */
public sealed interface KindRules permits CallRules, LiveRules, SpaceRules {

    /** What the room does when its host leaves. */
    enum HostLeaves {
        /** The others go on; the room locks itself (a call). */
        LOCK,
        /** The room ends unless the host is back within the grace (a live). */
        GRACE,
        /** A co-host takes over; without one, the grace (a space). */
        CO_HOST_TAKES_OVER
    }

    static KindRules of(RoomKind kind, RoomsConfig config) {
        return switch (kind) {
            case CALL -> new CallRules(config);
            case LIVE -> new LiveRules(config);
            case SPACE -> new SpaceRules(config);
        };
    }

    RoomKind kind();

    /** The role of someone coming in who is not the host and has no role to come back to. */
    Role entryRole();

    /** How many members the room holds, or {@link Integer#MAX_VALUE}. */
    int maxPeople();

    /** How many co-hosts the room may have (0: none). */
    int coHostLimit();

    /** Whether the host may pick a moderator among the audience (a live). */
    boolean hasModerator();

    /** Whether an audience asks for the stage (raised hands, invitations): not in a call, where everyone is on it. */
    boolean hasStage();

    /** Whether someone with this role puts people on and off the stage. */
    boolean managesStage(Role role);

    /** Whether someone with this role may block people from their rooms (the host; on a live, anyone on stage). */
    boolean mayBlock(Role role);

    /** Refuses with {@code stage_full} when {@code target} (now of {@code role}) cannot go on the stage. */
    void checkStageRoom(RoomModel room, Role role) throws RoomException;

    /**
     * Why someone of {@code role} may not publish {@code source} ({@code mic}, {@code camera}, {@code screen}) in a
     * room of {@code people} members, as a sentence; null when they may.
     */
    String publishRefusal(Role role, String source, int people);

    HostLeaves hostLeaves();

    /** Whether viewers buy badges for the people on stage (a live). */
    default boolean hasBadges() {
        return false;
    }
}
