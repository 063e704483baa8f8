package org.salotto.rooms.runtime;

import org.salotto.signaling.MediaSession;
import org.salotto.signaling.Outbox;

/**
 * The audience of a space served on an edge node (docs/scale.md "Audience relayed across nodes"): a listener who joins
 * through a node that does not own the room stays on that node, which receives the stage's audio from the owner and
 * fans it out. The port through which the {@link RoomRuntime} hands such a listener to the server's relay; given only
 * with a cluster.
 */
public interface EdgeAudience {

    /**
     * Puts a listener in the edge's audience of a room the node {@code ownerUrl} owns: their subscriber connection on
     * this node's audience slots, fed from the owner. Called on the caller's thread (the WebSocket's), after the
     * {@code joined} frame went out through {@code outbox}.
     *
     * @return the listener's media, and their leaving
     * @throws RuntimeException when the cluster cannot be asked (the caller answers {@code unavailable})
     */
    Listener listen(String roomId, String participantId, String displayName, Outbox outbox);

    /** One listener served here. */
    interface Listener {
        MediaSession media();

        /** They left (or their socket closed): their subscriber connection closes. */
        void leave();
    }
}
