package org.salotto.media.dtls;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;

/**
 * A {@link DtlsServerSession} and a {@link TestDtlsClient} joined by two in-memory queues, standing in for the UDP
 * socket and the media loop that would demultiplex into {@link DtlsServerSession#offer}.
 */
final class InMemoryLink implements AutoCloseable {
    final RecordingListener listener = new RecordingListener();
    final DtlsServerSession session;
    final ClientTransport clientTransport = new ClientTransport();
    final AtomicInteger largestServerDatagram = new AtomicInteger();
    final AtomicInteger serverDatagrams = new AtomicInteger();
    private Thread clientThread;

    InMemoryLink(DtlsIdentity serverIdentity, String clientFingerprintSha256, Duration handshakeTimeout) {
        this(serverIdentity, "sha-256", clientFingerprintSha256, handshakeTimeout);
    }

    InMemoryLink(DtlsIdentity serverIdentity, String fingerprintAlgorithm, String clientFingerprint,
                 Duration handshakeTimeout) {
        session = new DtlsServerSession(serverIdentity, fingerprintAlgorithm, clientFingerprint, this::serverSend,
                listener, handshakeTimeout);
    }

    /** If set, server datagrams it accepts are lost on the way to the client. */
    volatile Predicate<byte[]> loseServerDatagram;

    private void serverSend(byte[] buf, int off, int len) {
        serverDatagrams.incrementAndGet();
        Predicate<byte[]> lose = loseServerDatagram;
        if (lose != null && lose.test(Arrays.copyOfRange(buf, off, off + len))) {
            return;
        }
        largestServerDatagram.accumulateAndGet(len, Math::max);
        clientTransport.inbound.add(Arrays.copyOfRange(buf, off, off + len));
    }

    /** Runs the client's handshake on its own thread; the future completes with its transport or its failure. */
    CompletableFuture<DTLSTransport> connect(TestDtlsClient client) {
        CompletableFuture<DTLSTransport> result = new CompletableFuture<>();
        clientThread = Thread.ofVirtual().name("test-dtls-client").start(() -> {
            try {
                result.complete(new DTLSClientProtocol().connect(client, clientTransport));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Stops the server session and waits for both threads, failing if either lingers. */
    @Override
    public void close() throws InterruptedException {
        session.close();
        if (!session.awaitTermination(Duration.ofSeconds(5))) {
            throw new AssertionError("the session's thread is still running");
        }
        if (clientThread != null && !clientThread.join(Duration.ofSeconds(6))) {
            throw new AssertionError("the client's thread is still running");
        }
    }

    /** The client's side of the link: what the server sends queues here; what the client sends goes to offer(). */
    final class ClientTransport implements DatagramTransport {
        final BlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>();
        /** If set, called before each client datagram to offer something else to the server first. */
        volatile Supplier<byte[]> interleave;
        /** If set, sees a copy of each client datagram (the fuzz target's corpus is recorded with it). */
        volatile java.util.function.Consumer<byte[]> tap;

        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] datagram = inbound.poll(waitMillis == 0 ? 10_000 : waitMillis, TimeUnit.MILLISECONDS);
                if (datagram == null) {
                    return -1;
                }
                int n = Math.min(len, datagram.length);
                System.arraycopy(datagram, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            Supplier<byte[]> extra = interleave;
            if (extra != null) {
                byte[] junk = extra.get();
                session.offer(junk, 0, junk.length);
            }
            java.util.function.Consumer<byte[]> seen = tap;
            if (seen != null) {
                seen.accept(Arrays.copyOfRange(buf, off, off + len));
            }
            session.offer(buf, off, len);
        }

        @Override
        public void close() {}
    }
}
