package org.salotto.media.transport;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The ICE-TCP port (RFC 6544 passive candidates, RFC 4571 framing): where it listens and what a connection may do.
 *
 * @param bind            address and port of the listening socket (port 0 for any free one)
 * @param checkTimeout    how long a connection may stay open without passing an ICE check; then it is closed
 * @param maxPerAddress   connections open at once from one IP address; more are refused (closed at once, counted)
 * @param maxConnections  connections open at once in all
 */
public record TcpSettings(InetSocketAddress bind, Duration checkTimeout, int maxPerAddress, int maxConnections) {
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_PER_ADDRESS = 16;
    public static final int DEFAULT_MAX_CONNECTIONS = 2048;

    public TcpSettings {
        if (bind == null) throw new IllegalArgumentException("bind is missing");
        if (checkTimeout == null || !checkTimeout.isPositive()) throw new IllegalArgumentException("checkTimeout must be positive");
        if (maxPerAddress < 1) throw new IllegalArgumentException("maxPerAddress must be at least 1");
        if (maxConnections < maxPerAddress) throw new IllegalArgumentException("maxConnections must be at least maxPerAddress");
    }

    /** On {@code bind} with the default limits. */
    public static TcpSettings on(InetSocketAddress bind) {
        return new TcpSettings(bind, DEFAULT_CHECK_TIMEOUT, DEFAULT_MAX_PER_ADDRESS, DEFAULT_MAX_CONNECTIONS);
    }
}
