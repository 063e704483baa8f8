package org.salotto.cluster;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The configuration's {@code cluster} section: where Redis is, how long a node's lease lasts, the prefix of every key
 * (so that several clusters, or tests, share one Redis), and the HTTP address other nodes and clients reach this node
 * at. An empty {@code redisUrl} is the embedded default: one process, no Redis.
 *
 * @param redisUrl  {@code redis://[:password@]host[:port][/db]} or {@code rediss://} for TLS; empty: no cluster
 * @param nodeLease a node (and the rooms it owns, and the people it counts) is gone this long after its last renewal;
 *                  it renews every third of it
 * @param keyPrefix put before every key, e.g. {@code salotto:}
 * @param publicUrl this node's HTTP base URL as others reach it ({@code https://node1.example}); empty: the server's own
 */
public record ClusterConfig(String redisUrl, Duration nodeLease, String keyPrefix, String publicUrl) {
    public static final Duration DEFAULT_NODE_LEASE = Duration.ofSeconds(5);
    /** Below this a renewal every third of the lease would be lost to one slow round trip or a GC pause. */
    public static final Duration MIN_NODE_LEASE = Duration.ofMillis(300);
    public static final String DEFAULT_KEY_PREFIX = "salotto:";
    private static final Pattern REDIS_URL = Pattern.compile("rediss?://[^\\s]+");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:{}-]{0,64}");
    private static final Pattern PUBLIC_URL = Pattern.compile("(https?://[^\\s/?#]+(/[^\\s?#]*)?)?");

    public ClusterConfig {
        if (redisUrl == null) redisUrl = "";
        if (publicUrl == null) publicUrl = "";
        if (keyPrefix == null) keyPrefix = DEFAULT_KEY_PREFIX;
        Problem problem = problem(redisUrl, nodeLease, keyPrefix, publicUrl);
        if (problem != null) throw new IllegalArgumentException(problem.key() + " " + problem.problem());
        if (publicUrl.endsWith("/")) publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
    }

    /** No cluster: one process, no Redis. */
    public static ClusterConfig none() {
        return new ClusterConfig("", DEFAULT_NODE_LEASE, DEFAULT_KEY_PREFIX, "");
    }

    /** A cluster on {@code redisUrl} with the default lease and prefix. */
    public static ClusterConfig on(String redisUrl) {
        return new ClusterConfig(redisUrl, DEFAULT_NODE_LEASE, DEFAULT_KEY_PREFIX, "");
    }

    public boolean enabled() {
        return !redisUrl.isBlank();
    }

    public ClusterConfig withNodeLease(Duration lease) {
        return new ClusterConfig(redisUrl, lease, keyPrefix, publicUrl);
    }

    public ClusterConfig withKeyPrefix(String prefix) {
        return new ClusterConfig(redisUrl, nodeLease, prefix, publicUrl);
    }

    /** How often the lease (and the owned rooms' leases) is renewed and the live nodes are listed. */
    public Duration renewEvery() {
        return nodeLease.dividedBy(3);
    }

    /** A value that cannot be used: its key (as in the configuration file) and what is wrong with it. */
    public record Problem(String key, String problem) {
    }

    /**
     * What is wrong with these values, or null. The configuration loader asks before it builds the record, so that its
     * message names the setting and where its value was written.
     */
    public static Problem problem(String redisUrl, Duration nodeLease, String keyPrefix, String publicUrl) {
        if (redisUrl != null && !redisUrl.isBlank() && !REDIS_URL.matcher(redisUrl).matches()) {
            return new Problem("cluster.redis-url",
                    "must be redis://HOST:6379 (rediss:// for TLS), or empty for one process without Redis");
        }
        if (nodeLease == null || nodeLease.compareTo(MIN_NODE_LEASE) < 0 || nodeLease.compareTo(Duration.ofMinutes(5)) > 0) {
            return new Problem("cluster.node-lease", "must be " + MIN_NODE_LEASE.toMillis() + "ms to 5m");
        }
        if (keyPrefix == null || !PREFIX.matcher(keyPrefix).matches()) {
            return new Problem("cluster.key-prefix", "must be at most 64 of A-Z, a-z, 0-9 and _ . : { } -");
        }
        if (publicUrl != null && !PUBLIC_URL.matcher(publicUrl).matches()) {
            return new Problem("cluster.public-url",
                    "must be an http:// or https:// base URL (no query), or empty for the server's own");
        }
        return null;
    }

    /** Never shows a password in the Redis URL: configs end up in logs and error messages. */
    @Override
    public String toString() {
        return "ClusterConfig[redisUrl=" + (enabled() ? withoutPassword(redisUrl) : "(none)") + ", nodeLease="
                + nodeLease.toMillis() + "ms, keyPrefix=" + keyPrefix + ", publicUrl=" + publicUrl + "]";
    }

    /** {@code redis://:secret@host} as {@code redis://***@host}. */
    public static String withoutPassword(String url) {
        return url.replaceFirst("^(rediss?://)[^@/]*@", "$1***@");
    }
}
