package org.salotto.cluster;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Which node owns a room, so that a room has one writer across the cluster. A room with no live owner is placed when
 * a node asks ({@link #place}): two live nodes that take new rooms are drawn at random and the lighter one is
 * proposed (the "power of two choices": loads in Redis are up to a third of a lease old, and sending every new room to
 * the one lightest node would pile a burst onto it; two random choices spread a burst and still avoid the heavy
 * nodes). A Lua script records the proposal only if the room still has no live owner, so that nodes placing one room
 * at once all get the same answer.
 *
 * <p>The owner's record has the node's lease: the owner renews it with its own lease, for all its rooms in one round
 * trip. A room whose owner was lost (its node's lease ended) is placed again by the next node that asks, even while
 * the room's own key has not yet expired. The owner learns that it owns a room when it opens it and asks itself
 * ({@link #place} answering itself adds the room to {@link #owned()}); a room placed on a node that never opens it
 * lapses after one lease.
 */
public final class RoomPlacement {
    /** KEYS owner key; ARGV node key prefix. The live owner's hash, or nothing. */
    private static final Script OWNER = new Script(ScriptOutputType.MULTI, """
            local owner = redis.call('GET', KEYS[1])
            if not owner then return {} end
            return redis.call('HGETALL', ARGV[1] .. owner)
            """);
    /**
     * KEYS owner key; ARGV node key prefix, candidate id ('' for none), lease ms. The live owner's hash; else the
     * candidate's, recorded as the owner, if it is live and not draining; else nothing.
     */
    private static final Script PLACE = new Script(ScriptOutputType.MULTI, """
            local owner = redis.call('GET', KEYS[1])
            if owner then
              local h = redis.call('HGETALL', ARGV[1] .. owner)
              if #h > 0 then return h end
            end
            if ARGV[2] == '' then return {} end
            local node = ARGV[1] .. ARGV[2]
            local h = redis.call('HGETALL', node)
            if #h == 0 or redis.call('HGET', node, 'draining') == '1' then return {} end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return h
            """);
    /**
     * KEYS the owner keys of this node's rooms; ARGV its id, lease ms. Renews those still its own, takes back those
     * whose key lapsed with nobody else taking them, and answers the positions (from 1) of those another node took.
     */
    private static final Script RENEW = new Script(ScriptOutputType.MULTI, """
            local lost = {}
            for i, key in ipairs(KEYS) do
              local owner = redis.call('GET', key)
              if owner == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2])
              elseif not owner then redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
              else lost[#lost + 1] = i end
            end
            return lost
            """);
    /** KEYS owner key; ARGV this node's id. Deletes the record if it is this node's. */
    private static final Script RELEASE = new Script(ScriptOutputType.INTEGER, """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """);
    /** Rooms renewed per script: one script holds Redis, so a node with thousands of rooms sends several. */
    static final int RENEW_BATCH = 500;
    private static final int ATTEMPTS = 3;

    private final ClusterNode node;
    private final ClusterKeys keys;
    private final RandomGenerator random;
    private final Set<String> owned = ConcurrentHashMap.newKeySet();

    RoomPlacement(ClusterNode node, RandomGenerator random) {
        this.node = node;
        this.keys = node.keys();
        this.random = random;
    }

    /** The room's live owner, or empty if it has none (never placed, or its owner was lost). Places nothing. */
    public Optional<Node> owner(String roomId) {
        List<Object> h = OWNER.run(node.redis(), new String[] {keys.roomOwner(roomId)}, keys.nodePrefix());
        return Optional.ofNullable(Node.fromFields(h));
    }

    /**
     * The room's owner, placing the room first if it has no live owner (on the lighter of two random live nodes that
     * take new rooms). Empty when it has no live owner and no node takes new rooms (all draining). Nodes asking at
     * once all get the same answer. When the answer is this node, the room is added to {@link #owned()}.
     */
    public Optional<Node> place(String roomId) {
        String key = keys.roomOwner(roomId);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Node candidate = twoChoices(node.candidates());
            List<Object> h = PLACE.run(node.redis(), new String[] {key}, keys.nodePrefix(),
                    candidate == null ? "" : candidate.id(), Long.toString(node.leaseMillis()));
            Node owner = Node.fromFields(h);
            if (owner != null) {
                if (owner.id().equals(node.id())) owned.add(roomId);
                return Optional.of(owner);
            }
            // The candidate was lost or began draining since the list was read: draw again from a fresh list.
            if (candidate == null) break;
        }
        return Optional.empty();
    }

    /** Two distinct nodes drawn at random, the lighter one; the one node if there is one; null for none. */
    Node twoChoices(List<Node> candidates) {
        int n = candidates.size();
        if (n == 0) return null;
        if (n == 1) return candidates.getFirst();
        int a = random.nextInt(n);
        int b = random.nextInt(n - 1);
        if (b >= a) b++;
        Node first = candidates.get(a);
        Node second = candidates.get(b);
        return second.load().compareTo(first.load()) < 0 ? second : first;
    }

    /** The room is no longer this node's (it closed here): its record goes, if it is still this node's. */
    public void release(String roomId) {
        owned.remove(roomId);
        RELEASE.run(node.redis(), new String[] {keys.roomOwner(roomId)}, node.id());
    }

    /** The rooms this node owns as far as it knows (renewed with its lease). */
    public Set<String> owned() {
        return Set.copyOf(owned);
    }

    /** Releases every room this node owns (leaving the cluster). */
    void releaseAll() {
        for (String room : List.copyOf(owned)) release(room);
    }

    /** Queues the renewal of every owned room's lease on the lease thread's pipeline. */
    Renewal renew(RedisAsyncCommands<String, String> pipe) {
        List<String> rooms = List.copyOf(owned);
        List<RedisFuture<List<Object>>> answers = new ArrayList<>();
        for (int from = 0; from < rooms.size(); from += RENEW_BATCH) {
            List<String> batch = rooms.subList(from, Math.min(rooms.size(), from + RENEW_BATCH));
            answers.add(RENEW.send(pipe, batch.stream().map(keys::roomOwner).toArray(String[]::new), node.id(),
                    Long.toString(node.leaseMillis())));
        }
        return new Renewal(rooms, answers);
    }

    /** The owned rooms' renewal in flight: which rooms were sent, and the scripts' answers. */
    final class Renewal {
        private final List<String> rooms;
        private final List<RedisFuture<List<Object>>> answers;
        private final List<String> lost = new ArrayList<>();

        private Renewal(List<String> rooms, List<RedisFuture<List<Object>>> answers) {
            this.rooms = rooms;
            this.answers = answers;
        }

        /** Waits for the answers; the rooms another node took are no longer owned here. */
        void await(long deadline) {
            for (int b = 0; b < answers.size(); b++) {
                for (Object position : ClusterNode.await(answers.get(b), deadline)) {
                    String room = rooms.get(b * RENEW_BATCH + (int) ((Long) position - 1));
                    if (owned.remove(room)) lost.add(room);
                }
            }
            // A room released while its renewal was on the way may have been taken back by it: release it again.
            for (String room : rooms) {
                if (!owned.contains(room) && !lost.contains(room)) {
                    RELEASE.run(node.redis(), new String[] {keys.roomOwner(room)}, node.id());
                }
            }
        }

        /** Rooms another node took (their owner here was lost meanwhile). */
        List<String> lost() {
            return lost;
        }
    }
}
