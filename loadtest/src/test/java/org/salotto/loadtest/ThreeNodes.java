package org.salotto.loadtest;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import org.salotto.cluster.ClusterConfig;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerProcess;
import org.salotto.server.ServerConfig;

/**
 * Three Salotto nodes on loopback, one cluster: the real Redis (keys under a prefix of their own) and the real
 * PostgreSQL (a schema of their own), both removed when closed. A room is placed on one of them, its owner; the two
 * others are its edges. All three in this JVM, or ({@link #withChildProcess}) the second one a {@code salotto serve}
 * JVM of its own ({@link ServerProcess}), so that it can be killed with SIGKILL, as {@code kill -9} does.
 */
final class ThreeNodes implements AutoCloseable {
    static final String REDIS = "redis://127.0.0.1:6379";
    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    /** A short node lease (renewed every 300 ms), so that a node's loss shows within a second. */
    static final Duration LEASE = Duration.ofMillis(900);

    final List<SalottoServer> nodes = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final Set<SalottoServer> killed = new HashSet<>();
    private final String schema;
    private final String prefix;
    private final ServerConfig config;
    /** The second node when it runs in a process of its own ({@link #withChildProcess}); null otherwise. */
    private ServerProcess child;
    private Path childDir;

    ThreeNodes(String name) throws Exception {
        this(name, false);
        try {
            nodes.add(SalottoServer.start(config.withPorts(0, 0)));
            nodes.add(SalottoServer.start(config.withPorts(0, 0)));
            awaitAcquainted(nodes, 3);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Waits until each of {@code servers} has seen {@code count} live nodes in a lease round trip of its own: what a
     * node tells its clients of the cluster (joined's nodes, the origins it allows) is from its last round trip.
     */
    static void awaitAcquainted(List<SalottoServer> servers, int count) throws InterruptedException {
        for (SalottoServer n : servers) {
            org.salotto.cluster.ClusterNode cluster = n.cluster().orElseThrow();
            org.salotto.cluster.RenewalWatch watch = new org.salotto.cluster.RenewalWatch();
            cluster.addListener(watch);
            watch.awaitUntil("node " + cluster.id() + " sees " + count + " nodes", LEASE.multipliedBy(5),
                    () -> cluster.lastSeen().size() >= count);
        }
    }

    private ThreeNodes(String name, boolean firstOnly) throws Exception {
        schema = "salotto_" + name + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
        prefix = "salotto-" + name + "-test:" + System.nanoTime() + ":";
        sql("CREATE SCHEMA " + schema);
        config = ServerConfig.forTests()
                .withDatabase(POSTGRES + "?currentSchema=" + schema, "postgres", "")
                .withCluster(ClusterConfig.on(REDIS).withKeyPrefix(prefix).withNodeLease(LEASE));
        try {
            nodes.add(SalottoServer.start(config));
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /**
     * The first node alone, in this JVM; {@link #startOthers} starts the second, a {@code salotto serve} process of its
     * own, and the third, in this JVM. A room placed before then is the first node's (the only one live).
     */
    static ThreeNodes withChildProcess(String name) throws Exception {
        return new ThreeNodes(name, true);
    }

    /** Starts the second node (its own process: see {@link #childUrl}) and the third (in this JVM, {@code nodes[1]}). */
    void startOthers() throws Exception {
        childDir = Files.createTempDirectory("salotto-node2-");
        Path file = childDir.resolve("salotto.conf");
        // The same cluster as the others; everyone comes from 127.0.0.1, so the per-address limits are off.
        Files.writeString(file, "http.port = 0\nmedia.port = 0\n"
                + "data-dir = \"" + childDir.resolve("data") + "\"\n"
                + "database { url = \"" + POSTGRES + "?currentSchema=" + schema + "\", user = postgres, password = \"\" }\n"
                + "cluster { redis-url = \"" + REDIS + "\", key-prefix = \"" + prefix + "\", node-lease = "
                + LEASE.toMillis() + "ms }\n"
                + "limits { guest-tokens-per-address = 0, join-tokens-per-address = 0, login-per-address = 0,"
                + " rooms-per-account = 0, connections-per-address = 0 }\n");
        child = ServerProcess.start(file);
        nodes.add(SalottoServer.start(config.withPorts(0, 0)));
        awaitAcquainted(nodes, 3);
    }

    /** The second node's base URL, when it is a process of its own. */
    String childUrl() {
        return child.url();
    }

    /** SIGKILL to the second node's process ({@code kill -9}), and waits until it is gone. */
    void killChild() throws InterruptedException {
        child.kill();
    }

    /** What the second node's process printed (for failure messages). */
    String childOutput() {
        return child == null ? "" : child.output();
    }

    /** The load generator's settings for a space on the first node: {@code speakers} publish, {@code listeners} listen. */
    LoadTestConfig space(String title, int speakers, int listeners) {
        return new LoadTestConfig(ServerKind.SALOTTO, URI.create(nodes.getFirst().baseUrl()), title, "space", speakers,
                true, 0, 3, listeners, Duration.ofSeconds(5), 20, 10, 1, 0, Path.of("target/loadtest-" + title), null,
                true, false);
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
            if (child != null) child.kill();
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
