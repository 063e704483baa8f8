package org.salotto.rooms.runtime;

import java.util.List;
import java.util.Optional;

/**
 * Which node of a cluster runs a room, and the room-wide counts across nodes: the port through which the
 * {@link RoomRuntime} keeps one writer per room when several nodes share the rooms (docs/scale.md "Routing"). The
 * server gives one only with a cluster; without it (one process) the runtime takes none of these paths.
 *
 * <p>The methods that answer ({@link #claim}, {@link #owner}, {@link #admit}) may block on the network: they are
 * called on the caller's thread (HTTP, WebSocket), before a room opens or a command is submitted, never on a room's
 * executor. The ones that tell ({@link #peopleChanged}, {@link #closed}) are called on the room's executor and must
 * return at once.
 */
public interface RoomOwnership {

    /**
     * The room is to run: placed if it has no live owner. Empty when this node owns it (it may open it), else the
     * base URL of the node that does.
     *
     * @throws RuntimeException when the cluster cannot be asked (the caller answers {@code unavailable})
     */
    Optional<String> claim(String roomId);

    /** The base URL of the live node that owns the room, if that is another node; empty for this node or none. */
    Optional<String> owner(String roomId);

    /**
     * Counts one more person toward the room's limit across the nodes; false when the live nodes' counts already add
     * up to {@code limit}. Each admission is given back once it is settled ({@link #settled}).
     */
    boolean admit(String roomId, int limit);

    /** A join admitted by {@link #admit} was decided (the person is in the room's count now, or was refused). */
    void settled(String roomId);

    /** The room's number of people here changed (on its executor: hands the update off). */
    void peopleChanged(String roomId);

    /**
     * The base URLs of the cluster's live nodes that take clients (not draining), this node first (unless it drains),
     * as the last lease round trip saw them: where a client comes back through when its node cannot be reached. Called
     * on a room's executor: returns at once, without asking the cluster.
     */
    List<String> nodes();

    /** The room closed here (nobody left, or given up): its placement and counts go (on its executor: hands off). */
    void closed(String roomId);

    /**
     * This node drains and has closed the room without ending it: its placement and counts here go, and the room is
     * placed on another node at once. The base URL of that node, or empty when no other node takes rooms. Blocks on
     * the network (a draining thread).
     */
    Optional<String> handOver(String roomId);
}
