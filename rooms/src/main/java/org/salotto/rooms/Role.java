package org.salotto.rooms;

/**
 * What a person is in a room. The API names depend on the kind (a space's {@code speaker} is a live's {@code guest}
 * and a call's {@code participant}); {@link #apiName(RoomKind)} gives them.
 */
public enum Role {
    HOST,
    /** Call and space: may admit, remove, lock and (space) move people on and off the stage. Cannot end the room. */
    CO_HOST,
    /** Live: a viewer the host picked to moderate comments and remove viewers. Not on stage. */
    MODERATOR,
    /** On stage: call participant, live guest, space speaker. */
    STAGE,
    /** Subscribes only: live viewer, space listener. */
    AUDIENCE;

    public String apiName(RoomKind kind) {
        return switch (this) {
            case HOST -> "host";
            case CO_HOST -> "co_host";
            case MODERATOR -> "moderator";
            case STAGE -> switch (kind) {
                case CALL -> "participant";
                case LIVE -> "guest";
                case SPACE -> "speaker";
            };
            case AUDIENCE -> kind == RoomKind.LIVE ? "viewer" : "listener";
        };
    }

    /** The role named {@code name} in a room of {@code kind}, or null. */
    public static Role fromApi(RoomKind kind, String name) {
        for (Role r : values()) if (r.apiName(kind).equals(name)) return r;
        return null;
    }
}
