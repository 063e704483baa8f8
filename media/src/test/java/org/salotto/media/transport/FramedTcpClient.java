package org.salotto.media.transport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * A peer's end of an ICE-TCP connection, as a browser whose UDP is blocked has it: RFC 4571 frames both ways over one
 * TCP connection to the server's passive candidate. A reader thread sorts what comes by its first byte (RFC 7983) into
 * STUN, DTLS and SRTP queues; {@link #dtls()} is a BouncyCastle datagram transport over the same connection.
 */
final class FramedTcpClient implements AutoCloseable {
    final Socket socket;
    private final OutputStream out;
    final BlockingQueue<byte[]> stun = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> dtlsIn = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> srtp = new LinkedBlockingQueue<>();
    /** Counted down when the server closes the connection (end of stream or reset). */
    final CountDownLatch closedByServer = new CountDownLatch(1);
    private final Thread reader;
    /** When set, SRTP frames are only counted (a load test's receivers). */
    volatile boolean discardSrtp;
    final java.util.concurrent.atomic.AtomicLong srtpFrames = new java.util.concurrent.atomic.AtomicLong();

    FramedTcpClient(InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server, 5000);
        out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        reader = Thread.ofVirtual().name("tcp-client-reader").start(() -> {
            try {
                while (true) {
                    int length = in.readUnsignedShort();
                    byte[] frame = new byte[length];
                    in.readFully(frame);
                    int first = length == 0 ? -1 : frame[0] & 0xFF;
                    if (first >= 0 && first < 4) stun.add(frame);
                    else if (first >= 20 && first <= 63) dtlsIn.add(frame);
                    else if (first >= 128 && first <= 191) {
                        srtpFrames.incrementAndGet();
                        if (!discardSrtp) srtp.add(frame);
                    }
                }
            } catch (EOFException e) {
                closedByServer.countDown();
            } catch (IOException e) {
                if (!socket.isClosed()) closedByServer.countDown(); // reset by the server
            }
        });
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Sends one packet as one frame. */
    synchronized void send(byte[] packet, int off, int len) throws IOException {
        byte[] framed = new byte[len + 2];
        framed[0] = (byte) (len >>> 8);
        framed[1] = (byte) len;
        System.arraycopy(packet, off, framed, 2, len);
        out.write(framed);
        out.flush();
    }

    /** Sends raw bytes, framed or not (the tests of bad frames). */
    synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    boolean closedByServerWithin(long millis) throws InterruptedException {
        return closedByServer.await(millis, TimeUnit.MILLISECONDS);
    }

    DatagramTransport dtls() {
        return new DatagramTransport() {
            @Override
            public int getReceiveLimit() {
                return 1500;
            }

            @Override
            public int getSendLimit() {
                return 1400;
            }

            @Override
            public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
                try {
                    byte[] b = dtlsIn.poll(waitMillis, TimeUnit.MILLISECONDS);
                    if (b == null) return -1;
                    int n = Math.min(len, b.length);
                    System.arraycopy(b, 0, buf, off, n);
                    return n;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }

            @Override
            public void send(byte[] buf, int off, int len) throws IOException {
                FramedTcpClient.this.send(buf, off, len);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
