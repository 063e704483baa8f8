package org.salotto.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages between nodes through Redis pub/sub, each node reading its own channel ({@code to:{id}}), and the keys of
 * the media link between two nodes. What goes here is control (which rooms an edge node has listeners for, which stage
 * tracks the owner relays, a room closing): a few messages per room per second at most; media never goes through
 * Redis. Pub/sub delivers at most once and drops what is sent while a node reconnects: every sender here repeats its
 * state on a period (see the audience relay in the server), so a lost message costs a period, not the state.
 *
 * <p>Link keys: one SRTP keying material per pair of nodes, made by whichever node asks first ({@code SET NX}) and
 * read by the other, kept as long as the pair's link is used. Redis already holds everything a node trusts (who owns a
 * room, where a node's media socket is); an eavesdropper on the network between the nodes sees only SRTP.
 */
public final class NodeMessages implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeMessages.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClusterNode node;
    private final StatefulRedisPubSubConnection<String, String> subscription;

    NodeMessages(ClusterNode node, RedisClient client, Consumer<String> receiver) {
        this.node = node;
        Objects.requireNonNull(receiver);
        this.subscription = client.connectPubSub();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                try {
                    receiver.accept(message);
                } catch (RuntimeException e) {
                    log.warn("cluster: a message from another node could not be handled", e);
                }
            }
        });
        subscription.sync().subscribe(node.keys().inbox(node.id()));
    }

    /** Sends a message to another node (or this one); nothing happens if it is not listening. Any thread. */
    public void send(String nodeId, String message) {
        node.redis().publish(node.keys().inbox(nodeId), message);
    }

    /**
     * The SRTP keying material ({@code length} bytes) of the media link between this node and {@code other}: made here
     * if the pair has none yet, else the one the other node made. Blocks on Redis: never the media loop.
     */
    public byte[] linkKeys(String other, int length) {
        String key = node.keys().link(node.id(), other);
        byte[] mine = new byte[length];
        RANDOM.nextBytes(mine);
        String fresh = HexFormat.of().formatHex(mine);
        node.redis().set(key, fresh, SetArgs.Builder.nx());
        String agreed = node.redis().get(key);
        byte[] keys = HexFormat.of().parseHex(agreed);
        if (keys.length != length) throw new IllegalStateException("the link keys in Redis have " + keys.length + " bytes");
        return keys;
    }

    /** Forgets the keys of the link with a node that is gone (its id never comes back: a restarted node is a new one). */
    public void forgetLink(String other) {
        node.redis().del(node.keys().link(node.id(), other));
    }

    @Override
    public void close() {
        subscription.close();
    }
}
