package org.salotto.media.udp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A fixed array of datagram slots off the heap, laid out for {@code recvmmsg} and {@code sendmmsg}: per slot a
 * {@code struct mmsghdr}, one {@code iovec}, a {@code sockaddr_in}, optionally room for control messages (IP_PKTINFO,
 * and SO_TIMESTAMPNS on receive),
 * and {@code slotSize} bytes of data. Used by one thread at a time; nothing allocates after construction.
 *
 * <p>A batch is for receiving or for sending, not both: receiving leaves each slot's data length at the slot size,
 * sending sets it per datagram.
 */
public final class DatagramBatch {
    private final int slots;
    private final int slotSize;
    private final boolean pktinfo;
    private final boolean timestamps;
    /** Control bytes per slot: a pktinfo message, a timestamp message, or both. */
    private final long controlSpace;
    private final MemorySegment vec;
    private final MemorySegment iov;
    private final MemorySegment names;
    private final MemorySegment control;
    private final MemorySegment data;
    private final MemorySegment errno;
    /** vec from slot i on: sendmmsg takes the rest of a batch after a datagram the socket refused. */
    private final MemorySegment[] vecFrom;
    private int received;

    /**
     * @param pktinfo room for IP_PKTINFO per slot: the destination address of what is received, the source address
     *                of what is sent (the socket needs IP_PKTINFO on, see {@link LinuxUdp#openSocket})
     */
    public DatagramBatch(Arena arena, int slots, int slotSize, boolean pktinfo) {
        this(arena, slots, slotSize, pktinfo, false);
    }

    /**
     * @param timestamps room for SO_TIMESTAMPNS per slot: when each datagram reached the socket (the socket needs the
     *                   option on, see {@link LinuxUdp#openSocket}); receive only
     */
    public DatagramBatch(Arena arena, int slots, int slotSize, boolean pktinfo, boolean timestamps) {
        if (slots < 1 || slots > 1024) throw new IllegalArgumentException("1 to 1024 slots (UIO_MAXIOV)");
        this.slots = slots;
        this.slotSize = slotSize;
        this.pktinfo = pktinfo;
        this.timestamps = timestamps;
        this.controlSpace = (pktinfo ? LinuxUdp.PKTINFO_CMSG_SPACE : 0) + (timestamps ? LinuxUdp.TIMESTAMP_CMSG_SPACE : 0);
        this.errno = LinuxUdp.allocateErrno(arena);
        this.vec = arena.allocate(slots * LinuxUdp.MMSGHDR_SIZE, 8);
        this.iov = arena.allocate(slots * LinuxUdp.IOVEC_SIZE, 8);
        this.names = arena.allocate(slots * LinuxUdp.SOCKADDR_IN_SIZE, 8);
        this.control = controlSpace > 0 ? arena.allocate(slots * controlSpace, 8) : MemorySegment.NULL;
        this.data = arena.allocate((long) slots * slotSize, 64);
        this.vecFrom = new MemorySegment[slots];
        for (int i = 0; i < slots; i++) {
            long h = i * LinuxUdp.MMSGHDR_SIZE;
            vec.set(ADDRESS, h + LinuxUdp.MSG_NAME, names.asSlice(i * LinuxUdp.SOCKADDR_IN_SIZE));
            vec.set(JAVA_INT, h + LinuxUdp.MSG_NAMELEN, (int) LinuxUdp.SOCKADDR_IN_SIZE);
            vec.set(ADDRESS, h + LinuxUdp.MSG_IOV, iov.asSlice(i * LinuxUdp.IOVEC_SIZE));
            vec.set(JAVA_LONG, h + LinuxUdp.MSG_IOVLEN, 1L);
            vec.set(ADDRESS, h + LinuxUdp.MSG_CONTROL,
                    controlSpace > 0 ? control.asSlice(i * controlSpace) : MemorySegment.NULL);
            vec.set(JAVA_LONG, h + LinuxUdp.MSG_CONTROLLEN, controlSpace);
            iov.set(ADDRESS, i * LinuxUdp.IOVEC_SIZE, data.asSlice((long) i * slotSize));
            iov.set(JAVA_LONG, i * LinuxUdp.IOVEC_SIZE + 8, slotSize);
            vecFrom[i] = vec.asSlice(h);
        }
    }

    public int slots() {
        return slots;
    }

    public int slotSize() {
        return slotSize;
    }

    // ---- receiving ----

    /**
     * Reads up to {@link #slots()} datagrams without waiting. Returns how many (0 when none is waiting), or minus the
     * errno of a failure.
     */
    public int receive(int fd) {
        for (int i = 0; i < received; i++) { // the kernel wrote the lengths of what it filled in: reset them
            long h = i * LinuxUdp.MMSGHDR_SIZE;
            vec.set(JAVA_INT, h + LinuxUdp.MSG_NAMELEN, (int) LinuxUdp.SOCKADDR_IN_SIZE);
            if (controlSpace > 0) vec.set(JAVA_LONG, h + LinuxUdp.MSG_CONTROLLEN, controlSpace);
        }
        // MSG_TRUNC: msg_len is the datagram's real length even when it did not fit, so oversize is seen as such.
        int n = LinuxUdp.recvmmsg(errno, fd, vec, slots, LinuxUdp.MSG_DONTWAIT | LinuxUdp.MSG_TRUNC);
        if (n < 0) {
            received = 0;
            int e = LinuxUdp.errno(errno);
            return e == LinuxUdp.EAGAIN || e == LinuxUdp.EINTR ? 0 : -e;
        }
        received = n;
        return n;
    }

