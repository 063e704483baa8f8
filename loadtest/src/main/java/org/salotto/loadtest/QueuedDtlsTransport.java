package org.salotto.loadtest;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.DatagramTransport;

/**
 * The datagram transport under one DTLS handshake. The connection's receiver thread owns the socket and hands DTLS
 * records here (a bounded queue; a full queue drops, and DTLS retransmits); the handshake thread sends directly on the
 * connection's link, which is safe beside the receiver's reads.
 */
final class QueuedDtlsTransport implements DatagramTransport {
    private static final int MTU = 1200;

    private final ClientLink link;
    private final BlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(32);

    QueuedDtlsTransport(ClientLink link) {
        this.link = link;
    }

    /** From the receiver thread: a DTLS record arrived. */
    void offer(byte[] buf, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        inbound.offer(copy);
    }

    @Override
    public int getReceiveLimit() {
        return MTU;
    }

    @Override
    public int getSendLimit() {
        return MTU;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        try {
            byte[] d = inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (d == null) return -1;
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (!link.send(buf, off, len)) throw new IOException("the socket refused a DTLS record");
    }

    @Override
    public void close() {
        inbound.clear();
    }
}
