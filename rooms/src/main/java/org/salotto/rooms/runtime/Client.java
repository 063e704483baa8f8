package org.salotto.rooms.runtime;

import org.salotto.signaling.Conference;
import org.salotto.signaling.MediaSession;
import org.salotto.signaling.Outbox;

/**
 * The way to one person's client on one connection, as the room runtime sees it: a port, not a socket, so that a
 * WebSocket today (and WHIP, WHEP or a recorder later) can be a member. The room tells it what it became (a member,
 * someone waiting, gone); frames go out through its outbox, in order, one writer per connection.
 */
public interface Client {

    /** This connection's id, unique in the process. */
    long connection();

    /** Where the frames for this client go, in order. */
    Outbox outbox();

    /** The client is a member now (joined, admitted, resumed, or took over from an older connection). */
    void entered(OpenRoom room, String participantId, MediaSession media);

    /** The client waits in the lobby. */
    void waiting(OpenRoom room, String lobbyId);

    /** The client is no longer in the room on this connection (removed, denied, replaced, room ended). */
    void gone();

    /**
     * Whether this client's media are on another node: a listener of an edge node (docs/scale.md "Audience relayed
     * across nodes"), a member here without media, whose room events go to their node once per batch.
     */
    default boolean mediaElsewhere() {
        return false;
    }

    /** How this client receives the room's media: Salotto's offers over the WebSocket, unless it says otherwise. */
    default Conference.Receiving receiving() {
        return Conference.Receiving.SERVER_OFFERS;
    }
}
