package org.salotto.cluster;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Room-wide counts across nodes, against a limit: the 50 people of a call, the places on a stage, whichever node
 * each person came through. A counter is a Redis hash of node id to that node's count; a Lua script admits one more
 * only while the live nodes' counts add up to less than the limit, so that nodes admitting at once never pass it.
 *
 * <p>A lost node's people must not count for ever: its field counts only while its node's lease lives (the scripts
 * drop the fields of nodes whose lease ended), and the whole hash expires a lease after the last node holding a count
 * stopped renewing it. This node keeps its own counts in memory too: they are renewed with its lease, written back if
 * its lease lapsed (another node may then have dropped its field), and removed when it leaves.
 *
 * <p>Admissions and releases of one counter on this node are serialised by a lock of that counter (not shared
 * across rooms), held over the script's round trip: they run on control threads (virtual threads), never on the media
 * path.
 */
public final class RoomCounters {
    /** KEYS the counter; ARGV node key prefix, this node's id, limit, lease ms. The count after admitting, or -1 if full. */
    private static final Script ADMIT = new Script(ScriptOutputType.INTEGER, """
            local fields = redis.call('HGETALL', KEYS[1])
            local total = 0
            for i = 1, #fields, 2 do
              if fields[i] ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. fields[i]) == 0 then
                redis.call('HDEL', KEYS[1], fields[i])
              else
                total = total + tonumber(fields[i + 1])
              end
            end
            if total >= tonumber(ARGV[3]) then return -1 end
            redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return total + 1
            """);
    /** KEYS the counter; ARGV this node's id. One fewer for this node; its field goes at 0. */
    private static final Script RELEASE = new Script(ScriptOutputType.INTEGER, """
            local v = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
            if v <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
            return v
            """);
    /** KEYS the counter; ARGV node key prefix. The live nodes' total, dropping the lost nodes' fields. */
    private static final Script COUNT = new Script(ScriptOutputType.INTEGER, """
            local fields = redis.call('HGETALL', KEYS[1])
            local total = 0
            for i = 1, #fields, 2 do
              if redis.call('EXISTS', ARGV[1] .. fields[i]) == 0 then
                redis.call('HDEL', KEYS[1], fields[i])
              else
                total = total + tonumber(fields[i + 1])
              end
            end
            return total
            """);

    /** This node's count of one counter; {@code retired} once removed from the map (a new one is made then). */
    private static final class Held {
        final ReentrantLock lock = new ReentrantLock();
        int count;
        boolean retired;
    }

    private final ClusterNode node;
    private final ClusterKeys keys;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    RoomCounters(ClusterNode node) {
        this.node = node;
        this.keys = node.keys();
    }

    /**
     * Counts one more in the room's counter if the live nodes' counts add up to less than {@code limit}; answers
     * whether it did. Each admission is given back with {@link #release}.
     */
    public boolean admit(String roomId, String counter, int limit) {
        if (limit < 1) return false;
        String key = keys.counter(roomId, counter);
        Held h = lock(key);
        try {
            long after = ADMIT.run(node.redis(), new String[] {key}, keys.nodePrefix(), node.id(),
                    Integer.toString(limit), Long.toString(node.leaseMillis()));
            if (after < 0) return false;
            h.count++;
            return true;
        } finally {
            h.lock.unlock();
        }
    }

    /** Gives back one admission this node made; nothing if it holds none in this counter. */
    public void release(String roomId, String counter) {
        String key = keys.counter(roomId, counter);
        Held h = lock(key);
        try {
            if (h.count == 0) return;
            RELEASE.run(node.redis(), new String[] {key}, node.id());
            h.count--;
        } finally {
            h.lock.unlock();
        }
    }

    /** The room's count over the live nodes. */
    public int count(String roomId, String counter) {
        long n = COUNT.run(node.redis(), new String[] {keys.counter(roomId, counter)}, keys.nodePrefix());
        return (int) n;
    }

    /** What this node holds of the room's count. */
    public int held(String roomId, String counter) {
        Held h = held.get(keys.counter(roomId, counter));
        return h == null ? 0 : h.count;
    }

    /** The counter's entry, locked; a fresh one if the one found was retired meanwhile. */
    private Held lock(String key) {
        while (true) {
            Held h = held.computeIfAbsent(key, k -> new Held());
            h.lock.lock();
            if (!h.retired) return h;
            h.lock.unlock();
        }
    }

    /**
     * Queues, on the lease thread's pipeline, the expiry of each counter this node holds people in (renewed to a
     * lease from now), and forgets the counters it holds none in.
     */
    List<RedisFuture<Boolean>> renew(RedisAsyncCommands<String, String> pipe) {
        List<RedisFuture<Boolean>> answers = new ArrayList<>();
        for (Map.Entry<String, Held> e : held.entrySet()) {
            Held h = e.getValue();
            if (!h.lock.tryLock()) continue; // being admitted or released now: that renews it
            try {
                if (h.count > 0) {
                    answers.add(pipe.pexpire(e.getKey(), node.leaseMillis()));
                } else {
                    h.retired = true;
                    held.remove(e.getKey(), h);
                }
            } finally {
                h.lock.unlock();
            }
        }
        return answers;
    }

    /** After this node's lease lapsed: its counts written back (another node may have dropped them meanwhile). */
    void restore() {
        for (Map.Entry<String, Held> e : held.entrySet()) {
            Held h = e.getValue();
            h.lock.lock();
            try {
                if (h.retired || h.count == 0) continue;
                node.redis().hset(e.getKey(), node.id(), Integer.toString(h.count));
                node.redis().pexpire(e.getKey(), node.leaseMillis());
            } finally {
                h.lock.unlock();
            }
        }
    }

    /** Leaving the cluster: this node's counts removed. */
    void leave() {
        for (Map.Entry<String, Held> e : held.entrySet()) {
            Held h = e.getValue();
            h.lock.lock();
            try {
                if (h.count > 0) node.redis().hdel(e.getKey(), node.id());
                h.count = 0;
            } finally {
                h.lock.unlock();
            }
        }
    }
}
