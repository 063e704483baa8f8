package org.salotto.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.salotto.cluster.ClusterListener;
import org.salotto.cluster.ClusterNode;
import org.salotto.cluster.Node;
import org.salotto.rooms.runtime.OpenRoom;
import org.salotto.rooms.runtime.RoomOwnership;
import org.salotto.rooms.runtime.RoomRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms of this node as one node of a cluster: the {@link RoomOwnership} of its {@link RoomRuntime}, on the
 * cluster's {@link org.salotto.cluster.RoomPlacement} and {@link org.salotto.cluster.RoomCounters}, and the
 * {@link ClusterListener} that gives up a room another node took.
 *
 * <p>Room-wide limits: a room with a limit (a call) has one counter, {@value #PEOPLE}, in which this node holds its
 * people in the room plus the joins it admitted that are not decided yet. A join is admitted against the limit before
 * the room decides it; afterwards this node's share is set again to what the room counts (a refused join gives its
 * place back, someone let in from the lobby takes one, someone leaving gives one back). The owner holds nearly all of
 * a room's people; the counter is what keeps the limit while an owner changes and the old one still has people.
 * The setting runs on a virtual thread, one at a time per room, never on the room's executor.
 */
final class ClusterRooms implements RoomOwnership, ClusterListener {
    static final String PEOPLE = "people";
    private static final Logger log = LoggerFactory.getLogger(ClusterRooms.class);

    /** A limited room's share on this node: joins admitted and not decided yet, and the setting's serialisation. */
    private static final class Share {
        final AtomicInteger pending = new AtomicInteger();
        final AtomicBoolean queued = new AtomicBoolean();
        final ReentrantLock lock = new ReentrantLock();
    }

    private final ClusterNode node;
    private final RoomRuntime runtime;
    /** The rooms with a limit this node admitted people to; rooms without one (spaces, lives) cost Redis nothing. */
    private final Map<String, Share> limited = new ConcurrentHashMap<>();

    ClusterRooms(ClusterNode node, RoomRuntime runtime) {
        this.node = node;
        this.runtime = runtime;
    }

    @Override
    public Optional<String> claim(String roomId) {
        return elsewhere(node.placement().place(roomId).orElseThrow(
                () -> new IllegalStateException("no live node takes rooms (all draining or lost)")));
    }

    @Override
    public Optional<String> owner(String roomId) {
        return node.placement().owner(roomId).flatMap(this::elsewhere);
    }

    private Optional<String> elsewhere(Node owner) {
        return owner.id().equals(node.id()) ? Optional.empty() : Optional.of(owner.httpUrl());
    }

    @Override
    public List<String> nodes() {
        List<String> urls = new ArrayList<>();
        if (!node.draining()) urls.add(node.httpUrl());
        for (Node n : node.lastSeen()) {
            if (!n.draining() && !n.id().equals(node.id()) && !urls.contains(n.httpUrl())) urls.add(n.httpUrl());
        }
        return List.copyOf(urls);
    }

    @Override
    public boolean admit(String roomId, int limit) {
        Share share = limited.computeIfAbsent(roomId, r -> new Share());
        share.lock.lock();
        try {
            if (!node.counters().admit(roomId, PEOPLE, limit)) return false;
            share.pending.incrementAndGet();
            return true;
        } finally {
            share.lock.unlock();
        }
    }

    @Override
    public void settled(String roomId) {
        Share share = limited.get(roomId);
        if (share == null) return;
        share.pending.decrementAndGet();
        settle(roomId, share);
    }

    @Override
    public void peopleChanged(String roomId) {
        Share share = limited.get(roomId);
        if (share != null && share.queued.compareAndSet(false, true)) {
            Thread.ofVirtual().name("cluster-count").start(() -> {
                share.queued.set(false);
                settle(roomId, share);
            });
        }
    }

    @Override
    public void closed(String roomId) {
        Thread.ofVirtual().name("cluster-release").start(() -> {
            try {
                // Its last writes (nobody in it now) land before another node may open it and read it.
                runtime.settled(roomId);
            } catch (org.salotto.rooms.RoomException | RuntimeException e) {
                log.warn("cluster: room {}'s last writes are not stored yet ({}); released all the same", roomId, e.getMessage());
            }
            try {
                Share share = limited.get(roomId);
                if (share != null) settle(roomId, share);
                node.placement().release(roomId);
            } catch (RuntimeException e) {
                log.warn("cluster: room {} closed here but could not be released ({}); its lease lapses", roomId,
                        e.getMessage());
            }
        });
    }

    /** This node's share of the room's counter set to its people there plus its joins under way. */
    private void settle(String roomId, Share share) {
        share.lock.lock();
        try {
            OpenRoom room = runtime.get(roomId);
            int target = (room == null ? 0 : room.people()) + share.pending.get();
            int held = node.counters().held(roomId, PEOPLE);
            for (; held > target; held--) node.counters().release(roomId, PEOPLE);
            // Someone in who was not admitted here (let in from the lobby): counted, whatever the limit says now.
            for (; held < target; held++) node.counters().admit(roomId, PEOPLE, Integer.MAX_VALUE);
            if (target == 0 && room == null) limited.remove(roomId, share);
        } catch (RuntimeException e) {
            log.warn("cluster: room {}'s count could not be set ({}); set again on its next change", roomId, e.getMessage());
        } finally {
            share.lock.unlock();
        }
    }

    @Override
    public Optional<String> handOver(String roomId) {
        Share share = limited.get(roomId);
        if (share != null) settle(roomId, share); // closed here: this node's share of a call's count goes to 0
        node.placement().release(roomId);
        // This node is marked draining: the placement picks another one.
        return node.placement().place(roomId).filter(n -> !n.id().equals(node.id())).map(Node::httpUrl);
    }

    @Override
    public void roomLost(String roomId) {
        log.warn("cluster: room {} is owned by another node now; giving it up here", roomId);
        runtime.giveUp(roomId);
    }
}
