package org.salotto.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP proxy on loopback between browser pages and the server's media port, with the faults of a bad network applied
 * per direction, since the test machine's kernel has no netem: a loss rate (a seeded random, so a run drops the same
 * packets of the same sequence), a bandwidth limit (a token bucket whose queue is bounded in bytes: what does not fit
 * is dropped, as a router's tail drop), and "drop everything" (UDP blocked).
 *
 * <p>Each client address (a page's ICE socket) gets a socket of its own towards the server, so the server sees the
 * proxy's address as the page's, and answers there; what comes back is sent to that client from the listening port.
 * {@link #uplink()} is page to server, {@link #downlink()} server to page. Pages reach it by a candidate the test
 * rewrites in their remote description (it/browser/uplinkloss.mjs); nothing in the server is changed for it.
 */
final class UdpFaultProxy implements AutoCloseable {
    private static final int MAX_DATAGRAM = 2048;
    /** Room for a keyframe's burst, so that the proxy's own sockets drop nothing the faults did not decide. */
    private static final int SOCKET_BUFFER = 1 << 20;

    private final DatagramChannel listener;
    private final InetSocketAddress target;
    private final Map<SocketAddress, DatagramChannel> upstreams = new ConcurrentHashMap<>();
    private final Direction uplink;
    private final Direction downlink;
    private volatile boolean closed;

    /** A proxy towards {@code targetPort} on loopback; {@code seed} makes each direction's losses reproducible. */
    UdpFaultProxy(int targetPort, long seed) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = DatagramChannel.open()
                .setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER)
                .setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.uplink = new Direction("uplink", seed);
        this.downlink = new Direction("downlink", seed ^ 0x5DEECE66DL);
        Thread.ofPlatform().daemon().name("udp-proxy-listen").start(this::listen);
    }

    int port() {
        return ((InetSocketAddress) listenerAddress()).getPort();
    }

    private SocketAddress listenerAddress() {
        try {
            return listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the proxy's socket is closed", e);
        }
    }

    /** Page to server. */
    Direction uplink() {
        return uplink;
    }

    /** Server to page. */
    Direction downlink() {
        return downlink;
    }

    /** How many client addresses (page sockets) have come through so far. */
    int clients() {
        return upstreams.size();
    }

    private void listen() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (!closed) {
            SocketAddress client;
            try {
                buffer.clear();
                client = listener.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) System.err.println("udp proxy: receive: " + e);
                return;
            }
            buffer.flip();
            DatagramChannel upstream = upstreams.get(client);
            if (upstream == null) {
                upstream = open(client);
                if (upstream == null) continue;
            }
            uplink.offer(buffer, upstream, target);
        }
    }

    /** The socket towards the server for a new client, and its thread carrying the server's answers back. */
    private DatagramChannel open(SocketAddress client) {
        try {
            DatagramChannel upstream = DatagramChannel.open()
                    .setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER)
                    .setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            upstream.connect(target);
            upstreams.put(client, upstream);
            Thread.ofPlatform().daemon().name("udp-proxy-back").start(() -> back(upstream, client));
            return upstream;
        } catch (IOException e) {
            System.err.println("udp proxy: cannot open a socket towards the server: " + e);
            return null;
        }
    }

    private void back(DatagramChannel upstream, SocketAddress client) {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (!closed) {
            try {
                buffer.clear();
                upstream.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // ICMP port unreachable while the server is not there (yet, or any more): keep listening
                if (closed) return;
                continue;
            }
            buffer.flip();
            downlink.offer(buffer, listener, client);
        }
    }

    @Override
    public void close() {
        closed = true;
        uplink.close();
        downlink.close();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (DatagramChannel upstream : upstreams.values()) {
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /**
     * The faults of one direction and what they did. Settings may change at any time from the test's thread; the
     * packets of a direction are decided in the order they arrive, so a seed gives the same drops for the same traffic.
     */
    static final class Direction {
        private final String name;
        private final SplittableRandom random;
        private final DelayQueue<Delivery> queue = new DelayQueue<>();
        private final AtomicLong forwarded = new AtomicLong();
        private final AtomicLong lost = new AtomicLong();
        private final AtomicLong blockedDrops = new AtomicLong();
        private final AtomicLong queueDrops = new AtomicLong();
        private long settled; // packets forwarded or dropped, for awaitSettled; guarded by this
        private long queued; // packets queued by the limit so far; guarded by this
        private double lossRate;
        private boolean blocked;
        private long bitsPerSecond; // 0: no limit
        private long bucketBytes;
        private long queueBytes;
        /** Bucket tokens in bytes as of {@link #tokensAtNanos}; negative while packets wait in the queue. */
        private double tokens;
        private long tokensAtNanos;
        private Thread sender;
        private volatile boolean closed;

        private Direction(String name, long seed) {
            this.name = name;
            this.random = new SplittableRandom(seed);
        }

        /** Drops each packet with this probability (0 to 1). */
        synchronized Direction loss(double rate) {
            if (rate < 0 || rate > 1) throw new IllegalArgumentException("a loss rate is between 0 and 1: " + rate);
            this.lossRate = rate;
            return this;
        }

        /** Drops every packet while {@code blocked}. */
        synchronized Direction blocked(boolean blocked) {
            this.blocked = blocked;
            return this;
        }

        /**
         * Limits the rate to {@code bitsPerSecond}, with bursts of up to {@code bucketBytes} at once and up to {@code
         * queueBytes} waiting behind them; a packet that does not fit in the queue is dropped.
         */
        synchronized Direction limit(long bitsPerSecond, int bucketBytes, int queueBytes) {
            if (bitsPerSecond <= 0 || bucketBytes < MAX_DATAGRAM || queueBytes < 0) {
                throw new IllegalArgumentException("limit " + bitsPerSecond + " bit/s, bucket " + bucketBytes
                        + " bytes (at least " + MAX_DATAGRAM + "), queue " + queueBytes + " bytes");
            }
            this.bitsPerSecond = bitsPerSecond;
            this.bucketBytes = bucketBytes;
            this.queueBytes = queueBytes;
            this.tokens = bucketBytes;
            this.tokensAtNanos = System.nanoTime();
            if (sender == null) {
                sender = Thread.ofPlatform().daemon().name("udp-proxy-" + name).start(this::send);
            }
            return this;
        }

        /** No more rate limit; packets already queued still go out at their time, after newer ones. */
        synchronized Direction unlimited() {
            this.bitsPerSecond = 0;
            return this;
        }

        long forwarded() {
            return forwarded.get();
        }

        long lost() {
            return lost.get();
        }

        long blockedDrops() {
            return blockedDrops.get();
        }

        long queueDrops() {
            return queueDrops.get();
        }

        /** The figures so far, for a test's report. */
        Map<String, Long> figures() {
            return Map.of("forwarded", forwarded(), "lost", lost(), "blocked", blockedDrops(),
                    "queueDropped", queueDrops());
        }

        private void offer(ByteBuffer packet, DatagramChannel via, SocketAddress to) {
            long sendAtNanos = 0; // with a limit: when the bucket lets the packet go
            long order = 0; // and its place among packets due at the same time
            boolean limited;
            synchronized (this) {
                if (blocked) {
                    blockedDrops.incrementAndGet();
                    settle();
                    return;
                }
                if (lossRate > 0 && random.nextDouble() < lossRate) {
                    lost.incrementAndGet();
                    settle();
                    return;
                }
                limited = bitsPerSecond > 0;
                if (limited) {
                    long now = System.nanoTime();
                    double refilled = tokens + (now - tokensAtNanos) * (bitsPerSecond / 8e9);
                    double left = Math.min(bucketBytes, refilled) - packet.remaining();
                    if (-left > queueBytes) {
                        queueDrops.incrementAndGet();
                        settle();
                        return;
                    }
                    tokens = left;
                    tokensAtNanos = now;
                    sendAtNanos = left >= 0 ? now : now + (long) (-left * 8e9 / bitsPerSecond);
                    order = queued++;
                }
            }
            if (limited) {
                byte[] copy = new byte[packet.remaining()];
                packet.get(copy);
                queue.add(new Delivery(sendAtNanos, order, copy, via, to));
            } else {
                transmit(packet, via, to);
            }
        }

        private void transmit(ByteBuffer packet, DatagramChannel via, SocketAddress to) {
            try {
                if (via.isConnected()) via.write(packet);
                else via.send(packet, to);
                forwarded.incrementAndGet();
            } catch (IOException e) {
                // the server or the page is gone (closed socket, port unreachable): as a network, say nothing
            }
            synchronized (this) {
                settle();
            }
        }

        /** Under this object's lock: one more packet forwarded or dropped. */
        private void settle() {
            settled++;
            notifyAll();
        }

        /**
         * Waits until {@code packets} packets in all have come to this direction and been forwarded or dropped (a
         * forwarded one has left the proxy's socket); false if that takes longer than {@code timeout}.
         */
        synchronized boolean awaitSettled(long packets, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (settled < packets) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        private void send() {
            while (!closed) {
                Delivery next;
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                transmit(ByteBuffer.wrap(next.packet), next.via, next.to);
            }
        }

        private synchronized void close() {
            closed = true;
            if (sender != null) sender.interrupt();
        }
    }

    private record Delivery(long atNanos, long order, byte[] packet, DatagramChannel via, SocketAddress to)
            implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Delivery that = (Delivery) other;
            int byTime = Long.compare(atNanos, that.atNanos);
            return byTime != 0 ? byTime : Long.compare(order, that.order);
        }
    }
}
