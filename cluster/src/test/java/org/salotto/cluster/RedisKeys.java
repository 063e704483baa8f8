package org.salotto.cluster;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;

/**
 * The real Redis at 127.0.0.1:6379 for the cluster tests, each test under a key prefix of its own (deleted at the
 * end).
 */
final class RedisKeys implements AutoCloseable {
    static final String URL = "redis://127.0.0.1:6379";

    final String prefix = "salotto-test:" + ProcessHandle.current().pid() + ":" + System.nanoTime() + ":";
    private final RedisClient client = RedisClient.create(URL);
    private final StatefulRedisConnection<String, String> connection;

    RedisKeys() {
        try {
            connection = client.connect();
        } catch (RuntimeException e) {
            client.shutdown();
            throw new AssertionError("Redis at 127.0.0.1:6379 is needed for this test: " + e.getMessage(), e);
        }
    }

    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    ClusterConfig config(Duration lease) {
        return ClusterConfig.on(URL).withKeyPrefix(prefix).withNodeLease(lease);
    }

    @Override
    public void close() {
        try {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) redis().del(page.getKeys().toArray(String[]::new));
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            connection.close();
            client.shutdown();
        }
    }
}
