package org.salotto.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process as a node of a cluster: registered in Redis with its addresses and load under a lease, which its lease
 * thread renews every third of {@code cluster.node-lease}, together with the leases of the rooms it owns and of the
 * people it counts, in one pipelined round trip; the same round trip lists the live nodes, and the difference from the
 * last list is told to the {@link ClusterListener}s.
 *
 * <p>Why poll rather than keyspace notifications: a node's loss is its key expiring, and Redis sends {@code expired}
 * events only when it gets round to deleting the key (lazily, or by its sampling), not when the TTL passes; the events
 * need {@code notify-keyspace-events} set on the server (which managed Redis often refuses); and pub/sub drops what
 * is sent while a subscriber reconnects. The renewal already goes to Redis every third of the lease: listing the
 * nodes in the same round trip costs nothing more, and a lost node is noticed at most a third of a lease after its
 * lease ended, by every node, without any server setting.
 *
 * <p>A node that cannot reach Redis keeps running what it has (the media path never touches Redis); its lease lapses
 * and the others see it lost. When Redis is back it registers again (a {@link ClusterListener#nodeAppeared} to the
 * others), takes back the rooms nobody took meanwhile and hears {@link ClusterListener#roomLost} for the others.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

    /** Registers or renews: KEYS node hash, index; ARGV lease ms, id, field, value... Answers 1 if the hash was there. */
    private static final Script HEARTBEAT = new Script(ScriptOutputType.INTEGER, """
            local existed = redis.call('EXISTS', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            local t = redis.call('TIME')
            redis.call('ZADD', KEYS[2], t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(ARGV[1]), ARGV[2])
            return existed
            """);
    /** The live nodes' hashes: KEYS index; ARGV node key prefix. Forgets ids whose lease ended. */
    private static final Script NODES = new Script(ScriptOutputType.MULTI, """
            local t = redis.call('TIME')
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t[1] * 1000 + math.floor(t[2] / 1000))
            local out = {}
            for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local h = redis.call('HGETALL', ARGV[1] .. id)
              if #h > 0 then out[#out + 1] = h else redis.call('ZREM', KEYS[1], id) end
            end
            return out
            """);

    private final ClusterConfig config;
    private final ClusterKeys keys;
    private final String id;
    private final String httpUrl;
    private final String mediaAddress;
    private final Supplier<Load> load;
    private final RedisClient client;
    /** For any thread: Lettuce connections are thread-safe, and concurrent commands are pipelined on it. */
    private final StatefulRedisConnection<String, String> shared;
    /** The lease thread's own, flushed once per renewal: one round trip for everything it renews. */
    private final StatefulRedisConnection<String, String> leases;
    private final ScheduledExecutorService leaseThread;
    private final Duration timeout;
    private final RoomPlacement placement;
    private final RoomCounters counters;
    private final List<ClusterListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean draining;
    private NodeMessages messages;
    /** The live nodes as of the last renewal, this one included (read without a round trip). */
    private volatile List<Node> lastSeen = List.of();
    private volatile boolean closed;
    // The lease thread's alone:
    private Map<String, Node> known = Map.of();
    private Load lastLoad = Load.IDLE;
    private boolean registered;
    private boolean failing;

    private ClusterNode(ClusterConfig config, String id, String httpUrl, String mediaAddress, Supplier<Load> load,
                        RandomGenerator random) {
        this.config = config;
        this.keys = new ClusterKeys(config.keyPrefix());
        this.id = id;
        this.httpUrl = httpUrl;
        this.mediaAddress = mediaAddress;
        this.load = load;
        // A renewal slower than the lease is no renewal; a join waits at most this for a placement.
        this.timeout = config.nodeLease().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : config.nodeLease();
        RedisURI uri = RedisURI.create(config.redisUrl());
        uri.setTimeout(timeout);
        this.client = RedisClient.create(uri);
        // While Redis is unreachable, commands fail at once instead of queueing for the reconnection: a join then
        // hears "unavailable" now, and the lease thread tries again on its next tick.
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        StatefulRedisConnection<String, String> s = null;
        StatefulRedisConnection<String, String> l = null;
        try {
            s = client.connect();
            l = client.connect();
        } catch (RuntimeException e) {
            if (s != null) s.close();
            client.shutdown();
            throw new IllegalStateException("cannot reach Redis at " + ClusterConfig.withoutPassword(config.redisUrl())
                    + " (cluster.redis-url): " + e.getMessage(), e);
        }
        this.shared = s;
        this.leases = l;
        leases.setAutoFlushCommands(false);
        this.leaseThread = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("cluster-lease").factory());
        this.placement = new RoomPlacement(this, random);
        this.counters = new RoomCounters(this);
    }

    /**
     * Joins the cluster: registers this node (returning once Redis has it) and starts renewing its lease.
     *
     * @param httpUrl      this node's HTTP base URL as clients and other nodes reach it
     * @param mediaAddress its media socket as clients reach it, {@code host:port}
     * @param load         what this node tells the others of its load, asked every third of the lease
     * @throws IllegalStateException when Redis cannot be reached
     */
    public static ClusterNode start(ClusterConfig config, String httpUrl, String mediaAddress, Supplier<Load> load) {
        return start(config, newId(), httpUrl, mediaAddress, load, RandomGenerator.of("L64X128MixRandom"));
    }

    /** With a given id and the random choices of placement drawn from {@code random} (tests make them repeatable). */
    static ClusterNode start(ClusterConfig config, String id, String httpUrl, String mediaAddress, Supplier<Load> load,
                             RandomGenerator random) {
        if (!config.enabled()) throw new IllegalArgumentException("no cluster.redis-url: this is one process without Redis");
        ClusterNode node = new ClusterNode(config, id, httpUrl, mediaAddress, load, random);
        try {
            node.onLeaseThread(node::renew);
        } catch (RuntimeException e) {
            node.abandon();
            throw new IllegalStateException("cannot register this node in Redis at "
                    + ClusterConfig.withoutPassword(config.redisUrl()) + ": " + e.getMessage(), e);
        }
        long every = config.renewEvery().toNanos();
        node.leaseThread.scheduleAtFixedRate(node::renewOrComplain, every, every, TimeUnit.NANOSECONDS);
        log.info("cluster: node {} registered ({}, media {}), lease {}", id, httpUrl, mediaAddress, config.nodeLease());
        return node;
    }

    /** A new node id: random, so that a restarted process is a new node and its old lease simply lapses. */
    private static String newId() {
        byte[] b = new byte[6];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    public String id() {
        return id;
    }

    /** This node's HTTP base URL, as clients and other nodes reach it. */
    public String httpUrl() {
        return httpUrl;
    }

    public ClusterConfig config() {
        return config;
    }

    public RoomPlacement placement() {
        return placement;
    }

    public RoomCounters counters() {
        return counters;
    }

    /** The live nodes, this one included, read from Redis now: a node whose lease ended is not among them. */
    public List<Node> nodes() {
        List<Object> hashes = NODES.run(redis(), new String[] {keys.nodes()}, keys.nodePrefix());
        return parseNodes(hashes);
    }

    /**
     * The live nodes as the last renewal listed them, this one included: at most a third of a lease old, and no
     * round trip (what a request may read, such as the origins of the cluster's own pages).
     */
    public List<Node> lastSeen() {
        return lastSeen;
    }

    /**
     * Starts reading this node's channel of messages from the other nodes; each message goes to {@code receiver} on
     * Lettuce's event thread (it must hand work off). Once per node.
     */
    public synchronized NodeMessages messages(java.util.function.Consumer<String> receiver) {
        if (messages != null) throw new IllegalStateException("this node's messages are read already");
        messages = new NodeMessages(this, client, receiver);
        return messages;
    }

    /** Adds a listener (see {@link ClusterListener}); closing the answer removes it. */
    public AutoCloseable addListener(ClusterListener listener) {
        listeners.add(Objects.requireNonNull(listener));
        return () -> listeners.remove(listener);
    }

    /**
     * Marks this node draining (SIGTERM), in Redis before it returns: from then on no node places a new room here.
     * The rooms it owns stay its own until they end or are released.
     */
    public void drain() {
        if (draining || closed) return;
        draining = true;
        onLeaseThread(this::renew);
        log.info("cluster: node {} draining: no new rooms are placed on it", id);
    }

    public boolean draining() {
        return draining;
    }

    /** Leaves the cluster: releases its rooms and counts, removes its registration, and closes the connections. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        leaseThread.shutdown();
        try {
            leaseThread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
            counters.leave();
            placement.releaseAll();
            RedisCommands<String, String> r = redis();
            r.del(keys.node(id));
            r.zrem(keys.nodes(), id);
            log.info("cluster: node {} left", id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("cluster: node {} could not deregister; its lease lapses within {}", id, config.nodeLease(), e);
        } finally {
            disconnect();
        }
    }

    /**
     * Stops as a killed process would: no more renewals, nothing released, the connections dropped. Its lease lapses
     * in Redis by itself (tests of a node's loss).
     */
    public void abandon() {
        closed = true;
        leaseThread.shutdownNow();
        disconnect();
    }

    private void disconnect() {
        try {
            synchronized (this) {
                if (messages != null) messages.close();
            }
            shared.close();
            leases.close();
        } finally {
            client.shutdown(Duration.ZERO, timeout);
        }
    }

    // ---- for the placement and the counters ----

    RedisCommands<String, String> redis() {
        return shared.sync();
    }

    ClusterKeys keys() {
        return keys;
    }

    long leaseMillis() {
        return config.nodeLease().toMillis();
    }

    // ---- the lease thread ----

    private void onLeaseThread(Runnable task) {
        try {
            leaseThread.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while renewing the lease", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A scheduled renewal: a failure is logged once per outage (the next tick tries again), never thrown. */
    private void renewOrComplain() {
        try {
            renew();
            if (failing) log.info("cluster: Redis answers again; node {} renewed its lease", id);
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("cluster: node {} cannot renew its lease in Redis ({}); the others see it lost after {}",
                        id, e.getMessage(), config.nodeLease());
            }
            failing = true;
        }
    }

    /**
     * One renewal, one round trip: the node's hash and lease, its rooms' leases, its counts' expiry, and the list of
     * live nodes; then what changed is told.
     */
    private void renew() {
        if (closed) return;
        Load now;
        try {
            now = Objects.requireNonNull(load.get());
            lastLoad = now;
        } catch (RuntimeException e) {
            log.warn("cluster: the load could not be read; telling the last one", e);
            now = lastLoad;
        }
        Node self = new Node(id, httpUrl, mediaAddress, now, draining);
        RedisAsyncCommands<String, String> pipe = leases.async();
        List<String> beatArgs = new ArrayList<>(List.of(Long.toString(leaseMillis()), id));
        beatArgs.addAll(List.of(self.fields()));
        RedisFuture<Long> beat = HEARTBEAT.send(pipe, new String[] {keys.node(id), keys.nodes()},
                beatArgs.toArray(String[]::new));
        RoomPlacement.Renewal rooms = placement.renew(pipe);
        List<RedisFuture<Boolean>> counts = counters.renew(pipe);
        RedisFuture<List<Object>> listing = NODES.send(pipe, new String[] {keys.nodes()}, keys.nodePrefix());
        leases.flushCommands();

        long deadline = System.nanoTime() + timeout.toNanos();
        boolean existed = await(beat, deadline) == 1L;
        rooms.await(deadline);
        for (RedisFuture<Boolean> f : counts) await(f, deadline);
        List<Node> live = parseNodes(await(listing, deadline));

        if (registered && !existed) {
            log.warn("cluster: node {}'s lease had lapsed (Redis unreachable or this process paused); registered again", id);
            counters.restore();
        }
        registered = true;
        for (String room : rooms.lost()) tell(l -> l.roomLost(room));
        lastSeen = List.copyOf(live);
        Map<String, Node> others = new LinkedHashMap<>();
        for (Node n : live) if (!n.id().equals(id)) others.put(n.id(), n);
        for (Node n : others.values()) if (!known.containsKey(n.id())) tell(l -> l.nodeAppeared(n));
        for (Node n : known.values()) if (!others.containsKey(n.id())) tell(l -> l.nodeLost(n));
        known = others;
        List<Node> seen = lastSeen;
        tell(l -> l.renewed(seen));
    }

    private void tell(java.util.function.Consumer<ClusterListener> event) {
        for (ClusterListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                log.warn("cluster: a listener failed", e);
            }
        }
    }

    /** A pipelined answer, waited for until {@code deadline} (System.nanoTime()). */
    static <T> T await(RedisFuture<T> f, long deadline) {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException("Redis did not answer in time", e);
        }
    }

    private static List<Node> parseNodes(List<Object> hashes) {
        Map<String, Node> byId = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Object h : hashes) {
            Node n = h instanceof List<?> fields ? Node.fromFields(fields) : null;
            if (n != null && byId.putIfAbsent(n.id(), n) == null) nodes.add(n);
        }
        return nodes;
    }

    /** Nodes that take new rooms: live and not draining. */
    List<Node> candidates() {
        return nodes().stream().filter(n -> !n.draining()).toList();
    }
}
