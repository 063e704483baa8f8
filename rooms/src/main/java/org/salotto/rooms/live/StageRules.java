package org.salotto.rooms.live;

import org.salotto.rooms.Role;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomsConfig;
import org.salotto.signaling.PublishPolicy;

/**
 * What each role may publish in each kind of room (PRODUCT.md "Room kinds"): a call publishes camera, mic and,
 * while small, screen; a live stage camera and mic; a space stage mic only; the audience nothing.
 */
final class StageRules {
    private final RoomsConfig config;

    StageRules(RoomsConfig config) {
        this.config = config;
    }

    /** The policy of a role; {@code people} is read when a screen is offered, to apply the call's size rule. */
    PublishPolicy policy(RoomKind kind, Role role, java.util.function.IntSupplier people) {
        return switch (kind) {
            case CALL -> source -> !source.equals("screen") || people.getAsInt() <= config.screenShareMaxPeople() ? null
                    : "screen sharing is offered while a call has at most " + config.screenShareMaxPeople() + " people";
            case LIVE -> switch (role) {
                case HOST, STAGE -> source -> source.equals("screen") ? "a live room carries camera and mic, not a screen" : null;
                default -> source -> "viewers cannot publish: ask to join the stage";
            };
            case SPACE -> switch (role) {
                case HOST, CO_HOST, STAGE -> source -> source.equals("mic") ? null : "a space is audio only";
                default -> source -> "listeners cannot speak: raise your hand and wait for the host";
            };
        };
    }

    /** The role someone has when they come in, unless they are the host or were made co-host before. */
    static Role entryRole(RoomKind kind) {
        return kind == RoomKind.CALL ? Role.STAGE : Role.AUDIENCE;
    }
}
