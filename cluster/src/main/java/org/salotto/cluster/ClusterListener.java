package org.salotto.cluster;

/**
 * Told of changes the lease thread sees, on that thread, once per renewal (every third of the lease): each method
 * must return at once (hand longer work to another executor). A listener added later is not told of the nodes already
 * there: {@link ClusterNode#nodes()} lists them.
 */
public interface ClusterListener {
    /** A node registered, or came back after its lease lapsed. */
    default void nodeAppeared(Node node) {
    }

    /** A node's lease lapsed (killed, cut off) or it left (closed): its rooms are re-placed by the next node that asks. */
    default void nodeLost(Node node) {
    }

    /**
     * A room this node owned is no longer its own: its lease lapsed and another node took it. This node must stop
     * writing for it (close it here; its people reconnect to the new owner).
     */
    default void roomLost(String roomId) {
    }
}
