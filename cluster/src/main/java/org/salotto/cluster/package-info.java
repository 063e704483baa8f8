/**
 * Several Salotto nodes as one service through Redis (issue 16; docs/scale.md, docs/architecture.md "Cluster").
 * {@link org.salotto.cluster.ClusterNode} is the entry: it registers this node with its addresses and its
 * {@link org.salotto.cluster.Load} under a lease it renews, lists the live {@link org.salotto.cluster.Node}s and tells
 * {@link org.salotto.cluster.ClusterListener}s of nodes that appear or are lost; {@link org.salotto.cluster.RoomPlacement}
 * places a room on a node (two random choices, by load) and keeps its owner's lease; {@link org.salotto.cluster.RoomCounters}
 * counts a room's people across nodes against a limit. Every Redis call is on the control path (HTTP, WebSocket and
 * room threads, and this package's own lease thread), never on the media path.
 *
 * <p>This module knows nothing of rooms, media or HTTP: the server module wires it, as it wires the rest.
 */
package org.salotto.cluster;
