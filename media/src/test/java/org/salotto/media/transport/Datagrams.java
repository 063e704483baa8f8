package org.salotto.media.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;

/**
 * How a test waits for what the server sends back: a receive that blocks until a datagram comes or the timeout
 * passes, whatever blocking mode the channel is in (no polling with sleeps). The timeout only bounds a failing test.
 */
public final class Datagrams {
    private Datagrams() { }

    /** The next datagram on {@code c} (flipped, ready to read), or null if none came within {@code timeout}. */
    public static ByteBuffer receive(DatagramChannel c, Duration timeout) throws IOException {
        return receive(c, ByteBuffer.allocate(65_536), timeout);
    }

    /** As {@link #receive(DatagramChannel, Duration)}, into {@code into} (cleared first). */
    public static ByteBuffer receive(DatagramChannel c, ByteBuffer into, Duration timeout) throws IOException {
        into.clear();
        boolean blocking = c.isBlocking();
        if (blocking) c.configureBlocking(false);
        try {
            if (c.receive(into) != null) return into.flip();
            long deadline = System.nanoTime() + timeout.toNanos();
            try (Selector selector = Selector.open()) {
                c.register(selector, SelectionKey.OP_READ);
                for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                    if (c.receive(into) != null) return into.flip();
                }
            }
            return null;
        } finally {
            if (blocking) c.configureBlocking(true);
        }
    }
}
