package org.salotto.media.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The media loop's socket: {@link NativeUdpPort} (batched system calls) or {@link ChannelUdpPort} (the portable
 * fallback). Receiving, {@link #queue} and {@link #flush} are for the loop thread only; {@link #sendNow} and
 * {@link #wakeup} for any thread. The port counts what it sends and what it could not send.
 */
interface UdpPort extends AutoCloseable {
    /** "native" or "nio", for logs and tests. */
    UdpIo kind();

    InetSocketAddress localAddress();

    /** Waits until a datagram may be waiting, {@link #wakeup} was called, or the timeout passed. */
    void await(long timeoutMillis) throws IOException;

    /** Makes the current or next {@link #await} return at once. */
    void wakeup();

    /**
     * The next datagram waiting, copied into {@code buf} (at least {@link MediaLoop#BUFFER_SIZE} bytes): returns
     * its real length, which may be more than was copied (an oversized datagram, to be dropped), or -1 when none is
     * waiting. {@link #source()} is then its sender.
     */
    int receive(byte[] buf) throws IOException;

    /** The sender of the datagram {@link #receive} returned last; the same object for the same address. */
    InetSocketAddress source();

    /** Sends {@code buf[off, off+len)} to {@code to} at the next {@link #flush} (or now); the bytes are copied. */
    void queue(byte[] buf, int off, int len, InetSocketAddress to);

    /** Sends everything queued. */
    void flush();

    /** Sends one datagram now, from any thread. */
    void sendNow(byte[] buf, int off, int len, InetSocketAddress to);

    @Override
    void close();
}