    /** The real length of received datagram i; more than {@link #slotSize()} means it was cut. */
    public int length(int i) {
        return vec.get(JAVA_INT, i * LinuxUdp.MMSGHDR_SIZE + LinuxUdp.MSG_LEN);
    }

    /** The source of received datagram i, as a {@link LinuxUdp#key}. */
    public long source(int i) {
        return LinuxUdp.readSockaddr(names, i * LinuxUdp.SOCKADDR_IN_SIZE);
    }

    /** The destination address (IPv4, host order) of received datagram i from its IP_PKTINFO, or 0. */
    public int destination(int i) {
        if (!pktinfo) return 0;
        long c = findControl(i, LinuxUdp.IPPROTO_IP, LinuxUdp.IP_PKTINFO, LinuxUdp.PKTINFO_CMSG_LEN);
        return c < 0 ? 0 : control.get(LinuxUdp.NET_INT, c + LinuxUdp.CMSG_DATA + LinuxUdp.PKTINFO_ADDR);
    }

    /**
     * When received datagram i reached the socket, from its SO_TIMESTAMPNS: nanoseconds since the epoch
     * (CLOCK_REALTIME), or -1.
     */
    public long arrivalEpochNanos(int i) {
        if (!timestamps) return -1;
        long c = findControl(i, LinuxUdp.SOL_SOCKET, LinuxUdp.SO_TIMESTAMPNS, LinuxUdp.TIMESTAMP_CMSG_LEN);
        if (c < 0) return -1;
        return control.get(JAVA_LONG, c + LinuxUdp.CMSG_DATA) * 1_000_000_000L
                + control.get(JAVA_LONG, c + LinuxUdp.CMSG_DATA + 8);
    }

    /** The offset in {@code control} of slot i's message of this level and type, or -1 (CMSG_FIRSTHDR/NXTHDR). */
    private long findControl(int i, int level, int type, long minLength) {
        long used = vec.get(JAVA_LONG, i * LinuxUdp.MMSGHDR_SIZE + LinuxUdp.MSG_CONTROLLEN);
        long start = i * controlSpace;
        long c = start;
        while (c + LinuxUdp.CMSG_DATA <= start + Math.min(used, controlSpace)) {
            long len = control.get(JAVA_LONG, c);
            if (len < LinuxUdp.CMSG_DATA) return -1;
            if (control.get(JAVA_INT, c + 8) == level && control.get(JAVA_INT, c + 12) == type) {
                return len >= minLength ? c : -1;
            }
            c += (len + 7) & ~7L;
        }
        return -1;
    }

    /** Copies {@code len} bytes of slot i's data to {@code dst} (at most the slot size). */
    public void copyOut(int i, byte[] dst, int off, int len) {
        MemorySegment.copy(data, JAVA_BYTE, (long) i * slotSize, dst, off, Math.min(len, slotSize));
    }

    // ---- sending ----

    /**
     * Fills slot i with a datagram to send: {@code len} bytes of {@code src} to {@code to}; from the source address
     * {@code source} when not 0 (IP_PKTINFO; the batch must have been made with it).
     */
    public void put(int i, byte[] src, int off, int len, long to, int source) {
        if (len > slotSize) throw new IllegalArgumentException("datagram of " + len + " bytes in a slot of " + slotSize);
        long h = i * LinuxUdp.MMSGHDR_SIZE;
        MemorySegment.copy(src, off, data, JAVA_BYTE, (long) i * slotSize, len);
        iov.set(JAVA_LONG, i * LinuxUdp.IOVEC_SIZE + 8, len);
        LinuxUdp.writeSockaddr(names, i * LinuxUdp.SOCKADDR_IN_SIZE, to);
        if (pktinfo) {
            if (source != 0) {
                long c = i * controlSpace;
                control.set(JAVA_LONG, c, LinuxUdp.PKTINFO_CMSG_LEN);
                control.set(JAVA_INT, c + 8, LinuxUdp.IPPROTO_IP);
                control.set(JAVA_INT, c + 12, LinuxUdp.IP_PKTINFO);
                control.set(JAVA_INT, c + LinuxUdp.CMSG_DATA, 0);
                control.set(LinuxUdp.NET_INT, c + LinuxUdp.CMSG_DATA + LinuxUdp.PKTINFO_SPEC_DST, source);
                control.set(JAVA_INT, c + LinuxUdp.CMSG_DATA + LinuxUdp.PKTINFO_ADDR, 0);
                vec.set(JAVA_LONG, h + LinuxUdp.MSG_CONTROLLEN, LinuxUdp.PKTINFO_CMSG_SPACE);
            } else {
                vec.set(JAVA_LONG, h + LinuxUdp.MSG_CONTROLLEN, 0L);
            }
        }
    }

    /** The length put in slot i. */
    public int putLength(int i) {
        return (int) iov.get(JAVA_LONG, i * LinuxUdp.IOVEC_SIZE + 8);
    }

    /**
     * Sends slots [from, from + count) with one {@code sendmmsg}. Returns how many went (the first ones; the next
     * one, if any, was refused), or minus the errno when the first was refused.
     */
    public int send(int fd, int from, int count) {
        int n = LinuxUdp.sendmmsg(errno, fd, vecFrom[from], count, 0);
        return n >= 0 ? n : -LinuxUdp.errno(errno);
    }
}
