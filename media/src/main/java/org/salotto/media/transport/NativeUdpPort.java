package org.salotto.media.transport;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.salotto.media.udp.DatagramBatch;
import org.salotto.media.udp.LinuxUdp;

/**
 * The port on Linux: {@code recvmmsg} reads up to {@link #RECEIVE_SLOTS} datagrams per system call, and what the loop
 * sends during one pass (the copies of a forwarded packet to every subscriber, reports, answers) goes out in
 * {@code sendmmsg} calls of up to {@link #SEND_SLOTS}, when the batch is full and before the loop waits. The loop
 * waits in {@code poll} on the socket and an {@code eventfd} that other threads write to wake it.
 *
 * <p>The {@code sendmmsg} calls are made by a second thread, {@code media-send}: the loop fills a batch and hands it
 * over (a ring of {@link #RING} batches; when all are in flight the loop waits for one). The kernel's share of a
 * datagram sent (half of its cost on a VM: the whole UDP and loopback path runs in the sender's system call) then runs
 * beside the loop's Java work instead of after it, so one loop can carry about twice the datagrams before it falls
 * behind. Order is kept: batches go out in the order they were filled.
 *
 * <p>Sources come back as cached {@link InetSocketAddress} objects ({@link SocketAddressTable}): no allocation per
 * datagram once the peers are known.
 */
final class NativeUdpPort implements UdpPort {
    static final int RECEIVE_SLOTS = 64;
    static final int SEND_SLOTS = 256;
    /** Send batches: one being filled by the loop, the others queued for or being sent by the sender thread. */
    static final int RING = 4;
    /** More than MAX_DATAGRAM, so that anything larger is seen (its real length comes back) and dropped. */
    static final int RECEIVE_SLOT_SIZE = 2048;

    private final MediaCounters counters;
    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final int wakeFd;
    private final InetSocketAddress localAddress;
    private final DatagramBatch in;
    private final DatagramBatch[] out = new DatagramBatch[RING];
    private final InetSocketAddress[][] outTo = new InetSocketAddress[RING][SEND_SLOTS];
    private final int[][] outLength = new int[RING][SEND_SLOTS];
    private final int[] outCount = new int[RING];
    /** Batches handed to the sender, and batches it has sent: the ring's positions (filled % RING). */
    private final AtomicLong handedOver = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Thread sender;
    private volatile boolean sending = true;
    /** The batch the loop fills: handedOver % RING (loop thread). */
    private int filling;
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
            for (int r = 0; r < RING; r++) out[r] = new DatagramBatch(arena, SEND_SLOTS, MediaLoop.BUFFER_SIZE, false);
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
        sender = Thread.ofPlatform().name("media-send").daemon(true).unstarted(this::sendBatches);
        sender.setPriority(Thread.MAX_PRIORITY);
        sender.start();
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
        if (len > MediaLoop.BUFFER_SIZE) {
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
        out[filling].put(i, buf, off, len, key, 0);
        outTo[filling][i] = to;
        outLength[filling][i] = len;
    }

    /** Hands the batch being filled to the sender thread, and takes the next free one (waiting if none is). */
    @Override
    public void flush() {
        if (queued == 0) return;
        outCount[filling] = queued;
        long handed = handedOver.incrementAndGet(); // publishes the batch's contents to the sender
        LockSupport.unpark(sender);
        queued = 0;
        filling = (int) (handed % RING);
        // The next batch is free once the sender is less than RING batches behind.
        while (handed - sent.get() >= RING && sending) {
            LockSupport.parkNanos(20_000);
        }
    }

    /** The sender thread: sends the handed-over batches in order, counting what went and what the socket refused. */
    private void sendBatches() {
        MediaLoop.raisePriority(null);
        long done = 0;
        while (sending || done < handedOver.get()) {
            if (done == handedOver.get()) {
                LockSupport.parkNanos(100_000_000); // flush() unparks; the timeout only bounds a lost wake-up
                continue;
            }
            int r = (int) (done % RING);
            DatagramBatch batch = out[r];
            int count = outCount[r];
            int from = 0;
            while (from < count) {
                int n = batch.send(fd, from, count - from);
                if (n > 0) {
                    long bytes = 0;
                    for (int k = from; k < from + n; k++) bytes += outLength[r][k];
                    counters.datagramsOut += n;
                    counters.bytesOut += bytes;
                    from += n;
                } else {
                    // Refused (full socket buffer, unreachable, ...): count it and go on with the rest.
                    counters.drop(DropReason.SEND_FAILED, outTo[r][from]);
                    from++;
                }
            }
            java.util.Arrays.fill(outTo[r], 0, count, null);
            sent.set(++done); // the loop may fill this batch again
        }
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
            counters.countSentElsewhere(len); // the sender thread owns the plain counters
        } else {
            counters.drop(DropReason.SEND_FAILED, to);
        }
    }

    /**
     * Closes the port; called by the loop thread once its loop has ended, so no read or poll is under way. Other
     * threads may still be waking the loop ({@link #wakeup}): from here on they return at once, and one already past
     * that check holds the arena for the length of a non-blocking write, so closing the arena waits for it. The file
     * descriptors close last: a late wake-up meets the closed arena, never a closed (or reused) descriptor.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        sending = false;
        LockSupport.unpark(sender);
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (true) {
            try {
                arena.close();
                break;
            } catch (IllegalStateException e) { // a wake-up's write in flight: it ends within microseconds
                Thread.onSpinWait();
            }
        }
        LinuxUdp.close(fd);
        LinuxUdp.close(wakeFd);
    }
}
