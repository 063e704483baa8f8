package org.salotto.media.dtls;

import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.tls.DatagramTransport;

/**
 * The {@link DatagramTransport} BouncyCastle's DTLS runs over: datagrams come in through a bounded queue filled by the
 * media loop thread, and go out through a {@link DtlsServerSession.DatagramSender} on the shared UDP socket.
 *
 * <p>One producer (the media loop, {@link #offer}), one consumer (the session's virtual thread, {@link #receive}).
 * The loop thread never waits: a full queue drops the datagram, and DTLS retransmission recovers it.
 *
 * <p>To stop the consumer we never interrupt its thread: an interrupt pending while the sender writes to a
 * {@code DatagramChannel} would close the shared socket. Instead a wake-up marker is queued and {@link #receive}
 * throws {@link Stopped}, which BouncyCastle passes through untouched because it is an {@link InterruptedIOException}.
 *
 * <p>Queued datagrams live in buffers the consumer hands back once it has read them (up to {@link #SPARE_BUFFERS}),
 * so that a stream of datagrams (a peer's alerts, or forged records that pass the framing check) allocates nothing once
 * a few buffers exist; a buffer holds its datagram's length in its first two bytes. The session drops its spares when
 * the handshake ends ({@link #releaseSpares}), so a quiet connected session keeps none (heap per listener).
 */
final class QueuedDatagramTransport implements DatagramTransport {
    /** Datagrams waiting for the handshake thread; a full DTLS flight from a browser is well under this. */
    static final int QUEUE_CAPACITY = 64;
    /** Largest datagram accepted: an Ethernet MTU. Browsers keep their DTLS datagrams under ~1200 bytes. */
    static final int RECEIVE_LIMIT = 1500;
    /**
     * Largest datagram sent. BouncyCastle fragments handshake messages to fit, so every datagram of our flights stays
     * under this, leaving room for IPv6, UDP and TURN headers within a 1280-byte minimum IPv6 MTU path.
     */
    static final int SEND_LIMIT = 1200;

    /** Buffers kept for reuse: a stream of datagrams read as they come needs one or two. */
    static final int SPARE_BUFFERS = 4;

    private static final byte[] WAKE_UP = new byte[0];

    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY + 1); // +1: wake-up
    /** Buffers read by the consumer, for the producer to fill again; at most as many as were ever queued at once. */
    private final ArrayBlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(SPARE_BUFFERS);
    private final DtlsServerSession.DatagramSender sender;
    private final AtomicLong sendFailures = new AtomicLong();
    private volatile boolean stopRequested;
    private volatile boolean closed;

    QueuedDatagramTransport(DtlsServerSession.DatagramSender sender) {
        this.sender = sender;
    }

    /** Copies the datagram into the queue; false when it is full, closed, stopping, or the datagram is too large. */
    boolean offer(byte[] buf, int off, int len) {
        if (stopRequested || closed || len <= 0 || len > RECEIVE_LIMIT || queue.remainingCapacity() <= 1) {
            return false;
        }
        byte[] copy = spare.poll();
        if (copy == null) copy = new byte[2 + RECEIVE_LIMIT];
        copy[0] = (byte) (len >> 8);
        copy[1] = (byte) len;
        System.arraycopy(buf, off, copy, 2, len);
        return queue.offer(copy);
    }

    /** Makes the consumer's current or next {@link #receive} throw {@link Stopped}; sending still works. */
    void requestStop() {
        stopRequested = true;
        queue.offer(WAKE_UP); // if the queue is full the consumer sees the flag on its next receive
    }

    /** Lets the buffers kept for reuse go; the next datagrams allocate again. Consumer thread. */
    void releaseSpares() {
        spare.clear();
    }

    boolean isClosed() {
        return closed;
    }

    long sendFailures() {
        return sendFailures.get();
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    /**
     * Waits up to {@code waitMillis} (0: without limit, as BouncyCastle's UDP transport reads it) for a datagram.
     *
     * @return the datagram's length, or -1 when none came in time or it does not fit in {@code len}
     * @throws Stopped when the session is stopping or this transport was closed
     */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws InterruptedIOException {
        if (stopRequested || closed) {
            throw new Stopped();
        }
        byte[] datagram;
        try {
            datagram = waitMillis == 0 ? queue.take() : queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
        if (datagram == null) {
            return -1;
        }
        if (datagram == WAKE_UP || stopRequested || closed) {
            throw new Stopped();
        }
        int length = (datagram[0] & 0xFF) << 8 | datagram[1] & 0xFF;
        if (length > len) {
            length = -1; // cannot happen: offer() caps at RECEIVE_LIMIT, and BouncyCastle reads with that limit
        } else {
            System.arraycopy(datagram, 2, buf, off, length);
        }
        spare.offer(datagram);
        return length;
    }

    /**
     * Hands the datagram to the sender. A send that fails is counted and treated as lost on the wire, since DTLS
     * retransmits its flights; the sender is expected not to throw, but a broken one must not kill the handshake.
     */
    @Override
    public void send(byte[] buf, int off, int len) {
        if (closed) {
            return;
        }
        try {
            sender.send(buf, off, len);
        } catch (RuntimeException e) {
            sendFailures.incrementAndGet();
        }
    }

    /** Called by BouncyCastle when the connection ends (after it sent its close_notify or fatal alert). */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        queue.offer(WAKE_UP);
    }

    /** Thrown from {@link #receive} to unwind BouncyCastle when the session stops; not a failure. */
    static final class Stopped extends InterruptedIOException {
        Stopped() {
            super("DTLS session stopped");
        }
    }
}
