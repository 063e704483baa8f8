package org.salotto.cluster;

/**
 * The Redis keys, all under one prefix:
 * <ul>
 * <li>{@code node:{id}}: a node's hash (addresses, load, draining), expiring with its lease;</li>
 * <li>{@code nodes}: a sorted set of node ids scored by their lease's end (Redis's clock), so that listing the nodes
 *     needs no SCAN;</li>
 * <li>{@code room:{id}:owner}: the id of the node that owns a room, expiring with the room's lease;</li>
 * <li>{@code room:{id}:count:{name}}: a room-wide counter, a hash of node id to that node's count;</li>
 * <li>{@code link:{a}:{b}}: the SRTP keying material of the media link between nodes a and b (a before b);</li>
 * <li>{@code to:{id}} (a pub/sub channel, not a key): messages for one node.</li>
 * </ul>
 * The scripts read node keys named by values (a room's owner, a counter's fields), so the keys must live on one Redis
 * (a primary, with replicas if wanted), not be sharded over a Redis Cluster.
 */
record ClusterKeys(String prefix) {
    String node(String id) {
        return prefix + "node:" + id;
    }

    /** What {@link #node} puts before an id: scripts build node keys from ids. */
    String nodePrefix() {
        return prefix + "node:";
    }

    String nodes() {
        return prefix + "nodes";
    }

    String roomOwner(String roomId) {
        return prefix + "room:" + roomId + ":owner";
    }

    String counter(String roomId, String name) {
        return prefix + "room:" + roomId + ":count:" + name;
    }

    /** The keys of the media link between two nodes: one key per pair, whichever asks first. */
    String link(String a, String b) {
        return a.compareTo(b) < 0 ? prefix + "link:" + a + ":" + b : prefix + "link:" + b + ":" + a;
    }

    /** The pub/sub channel of messages for one node. */
    String inbox(String nodeId) {
        return prefix + "to:" + nodeId;
    }
}
