package org.salotto.loadtest;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.salotto.media.udp.DatagramBatch;
import org.salotto.media.udp.LinuxUdp;

/**
 * The threads that read every simulated connection's datagrams and hand each to its {@link ClientConnection} with the
 * arrival time. Two ways, chosen for the whole run:
 *
 * <ul>
 *   <li><b>shared sockets</b> (Linux, a loopback server, native access): each thread owns one socket, and its
 *       connections each have their own loopback address on it ({@link SharedLink}); the thread reads up to 64
 *       datagrams per {@code recvmmsg} and sorts them by destination address. Once woken it lingers
 *       ({@link SocketWorker#LINGER_NANOS}) between reads while datagrams keep coming, instead of going back to
 *       {@code poll} after each: the server then wakes it once per burst, not once per datagram, and its reads fill
 *       up. Arrival times are the kernel's (SO_TIMESTAMPNS), so the lingering does not show in the delays.</li>
 *   <li><b>a socket per connection</b> ({@link ChannelLink}): each thread owns a selector over its share of the
 *       connections' sockets, one read per datagram. For Janus (no loopback candidates) and other systems.</li>
 * </ul>
 *
 * One receive buffer per thread; nothing is allocated per packet.
 */
final class MediaReceiver implements AutoCloseable {
    /** 127.10.0.0/16: the shared sockets' connections get 127.10.0.1 onwards. */
    static final int SHARED_BASE = 0x7F0A0000;
    static final int MAX_SHARED = 65_534;

    private final Worker[] workers;
    private final boolean shared;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger hosts = new AtomicInteger();

