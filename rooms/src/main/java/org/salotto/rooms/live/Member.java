package org.salotto.rooms.live;

import java.time.Instant;
import org.salotto.rooms.Role;
import org.salotto.signaling.MediaSession;

/** One person in an open room, while their WebSocket is connected. Guarded by the room's lock. */
final class Member {
    final String participantId;
    final String identity;
    final long accountId;
    final String displayName;
    final RoomSession session;
    final Instant joinedAt;
    Role role;
    /** A co-host who took over a space whose host dropped out; back to co-host when the host returns. */
    boolean actingHost;
    boolean handRaised;
    boolean invited;
    /**
     * Set under the room's lock just after the {@code joined} frame goes out; volatile because the person's own frames
     * read it on their socket's thread (see {@link LiveRoom#mediaOf}).
     */
    volatile MediaSession media;

    Member(String participantId, String identity, long accountId, String displayName, Role role, RoomSession session,
           Instant joinedAt) {
        this.participantId = participantId;
        this.identity = identity;
        this.accountId = accountId;
        this.displayName = displayName;
        this.role = role;
        this.session = session;
        this.joinedAt = joinedAt;
    }

    boolean isHostOrCoHost() {
        return role == Role.HOST || role == Role.CO_HOST;
    }

    boolean onStage() {
        return role == Role.HOST || role == Role.STAGE || role == Role.CO_HOST;
    }

    void send(String frame) {
        session.outbox().send(frame);
    }
}
