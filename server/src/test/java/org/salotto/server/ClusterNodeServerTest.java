package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.salotto.cluster.ClusterConfig;
import org.salotto.cluster.ClusterNode;
import org.salotto.cluster.Load;
import org.salotto.cluster.Node;
import org.salotto.cluster.RenewalWatch;

/**
 * A server with Redis (127.0.0.1:6379, keys under a prefix of this test) and PostgreSQL is a node of a cluster: another
 * node sees it registered with its addresses, marked draining when it drains, and gone when it stops. Without Redis
 * the server makes no cluster at all.
 */
class ClusterNodeServerTest {
    static final String REDIS = "redis://127.0.0.1:6379";
    static final Duration LEASE = Duration.ofMillis(900);

    @Test
    void aServerWithRedisAndPostgresRegistersDrainsAndLeaves() throws Exception {
        String prefix = "salotto-test:" + ProcessHandle.current().pid() + ":" + System.nanoTime() + ":";
        ClusterConfig cluster = ClusterConfig.on(REDIS).withKeyPrefix(prefix).withNodeLease(LEASE);
        try (ServerFixture f = ServerFixture.postgres(c -> c.withCluster(cluster));
             ClusterNode other = ClusterNode.start(cluster, "http://other.test", "other.test:50000", () -> Load.IDLE)) {
            ClusterNode node = f.server.cluster().orElseThrow();
            RenewalWatch renewals = new RenewalWatch();
            other.addListener(renewals);
            Duration within = LEASE.multipliedBy(2).plusSeconds(2);
            renewals.awaitUntil("the server registered", within, () -> find(other.nodes(), node.id()).isPresent());
            Node seen = find(other.nodes(), node.id()).orElseThrow();
            assertEquals(f.server.baseUrl(), seen.httpUrl());
            assertEquals("127.0.0.1:" + f.server.mediaPort(), seen.mediaAddress());
            assertFalse(seen.draining());

            assertEquals(2, other.nodes().size(), "the server and the other node");

            f.server.drain();
            renewals.awaitUntil("the server marked draining", within,
                    () -> find(other.nodes(), node.id()).filter(Node::draining).isPresent());
            // Only the other node takes new rooms now.
            for (int i = 0; i < 10; i++) assertEquals(other.id(), other.placement().place("r" + i).orElseThrow().id());

            f.server.close();
            f.server = null;
            assertTrue(find(other.nodes(), node.id()).isEmpty(), "a server that stops leaves the cluster at once");
        } finally {
            deleteKeys(prefix);
        }
    }

    @Test
    void withoutRedisTheServerIsNoNode() throws Exception {
        try (ServerFixture f = ServerFixture.postgres()) {
            assertTrue(f.server.cluster().isEmpty());
        }
    }

    private static Optional<Node> find(List<Node> nodes, String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    static void deleteKeys(String prefix) {
        RedisClient client = RedisClient.create(REDIS);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                var page = c.sync().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) c.sync().del(page.getKeys().toArray(String[]::new));
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }
}
