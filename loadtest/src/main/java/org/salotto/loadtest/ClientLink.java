package org.salotto.loadtest;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * How one simulated connection sends, and the address it announces. Its datagrams are read by a
 * {@link MediaReceiver} thread, which owns the receiving side: a socket per connection ({@link ChannelLink}) or one
 * socket shared by many connections, each on its own loopback address ({@link SharedLink}).
 */
interface ClientLink extends AutoCloseable {
    /** The address the server sees this connection at (our host candidate). */
    InetSocketAddress localAddress();

    /** The server's media address; sends go there from now on. */
    void connect(InetSocketAddress remote) throws IOException;

    /** Sends one datagram from any thread; false when the socket refused it. */
    boolean send(byte[] buf, int off, int len);

    @Override
    void close();
}
