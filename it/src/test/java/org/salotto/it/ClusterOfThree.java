package org.salotto.it;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.salotto.cluster.ClusterConfig;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;

/**
 * Three Salotto nodes in this JVM on loopback, one cluster, for browser tests: the real Redis (keys under a prefix of
 * their own) and the real PostgreSQL (a schema of their own), both removed when closed (as the load generator's
 * {@code ThreeNodes}).
 */
final class ClusterOfThree implements AutoCloseable {
    static final String REDIS = "redis://127.0.0.1:6379";
    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    /** A short node lease (renewed every 300 ms), so that a node's loss shows within a second. */
    static final Duration LEASE = Duration.ofMillis(900);

    final List<SalottoServer> nodes = new ArrayList<>();
    private final Set<SalottoServer> killed = new HashSet<>();
    private final String schema;
    private final String prefix;

    ClusterOfThree(String name) throws Exception {
        schema = "salotto_" + name + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
        prefix = "salotto-" + name + "-test:" + System.nanoTime() + ":";
        sql("CREATE SCHEMA " + schema);
        ServerConfig config = ServerConfig.forTests()
                .withDatabase(POSTGRES + "?currentSchema=" + schema, "postgres", "")
                .withCluster(ClusterConfig.on(REDIS).withKeyPrefix(prefix).withNodeLease(LEASE));
        try {
            for (int i = 0; i < 3; i++) nodes.add(SalottoServer.start(config.withPorts(0, 0)));
            // What a node tells pages of the cluster (joined's nodes, the origins it allows) is from its last lease
            // round trip: each has seen the three before a page comes.
            for (SalottoServer n : nodes) {
                var cluster = n.cluster().orElseThrow();
                var watch = new org.salotto.cluster.RenewalWatch();
                cluster.addListener(watch);
                watch.awaitUntil("node " + cluster.id() + " sees the three", LEASE.multipliedBy(5),
                        () -> cluster.lastSeen().size() >= 3);
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Places the room and has every node ask for it, so that its owner adopts it (and renews its lease); the owner. */
    SalottoServer owner(String roomId) {
        String ownerId = nodes.getFirst().cluster().orElseThrow().placement().place(roomId).orElseThrow().id();
        for (SalottoServer n : nodes) n.cluster().orElseThrow().placement().place(roomId);
        return nodes.stream().filter(n -> n.cluster().orElseThrow().id().equals(ownerId)).findFirst().orElseThrow();
    }

    /** The nodes other than {@code owner}. */
    List<SalottoServer> edges(SalottoServer owner) {
        return nodes.stream().filter(n -> n != owner).toList();
    }

    /** Stops a node as {@code kill -9} would: nothing deregistered, its lease lapses by itself. */
    void kill(SalottoServer node) {
        killed.add(node);
        node.kill();
    }

    @Override
    public void close() throws Exception {
        try {
            for (SalottoServer n : nodes) if (!killed.contains(n)) n.close();
        } finally {
            deleteKeys();
            sql("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private void deleteKeys() {
        RedisClient client = RedisClient.create(REDIS);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) c.sync().del(page.getKeys().toArray(String[]::new));
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
