package org.salotto.rooms.runtime;

import org.salotto.signaling.MediaSession;
import org.salotto.signaling.Outbox;
import org.salotto.signaling.protocol.FrameCodec;

/**
 * The audience of a space or a live served on an edge node (docs/scale.md "Audience relayed across nodes"): a listener
 * or viewer who joins through a node that does not own the room stays on that node, which receives the stage's audio
 * (and a live's cameras) from the owner and fans it out. The owner's room knows them as a member without media (their hands, reactions and role are decided
 * there, as for anyone); their frames other than media go to the owner, and what the owner's room sends them comes
 * back. The port through which the {@link RoomRuntime} hands such a listener to the server's relay, and through which
 * an owner's rooms send their event batches to the edges; given only with a cluster.
 */
public interface EdgeAudience {

    /**
     * Puts a listener in the edge's audience of a room another node owns: {@code joinFrame} (the client's {@code join},
     * its token already redeemed here) goes to the owner, whose answer ({@code joined}, or an error) comes back through
     * {@code outbox}; once joined, their subscriber connection is on this node's audience slots, fed from the owner.
     * Called on the caller's thread (the WebSocket's).
     *
     * @return the listener: their media (once joined), their other frames to the owner, their leaving
     * @throws RuntimeException when the cluster cannot be asked (the caller answers {@code unavailable})
     */
    Listener listen(String roomId, int stageVideo, String joinFrame, Outbox outbox);

    /**
     * As {@link #listen}, for a listener coming back: {@code resumeFrame} (the client's {@code resume}, its token read
     * here) goes to the owner, which resumes the same participant with this node as their connection and answers with
     * the {@code resumed} snapshot (or an error: {@code resume_failed}, or {@code wrong_node} for someone on stage).
     */
    Listener resume(String roomId, int stageVideo, String resumeFrame, Outbox outbox);

    /**
     * A room owned here sends a batch of its {@code roomEvents} (already encoded) to the edges that have listeners in
     * it. On the room's executor: hands off at once.
     */
    void roomEvents(String roomId, FrameCodec.Encoded batch);

    /** This node's base URL, which a listener brought on stage is sent to ({@code wrong_node}). */
    String nodeUrl();

    /** One listener served here. */
    interface Listener {
        /** Their media session on this node; null until the owner said {@code joined}. */
        MediaSession media();

        /** A frame of theirs for the room (a hand, a reaction, an answer to an invitation), sent to the owner as is. */
        void forward(String frame);

        /** They left ({@code leave}, or cut off): the owner is told, their subscriber connection closes. */
        void leave();

        /**
         * Their socket closed without {@code leave}: their subscriber connection here closes, and the owner keeps them
         * as members for the resume grace, as anyone whose connection dropped.
         */
        void dropped();
    }
}
