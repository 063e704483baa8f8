package org.salotto.rooms.domain;

import org.salotto.rooms.Grants;
import org.salotto.rooms.Role;

/** One member of an open room, as the room's state holds it. Changed only by {@link RoomModel#apply}. */
final class MemberState {
    final String participantId;
    final String identity;
    final long accountId;
    final String displayName;
    Role role;
    boolean handRaised;
    boolean invited;
    /** A co-host who took over a space whose host dropped out; a co-host again when the host returns. */
    boolean actingHost;
    /** Made co-host by an acting host: back on the stage when the host returns. */
    boolean byActingHost;
    /** The connection the member is on now; frames and drops of an older one are ignored. */
    long connection;
    /** False while the member's connection is down and the resume grace runs. */
    boolean connected = true;
    /** What their join token grants, as the application changed it since. */
    Grants grants = Grants.FULL;
    String metadata;

    MemberState(String participantId, String identity, long accountId, String displayName, Role role, long connection) {
        this.participantId = participantId;
        this.identity = identity;
        this.accountId = accountId;
        this.displayName = displayName;
        this.role = role;
        this.connection = connection;
    }

    MemberView view() {
        return new MemberView(participantId, identity, accountId, displayName, role, handRaised, grants, metadata);
    }

    boolean onStage() {
        return role == Role.HOST || role == Role.CO_HOST || role == Role.STAGE;
    }
}
