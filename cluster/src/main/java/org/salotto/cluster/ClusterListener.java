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

    /**
     * This node's lease, its rooms' and its counts' were renewed, and {@code live} are the nodes Redis listed in the
     * same round trip (this one included): the cluster's view as of now, after the changes above were told.
     */
    default void renewed(java.util.List<Node> live) {
    }
}