    /** @param shared shared sockets (the caller checked {@link #sharedAvailable}) or a socket per connection */
    MediaReceiver(int threads, Metrics metrics, boolean shared) throws IOException {
        this.shared = shared;
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = shared ? new SocketWorker(metrics) : new SelectorWorker(Selector.open(), metrics);
            Thread.ofPlatform().name("loadtest-recv-" + i).daemon(true).start(workers[i]);
        }
    }

    /** Whether shared sockets can be used towards a server at {@code local}: Linux, native access, loopback. */
    static boolean sharedAvailable(InetAddress local) {
        return LinuxUdp.available() && local.isLoopbackAddress() && local.getAddress().length == 4;
    }

    /**
     * The generator's media threads (receivers, pacers) at the server's media priority (nice -10, where allowed), so
     * that on a shared machine the measuring side is not the one left behind.
     */
    static void raisePriority() {
        if (LinuxUdp.available()) LinuxUdp.setThreadNice(-10);
    }

    boolean shared() {
        return shared;
    }

    /** A link for a new connection: its own socket on {@code local}, or a loopback address on a shared socket. */
    ClientLink open(InetAddress local) throws IOException {
        if (!shared) return new ChannelLink(local);
        int host = hosts.incrementAndGet();
        if (host > MAX_SHARED) throw new IOException("more than " + MAX_SHARED + " connections on shared sockets");
        SocketWorker w = (SocketWorker) workers[Math.floorMod(next.getAndIncrement(), workers.length)];
        return new SharedLink(w, host, SHARED_BASE + host);
    }

    /** From now on the connection's datagrams are read on one of the receiver threads. */
    void register(ClientConnection connection) {
        switch (connection.link()) {
            case SharedLink l -> l.worker().connections.set(l.host(), connection);
            case ChannelLink l -> {
                SelectorWorker w = (SelectorWorker) workers[Math.floorMod(next.getAndIncrement(), workers.length)];
                w.pending.add(connection);
                w.selector.wakeup();
            }
            default -> throw new IllegalArgumentException("unknown link " + connection.link());
        }
    }

    @Override
    public void close() {
        for (Worker w : workers) w.stop();
    }

    private abstract static class Worker implements Runnable {
        final Metrics metrics;
        final byte[] array = new byte[2048];
        volatile boolean running = true;

        Worker(Metrics metrics) {
            this.metrics = metrics;
        }

        void stop() {
            running = false;
        }
    }

    /** One socket, many connections, {@code recvmmsg}. */
    static final class SocketWorker extends Worker {
        /** How long to wait for more after a read that did not fill the batch, before the next read. */
        static final long LINGER_NANOS = 200_000;
        /**
         * A read with fewer datagrams than this is not a burst: back to poll rather than linger, since a timed park
         * costs about as much as a wake-up and would be paid for one or two datagrams (a call's trickle).
         */
        static final int LINGER_MIN = 4;

        final int fd;
        final int port;
        final AtomicReferenceArray<ClientConnection> connections = new AtomicReferenceArray<>(MAX_SHARED + 2);
        private final Arena arena = Arena.ofShared();
        private final DatagramBatch batch;
        private final MemorySegment pollFd;
        private final MemorySegment errno;
        /** CLOCK_REALTIME minus System.nanoTime, to turn the kernel's arrival stamps into the generator's clock. */
        private final long epochMinusNano;

        SocketWorker(Metrics metrics) throws IOException {
            super(metrics);
            // The wildcard address: datagrams to any 127.10.x.y on this port land here, IP_PKTINFO tells which.
            fd = LinuxUdp.openSocket(LinuxUdp.key(0, 0), 4 << 20, 4 << 20, true, true);
            // ... but only from the loopback interface: the generator is not reachable from outside the machine.
            if (!LinuxUdp.bindToDevice(fd, "lo")) {
                LinuxUdp.close(fd);
                throw new IOException("cannot restrict the generator's socket to the loopback interface "
                        + "(SO_BINDTODEVICE; before Linux 5.7 it needs CAP_NET_RAW): use --socket-per-connection");
            }
            port = LinuxUdp.portOf(LinuxUdp.localAddress(fd));
            batch = new DatagramBatch(arena, 64, 2048, true, true);
            pollFd = arena.allocate(8, 8);
            pollFd.set(JAVA_INT, 0, fd);
            pollFd.set(JAVA_SHORT, 4, LinuxUdp.POLLIN);
            errno = LinuxUdp.allocateErrno(arena);
            epochMinusNano = epochMinusNano();
        }

        /** The smallest of a few samples: the one least disturbed between its two clock reads. */
        private static long epochMinusNano() {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long nano = System.nanoTime();
                java.time.Instant now = java.time.Instant.now();
                long epoch = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                best = Math.min(best, epoch - nano);
            }
            return best;
        }

        void forget(int host) {
            connections.set(host, null);
        }

        @Override
        public void run() {
            raisePriority();
            try {
                while (running) {
                    LinuxUdp.poll(errno, pollFd, 1, 100);
                    // Read while bursts come; an empty or thin read sends the thread back to poll.
                    int n;
                    while (running && (n = batch.receive(fd)) > 0) {
                        for (int i = 0; i < n; i++) deliver(i);
                        if (n < LINGER_MIN) break;
                        if (n < batch.slots()) LockSupport.parkNanos(LINGER_NANOS);
                    }
                }
            } finally {
                LinuxUdp.close(fd);
            }
        }

        private void deliver(int i) {
            int len = batch.length(i);
            if (len <= 0 || len > array.length) return;
            int host = batch.destination(i) - SHARED_BASE;
            if (host <= 0 || host > MAX_SHARED) return;
            ClientConnection c = connections.get(host);
            if (c == null) return;
            batch.copyOut(i, array, 0, len);
            metrics.datagramsFromServer.increment();
            long arrived = batch.arrivalEpochNanos(i);
            c.onDatagram(array, len, arrived > 0 ? arrived - epochMinusNano : System.nanoTime());
        }
    }

    /** A selector over connections' own sockets. */
    private static final class SelectorWorker extends Worker {
        final Selector selector;
        final Queue<ClientConnection> pending = new ConcurrentLinkedQueue<>();
        private final ByteBuffer buffer = ByteBuffer.wrap(array);

        SelectorWorker(Selector selector, Metrics metrics) {
            super(metrics);
            this.selector = selector;
        }

        @Override
        void stop() {
            super.stop();
            selector.wakeup();
        }

        @Override
        public void run() {
            raisePriority();
            try (selector) {
                while (running) {
                    // The action form of select: no selected-key set, so no HashSet node and no iterator per
                    // wake-up.
                    selector.select(this::onReady, 100);
                    ClientConnection c;
                    while ((c = pending.poll()) != null) {
                        try {
                            ((ChannelLink) c.link()).channel().register(selector, SelectionKey.OP_READ, c);
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
