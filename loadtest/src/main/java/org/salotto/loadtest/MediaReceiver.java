package org.salotto.loadtest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that read every simulated connection's socket: each owns a selector and a share of the connections
 * (round robin), and hands each datagram to its {@link ClientConnection} with the arrival time. One receive buffer
 * per thread; nothing is allocated per packet.
 */
final class MediaReceiver implements AutoCloseable {
    private final Worker[] workers;
    private final AtomicInteger next = new AtomicInteger();

    MediaReceiver(int threads, Metrics metrics) throws IOException {
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(Selector.open(), metrics);
            Thread.ofPlatform().name("loadtest-recv-" + i).daemon(true).start(workers[i]);
        }
    }

    /** From now on the connection's datagrams are read on one of the receiver threads. */
    void register(ClientConnection connection) {
        Worker w = workers[Math.floorMod(next.getAndIncrement(), workers.length)];
        w.pending.add(connection);
        w.selector.wakeup();
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.running = false;
            w.selector.wakeup();
        }
    }

    private static final class Worker implements Runnable {
        final Selector selector;
        final Queue<ClientConnection> pending = new ConcurrentLinkedQueue<>();
        volatile boolean running = true;
        private final byte[] array = new byte[2048];
        private final ByteBuffer buffer = ByteBuffer.wrap(array);

        private final Metrics metrics;

        Worker(Selector selector, Metrics metrics) {
            this.selector = selector;
            this.metrics = metrics;
        }

        @Override
        public void run() {
            try (selector) {
                while (running) {
                    // The action form of select: no selected-key set, so no HashSet node and no iterator per
                    // wake-up.
                    selector.select(this::onReady, 100);
                    ClientConnection c;
                    while ((c = pending.poll()) != null) {
                        try {
                            c.channel().register(selector, SelectionKey.OP_READ, c);
                        } catch (ClosedChannelException ignored) {
                            // closed before it got here
                        }
                    }
                }
            } catch (IOException e) {
                System.err.println("loadtest: receiver stopped: " + e);
            }
        }

        /**
         * One datagram per ready socket and wake-up: the selector is level-triggered, so a socket with more waiting
         * is ready again at the next select. Draining until the socket is empty would cost one more read system call,
         * the empty one, per socket and wake-up: with a thousand listeners each socket rarely holds more than one
         * datagram, so that was nearly one wasted read per packet.
         */
        private void onReady(SelectionKey key) {
            if (!key.isValid()) return;
            buffer.clear();
            int n;
            try {
                n = ((DatagramChannel) key.channel()).read(buffer);
            } catch (IOException e) {
                return; // e.g. ICMP port unreachable when the server is gone
            }
            if (n <= 0) return;
            metrics.datagramsFromServer.increment();
            ((ClientConnection) key.attachment()).onDatagram(array, n, System.nanoTime());
        }
    }
}
