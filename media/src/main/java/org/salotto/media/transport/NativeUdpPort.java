package org.salotto.media.transport;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.salotto.media.udp.DatagramBatch;
import org.salotto.media.udp.LinuxUdp;

/**
 * The port on Linux: {@code recvmmsg} reads up to {@link #RECEIVE_SLOTS} datagrams per system call, and what the loop
 * sends during one pass (the copies of a forwarded packet to every subscriber, reports, answers) goes out in
 * {@code sendmmsg} calls of up to {@link #SEND_SLOTS}, when the batch is full and before the loop waits. The loop
 * waits in {@code poll} on the socket and an {@code eventfd} that other threads write to wake it.
 *
 * <p>Sources come back as cached {@link InetSocketAddress} objects ({@link SocketAddressTable}): no allocation per
 * datagram once the peers are known.
 */
final class NativeUdpPort implements UdpPort {
    static final int RECEIVE_SLOTS = 64;
    static final int SEND_SLOTS = 256;
    /** More than MAX_DATAGRAM, so that anything larger is seen (its real length comes back) and dropped. */
    static final int RECEIVE_SLOT_SIZE = 2048;

    private final MediaCounters counters;
    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final int wakeFd;
    private final InetSocketAddress localAddress;
    private final DatagramBatch in;
    private final DatagramBatch out;
    private final InetSocketAddress[] outTo = new InetSocketAddress[SEND_SLOTS];
    private final int[] outLength = new int[SEND_SLOTS];
    private final SocketAddressTable addresses = new SocketAddressTable();
    private final MemorySegment pollFds;
    private final MemorySegment pollErrno;
    private final MemorySegment wakeScratch;
    private final MemorySegment one;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private int received;
    private int next;
    private int queued;
    private InetSocketAddress source;
    private volatile boolean closed;

    NativeUdpPort(InetSocketAddress bind, MediaCounters counters) throws IOException {
        this.counters = counters;
        int socket = -1;
        int event = -1;
        try {
            socket = LinuxUdp.openSocket(LinuxUdp.key(bind), 4 << 20, 4 << 20, false);
            event = LinuxUdp.eventFd();
            this.in = new DatagramBatch(arena, RECEIVE_SLOTS, RECEIVE_SLOT_SIZE, false);
            this.out = new DatagramBatch(arena, SEND_SLOTS, MediaLoop.BUFFER_SIZE, false);
            this.localAddress = LinuxUdp.socketAddress(LinuxUdp.localAddress(socket));
        } catch (IOException | RuntimeException e) {
            if (socket >= 0) LinuxUdp.close(socket);
            if (event >= 0) LinuxUdp.close(event);
            arena.close();
            throw e;
        }
        this.fd = socket;
        this.wakeFd = event;
        pollFds = arena.allocate(16, 8);
        pollFds.set(JAVA_INT, 0, fd);
        pollFds.set(JAVA_SHORT, 4, LinuxUdp.POLLIN);
        pollFds.set(JAVA_INT, 8, wakeFd);
        pollFds.set(JAVA_SHORT, 12, LinuxUdp.POLLIN);
        pollErrno = LinuxUdp.allocateErrno(arena);
        wakeScratch = arena.allocate(8, 8);
        one = arena.allocate(8, 8);
        one.set(JAVA_LONG, 0, 1L);
    }

    @Override
    public UdpIo kind() {
        return UdpIo.NATIVE;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void await(long timeoutMillis) {
        if (next < received) return; // datagrams already read and not handed out yet
        pollFds.set(JAVA_SHORT, 6, (short) 0);
        pollFds.set(JAVA_SHORT, 14, (short) 0);
        LinuxUdp.poll(pollErrno, pollFds, 2, (int) Math.clamp(timeoutMillis, 1, Integer.MAX_VALUE));
        if (pollFds.get(JAVA_SHORT, 14) != 0 || wakePending.get()) {
            // Clear the flag before draining: a wakeup after this point writes the eventfd again.
            wakePending.set(false);
            LinuxUdp.drain(wakeFd, wakeScratch);
        }
    }

    @Override
    public void wakeup() {
        if (closed || wakePending.getAndSet(true)) return;
        try {
            LinuxUdp.signal(wakeFd, one);
        } catch (IllegalStateException e) {
            // closed meanwhile: nobody waits any more
        }
    }

    @Override
    public int receive(byte[] buf) throws IOException {
        if (next == received) {
            next = 0;
            received = 0;
            int n = in.receive(fd);
            if (n < 0) throw new IOException("recvmmsg failed: errno " + -n);
            if (n == 0) return -1;
            received = n;
        }
        int i = next++;
        int len = in.length(i);
        in.copyOut(i, buf, 0, Math.min(len, buf.length));
        source = addresses.address(in.source(i));
        return len;
    }

    @Override
    public InetSocketAddress source() {
        return source;
    }

    @Override
    public void queue(byte[] buf, int off, int len, InetSocketAddress to) {
        if (len > out.slotSize()) {
            sendNow(buf, off, len, to);
            return;
        }
        long key;
        try {
            key = addresses.key(to);
        } catch (IllegalArgumentException e) { // an IPv6 peer on an IPv4 socket
            counters.drop(DropReason.SEND_FAILED, to);
            return;
        }
        if (queued == SEND_SLOTS) flush();
        int i = queued++;
        out.put(i, buf, off, len, key, 0);
        outTo[i] = to;
        outLength[i] = len;
    }

    @Override
    public void flush() {
        int from = 0;
        while (from < queued) {
            int n = out.send(fd, from, queued - from);
            if (n > 0) {
                for (int k = from; k < from + n; k++) {
                    counters.datagramsOut++;
                    counters.bytesOut += outLength[k];
                }
                from += n;
            } else {
                // Refused (full socket buffer, unreachable, ...): count it and go on with the rest.
                counters.drop(DropReason.SEND_FAILED, outTo[from]);
                from++;
            }
        }
        for (int k = 0; k < queued; k++) outTo[k] = null;
        queued = 0;
    }

    @Override
    public void sendNow(byte[] buf, int off, int len, InetSocketAddress to) {
        long key;
        try {
            key = LinuxUdp.key(to);
        } catch (IllegalArgumentException e) { // IPv6 peer on an IPv4 socket
            counters.drop(DropReason.SEND_FAILED, to);
            return;
        }
        if (!closed && LinuxUdp.sendOne(fd, buf, off, len, key, 0)) {
            counters.datagramsOut++;
            counters.bytesOut += len;
        } else {
            counters.drop(DropReason.SEND_FAILED, to);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        LinuxUdp.close(fd);
        LinuxUdp.close(wakeFd);
        arena.close();
    }
}
