package org.salotto.cluster;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script Redis runs atomically: what makes "place the room unless it has a live owner" or "admit unless the
 * room is full" one decision however many nodes ask at once. Sent by its SHA-1 ({@code EVALSHA}), and in full when
 * Redis does not know it yet (a restart, {@code SCRIPT FLUSH}).
 */
final class Script {
    private final String source;
    private final String sha;
    private final ScriptOutputType output;

    Script(ScriptOutputType output, String source) {
        this.output = output;
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Runs it now, waiting for the answer (bounded by the connection's command timeout). */
    <T> T run(RedisCommands<String, String> redis, String[] keys, String... args) {
        try {
            return redis.evalsha(sha, output, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(source, output, keys, args);
        }
    }

    /**
     * Queues it on a pipelining connection (the lease thread's); sent in full, since a pipeline cannot retry one
     * command: a few hundred bytes every third of the lease, and Redis caches the compiled script by its hash.
     */
    <T> RedisFuture<T> send(RedisAsyncCommands<String, String> redis, String[] keys, String... args) {
        return redis.eval(source, output, keys, args);
    }
}
