package org.salotto.media.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ICE-TCP port (RFC 6544): a listening TCP socket whose connections carry, framed as RFC 4571 frames them, the
 * same STUN, DTLS and SRTP packets as the UDP port's datagrams, for browsers whose UDP does not get through.
 *
 * <p>One platform thread, {@code media-tcp}, accepts and reads the connections (a non-blocking {@link Selector}):
 * each connection's bytes go through its {@link FrameReader}, and each whole frame is copied into a slot of a ring
 * that the media loop empties on its pass, as it reads the UDP socket: the loop then runs the packet through the same
 * demultiplexer as a datagram ({@link MediaLoop#onDatagram}), with the connection's own address as the source.
 * That address is an unresolved {@link InetSocketAddress} made for the connection ({@code tcp-N-IP:port}): equal to
 * no UDP source and no other connection, so ICE binds it to a transport like any address, and what the transport
 * sends to it comes back here ({@link #queue}), framed into the connection's output buffer, written by the loop
 * when its pass ends. The ring's slots, the readers and the output buffers are allocated once; a packet costs no
 * allocation and no lock on either thread (the ring has one writer and one reader, each moving its own index).
 *
 * <p>At the edge: a frame of length 0 or over {@link MediaLoop#MAX_DATAGRAM} closes its connection
 * ({@link DropReason#TCP_BAD_FRAME}); more than {@link TcpSettings#maxPerAddress()} connections from one IP address,
 * or {@link TcpSettings#maxConnections()} in all, are refused ({@link DropReason#TCP_REFUSED}); a connection that has
 * not passed an ICE check within {@link TcpSettings#checkTimeout()}, or that has been silent for the loop's consent
 * timeout, is closed (counted, {@link MediaCounters#tcpConnectionsTimedOut}, not logged: a browser whose UDP works may
 * leave an unused TCP connection behind). A closed connection is an address gone: the loop unbinds it from
 * its transport, which goes on on another address it holds, or is closed by ICE consent like any silent transport.
 */
final class TcpPort implements AutoCloseable {
    static final int RING_SLOTS = 1024;
    /** What one connection's output buffer holds: about 200 ms of a 2.5 Mbit/s video stream. */
    static final int OUTPUT_BUFFER = 64 * 1024;
    static final long SWEEP_NANOS = 100_000_000L;
    private static final Logger log = LoggerFactory.getLogger(TcpPort.class);

    private final MediaLoop loop;
    private final MediaCounters counters;
    private final TcpSettings settings;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final SelectionKey serverKey;
    /** Accepting stopped until the next sweep: accept failed (out of file descriptors), and would fail at once again. */
    private boolean acceptPaused;
    private final InetSocketAddress localAddress;
    private final Thread thread;
    private volatile boolean running = true;

    // ---- the ring: written by media-tcp, read by the loop ----
    private final byte[][] slots = new byte[RING_SLOTS][MediaLoop.BUFFER_SIZE];
    private final int[] slotLength = new int[RING_SLOTS];
    private final Connection[] slotConnection = new Connection[RING_SLOTS];
    /** Slots published by media-tcp, and slots the loop has finished with (both only grow). */
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    /** media-tcp's own copies: what it has published, and the last consumed value it read. */
    private long writeIndex;
    private long consumedSeen;

    /** Connections media-tcp has closed, for the loop to forget (a node per close, never per packet). */
    private final ConcurrentLinkedQueue<Connection> closed = new ConcurrentLinkedQueue<>();
    /** Connections the loop wants closed (a write failed), for media-tcp. */
    private final ConcurrentLinkedQueue<Connection> closeRequests = new ConcurrentLinkedQueue<>();

    // ---- media-tcp only ----
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private final List<Connection> open = new ArrayList<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private long serial;
    /** Connections open now (media-tcp writes it; metrics read it). */
    private volatile int openCount;
    private long nextSweep;

    // ---- loop only ----
    private final Map<InetSocketAddress, Connection> byAddress = new IdentityHashMap<>();
    private final List<Connection> pendingOutput = new ArrayList<>();

    /** One accepted connection. */
    static final class Connection implements FrameReader.Sink {
        final TcpPort port;
        final SocketChannel channel;
        /** What the loop and the transports know this connection by: unique, never a UDP source. */
        final InetSocketAddress address;
        /** The peer's real address (for XOR-MAPPED-ADDRESS and the per-address limit). */
        final InetSocketAddress remote;
        final FrameReader reader = new FrameReader(MediaLoop.MAX_DATAGRAM);
        final long acceptedNanos;
        /** media-tcp: when a frame last came. */
        long lastFrameNanos;
        boolean closedHere;
        /** Set by the loop once an ICE check from this connection passed; read by media-tcp's sweep. */
        volatile boolean checked;
        // loop only
        boolean knownToLoop;
        boolean goneForLoop;
        boolean pending;
        ByteBuffer output;

        Connection(TcpPort port, SocketChannel channel, InetSocketAddress address, InetSocketAddress remote, long now) {
            this.port = port;
            this.channel = channel;
            this.address = address;
            this.remote = remote;
            this.acceptedNanos = now;
            this.lastFrameNanos = now;
        }

        @Override
        public void frame(byte[] buf, int off, int len) {
            port.publish(this, buf, off, len);
        }
    }

    TcpPort(MediaLoop loop, TcpSettings settings) throws IOException {
        this.loop = loop;
        this.counters = loop.counters();
        this.settings = settings;
        this.server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(settings.bind(), 256);
            server.configureBlocking(false);
            this.selector = Selector.open();
            this.serverKey = server.register(selector, SelectionKey.OP_ACCEPT);
            this.localAddress = (InetSocketAddress) server.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().name("media-tcp").daemon(true).unstarted(this::run);
        thread.start();
    }

    InetSocketAddress localAddress() {
        return localAddress;
    }

    // ================= media-tcp =================

    private void run() {
        MediaLoop.raisePriority(null);
        while (running) {
            try {
                long before = writeIndex;
                selector.select(onKey, SWEEP_NANOS / 1_000_000); // no selected-key set, no iterator: nothing allocated
                for (Connection c; (c = closeRequests.poll()) != null; ) close(c, null);
                long now = loop.nanoTime();
                if (now - nextSweep >= 0) {
                    nextSweep = now + SWEEP_NANOS;
                    sweep(now);
                }
                if (writeIndex != before) loop.wakeup();
            } catch (IOException e) {
                if (running) log.error("media TCP port failed", e);
            } catch (RuntimeException | Error e) {
                log.error("media TCP thread caught an unexpected error", e);
            }
        }
        for (Connection c : new ArrayList<>(open)) close(c, null);
        try {
            selector.close();
            server.close();
        } catch (IOException e) {
            // closing
        }
    }

    private final java.util.function.Consumer<SelectionKey> onKey = this::onKey;

    private void onKey(SelectionKey key) {
        if (!key.isValid()) return;
        if (key.isAcceptable()) {
            try {
                accept();
            } catch (IOException e) {
                // Out of file descriptors, say: the socket stays ready and would fail again at once, so stop
                // listening for 100 ms instead of spinning (counted; logged at most once per 10 s).
                counters.drop(DropReason.TCP_REFUSED, "accept failed: " + e.getMessage());
                serverKey.interestOps(0);
                acceptPaused = true;
            }
        } else if (key.isReadable()) {
            read((Connection) key.attachment());
        }
    }

    private void accept() throws IOException {
        for (SocketChannel ch; (ch = server.accept()) != null; ) {
            InetSocketAddress remote;
            try {
                remote = (InetSocketAddress) ch.getRemoteAddress();
            } catch (IOException e) {
                ch.close();
                continue;
            }
            InetAddress ip = remote.getAddress();
            int fromThere = perAddress.getOrDefault(ip, 0);
            if (fromThere >= settings.maxPerAddress() || open.size() >= settings.maxConnections()) {
                counters.drop(DropReason.TCP_REFUSED, remote);
                ch.close();
                continue;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                InetSocketAddress address = InetSocketAddress.createUnresolved(
                        "tcp-" + (++serial) + "-" + ip.getHostAddress(), remote.getPort());
                Connection c = new Connection(this, ch, address, remote, loop.nanoTime());
                ch.register(selector, SelectionKey.OP_READ, c);
                open.add(c);
                openCount = open.size();
                perAddress.merge(ip, 1, Integer::sum);
                counters.tcpConnectionAccepted();
            } catch (IOException e) {
                ch.close();
            }
        }
    }

    private void read(Connection c) {
        ByteBuffer in = readBuffer;
        int n;
        try {
            n = c.channel.read(in.clear());
        } catch (IOException e) {
            close(c, null);
            return;
        }
        if (n < 0) {
            close(c, null); // the peer closed its side
            return;
        }
        if (n == 0) return;
        c.lastFrameNanos = loop.nanoTime();
        if (!c.reader.feed(in.array(), 0, n, c)) close(c, DropReason.TCP_BAD_FRAME);
    }

    /** Copies a frame into the ring for the loop; a full ring drops it (counted), as a full UDP socket buffer would. */
    private void publish(Connection c, byte[] buf, int off, int len) {
        if (writeIndex - consumedSeen >= RING_SLOTS) {
            consumedSeen = consumed.get();
            if (writeIndex - consumedSeen >= RING_SLOTS) {
                counters.drop(DropReason.TCP_QUEUE_FULL, c.remote);
                return;
            }
        }
        int i = (int) (writeIndex & (RING_SLOTS - 1));
        System.arraycopy(buf, off, slots[i], 0, len);
        slotLength[i] = len;
        slotConnection[i] = c;
        published.setRelease(++writeIndex);
    }

    private void sweep(long now) {
        if (acceptPaused && serverKey.isValid()) {
            serverKey.interestOps(SelectionKey.OP_ACCEPT);
            acceptPaused = false;
        }
        long check = settings.checkTimeout().toNanos();
        long silent = loop.consentTimeoutNanos();
        for (int i = open.size() - 1; i >= 0; i--) {
            if (i >= open.size()) continue;
            Connection c = open.get(i);
            if ((!c.checked && now - c.acceptedNanos > check) || now - c.lastFrameNanos > silent) {
                counters.tcpConnectionTimedOut();
                close(c, null);
            }
        }
    }

    /** Closes a connection (once) and tells the loop; {@code reason} is counted when there is one. */
    private void close(Connection c, DropReason reason) {
        if (c.closedHere) return;
        c.closedHere = true;
        if (reason != null) counters.drop(reason, c.remote);
        try {
            c.channel.close(); // cancels its key
        } catch (IOException e) {
            // closing
        }
        open.remove(c);
        openCount = open.size();
        counters.tcpConnectionClosed();
        perAddress.computeIfPresent(c.remote.getAddress(), (k, v) -> v == 1 ? null : v - 1);
        closed.add(c);
        loop.wakeup();
    }

    // ================= the loop =================

    /** Runs the frames the connections have brought through the demultiplexer, then forgets closed connections. */
    void drain() {
        long end = published.getAcquire();
        long at = consumed.get();
        if (end != at) {
            byte[][] ring = slots;
            for (; at != end; at++) {
                int i = (int) (at & (RING_SLOTS - 1));
                Connection c = slotConnection[i];
                slotConnection[i] = null;
                try {
                    if (c.goneForLoop) continue; // came before its close was seen: nothing to route it to
                    if (!c.knownToLoop) {
                        c.knownToLoop = true;
                        byAddress.put(c.address, c);
                    }
                    int len = slotLength[i];
                    counters.tcpFramesIn++;
                    counters.tcpBytesIn += len;
                    loop.onDatagram(ring[i], len, c.address);
                } finally {
                    consumed.setRelease(at + 1); // the slot is free again: media-tcp may refill it
                }
            }
        }
        if (closed.isEmpty()) return;
        for (Connection c; (c = closed.poll()) != null; ) {
            c.goneForLoop = true;
            byAddress.remove(c.address);
            if (c.pending) {
                c.pending = false;
                pendingOutput.remove(c);
            }
            loop.addressGone(c.address);
        }
    }

    /** Whether an address is one of this port's connections (made by it: unresolved). */
    static boolean isTcp(InetSocketAddress address) {
        return address.isUnresolved();
    }

    /** The peer's real address behind a connection's address, or null if the loop does not know it (now). */
    InetSocketAddress remoteOf(InetSocketAddress address) {
        Connection c = byAddress.get(address);
        return c == null ? null : c.remote;
    }

    /** An ICE check from this connection passed: the check timeout no longer applies. Loop thread. */
    void checked(InetSocketAddress address) {
        Connection c = byAddress.get(address);
        if (c != null && !c.checked) c.checked = true;
    }

    /**
     * Frames {@code buf[off, off+len)} into the connection's output buffer, written at {@link #flush}. A packet that
     * does not fit (the peer reads more slowly than media comes) is dropped whole, counted, so that the stream's
     * framing is never broken. Loop thread.
     */
    void queue(byte[] buf, int off, int len, InetSocketAddress to) {
        Connection c = byAddress.get(to);
        if (c == null || len > 65_535) {
            counters.drop(DropReason.SEND_FAILED, to);
            return;
        }
        ByteBuffer out = c.output;
        if (out == null) out = c.output = ByteBuffer.allocateDirect(OUTPUT_BUFFER); // once per connection
        if (out.remaining() < len + 2) {
            write(c);
            if (out.remaining() < len + 2) {
                counters.drop(DropReason.TCP_SEND_BUFFER_FULL, c.remote);
                return;
            }
        }
        out.put((byte) (len >>> 8)).put((byte) len).put(buf, off, len);
        counters.tcpFramesOut++;
        counters.tcpBytesOut += len;
        if (!c.pending) {
            c.pending = true;
            pendingOutput.add(c);
        }
    }

    /** Writes what the connections have waiting; what the socket does not take yet waits for the next pass. Loop. */
    void flush() {
        for (int i = pendingOutput.size() - 1; i >= 0; i--) {
            Connection c = pendingOutput.get(i);
            write(c);
            if (c.output.position() == 0) {
                c.pending = false;
                Connection last = pendingOutput.removeLast();
                if (last != c) pendingOutput.set(i, last);
            }
        }
    }

    private void write(Connection c) {
        ByteBuffer out = c.output;
        if (out.position() == 0 || c.goneForLoop) return;
        out.flip();
        try {
            c.channel.write(out);
        } catch (IOException e) {
            out.clear();
            closeRequests.add(c); // media-tcp closes it and tells the loop
            selector.wakeup();
            return;
        }
        out.compact();
    }

    /** Whether a flush left output waiting (tests). Loop thread. */
    boolean hasPendingOutput() {
        return !pendingOutput.isEmpty();
    }

    /** Open connections, as media-tcp counts them (for metrics; racy). */
    int openConnections() {
        return openCount;
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
