package org.salotto.media.udp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The few Linux calls a UDP socket needs, as FFM downcalls, and the constants and struct offsets of Linux's ABI
 * (x86_64 and aarch64 share them: LP64, glibc). IPv4 only.
 *
 * <p>An address is a {@code long} key, {@code (IPv4 address << 16) | port}, so that the per-datagram path passes
 * addresses without an object; {@link #key(InetSocketAddress)} and {@link #socketAddress(long)} convert (and
 * allocate) at the edges.
 *
 * <p>Availability is decided once, without calling a restricted method unless native access is enabled for this
 * module: a JVM without {@code --enable-native-access=ALL-UNNAMED} prints no warning and gets {@code available()
 * == false} (the callers then use {@code DatagramChannel}).
 */
public final class LinuxUdp {
    public static final int AF_INET = 2;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_TIMESTAMPNS = 35;
    public static final int SO_BINDTODEVICE = 25;
    public static final int IPPROTO_IP = 0;
    public static final int IP_PKTINFO = 8;
    public static final int IP_MTU_DISCOVER = 10;
    /** Don't Fragment on every datagram, without path-MTU bookkeeping (as browsers send WebRTC). */
    public static final int IP_PMTUDISC_PROBE = 3;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final short POLLIN = 1;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int PRIO_PROCESS = 0;

    /** struct sockaddr_in: family (host order), port and address (network order), 8 bytes of zero. */
    public static final long SOCKADDR_IN_SIZE = 16;
    /** struct iovec: base pointer, length. */
    public static final long IOVEC_SIZE = 16;
    /** struct msghdr (56 bytes) then unsigned int msg_len and padding: struct mmsghdr. */
    public static final long MMSGHDR_SIZE = 64;
    public static final long MSG_NAME = 0;
    public static final long MSG_NAMELEN = 8;
    public static final long MSG_IOV = 16;
    public static final long MSG_IOVLEN = 24;
    public static final long MSG_CONTROL = 32;
    public static final long MSG_CONTROLLEN = 40;
    public static final long MSG_FLAGS = 48;
    public static final long MSG_LEN = 56;
    /** struct cmsghdr: size_t cmsg_len, int level, int type, then the data, 8-byte aligned. */
    public static final long CMSG_DATA = 16;
    /** CMSG_SPACE(sizeof(struct in_pktinfo)): 16 + 12 rounded up to 8. */
    public static final long PKTINFO_CMSG_SPACE = 32;
    public static final long PKTINFO_CMSG_LEN = 28;
    /** CMSG_SPACE and CMSG_LEN of a struct timespec (SO_TIMESTAMPNS): seconds and nanoseconds, 8 bytes each. */
    public static final long TIMESTAMP_CMSG_SPACE = 32;
    public static final long TIMESTAMP_CMSG_LEN = 32;
    /** struct in_pktinfo: int ifindex, in_addr spec_dst, in_addr addr (the header's destination). */
    public static final long PKTINFO_SPEC_DST = 4;
    public static final long PKTINFO_ADDR = 8;

    static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final boolean AVAILABLE;
    private static final String UNAVAILABLE;

    static {
        boolean linked = false;
        String why = null;
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux")) {
            why = "not Linux (" + os + ")";
        } else if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            why = "unsupported architecture " + arch;
        } else if (!LinuxUdp.class.getModule().isNativeAccessEnabled()) {
            why = "native access is not enabled (java --enable-native-access=ALL-UNNAMED)";
        } else {
            try {
                linked = Calls.CLOSE != null;
            } catch (Throwable e) { // IllegalCallerException, UnsatisfiedLinkError, NoSuchElementException...
                why = "the native calls could not be linked: " + (e.getCause() != null ? e.getCause() : e);
            }
        }
        AVAILABLE = linked;
        UNAVAILABLE = why;
    }

    private LinuxUdp() {
    }

    /** Whether the native calls can be used in this JVM. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** Why {@link #available()} is false, or null. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    private static void requireAvailable() {
        if (!AVAILABLE) throw new UnsupportedOperationException("native UDP I/O unavailable: " + UNAVAILABLE);
    }

    // ---- addresses ----

    /** The key of an IPv4 socket address: {@code (address << 16) | port}; IPv6 is refused. */
    public static long key(InetSocketAddress a) {
        if (!(a.getAddress() instanceof Inet4Address v4)) {
            throw new IllegalArgumentException("IPv4 only: " + a);
        }
        byte[] b = v4.getAddress();
        int ip = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        return key(ip, a.getPort());
    }

    public static long key(int ipv4, int port) {
        return (ipv4 & 0xFFFF_FFFFL) << 16 | (port & 0xFFFF);
    }

    public static int addressOf(long key) {
        return (int) (key >>> 16);
    }

    public static int portOf(long key) {
        return (int) (key & 0xFFFF);
    }

    /** A new socket address for a key (allocates: for caches and the edges). */
    public static InetSocketAddress socketAddress(long key) {
        int ip = addressOf(key);
        byte[] b = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(b), portOf(key));
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always a valid address
        }
    }

    static void writeSockaddr(MemorySegment s, long off, long key) {
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, (short) AF_INET);
        s.set(NET_SHORT, off + 2, (short) portOf(key));
        s.set(NET_INT, off + 4, addressOf(key));
        s.set(JAVA_LONG, off + 8, 0L);
    }

    static long readSockaddr(MemorySegment s, long off) {
        return key(s.get(NET_INT, off + 4), s.get(NET_SHORT, off + 2));
    }

    // ---- sockets ----

    /**
     * A non-blocking IPv4 UDP socket bound to {@code bind}, with the given buffer sizes (0: the system's), and
     * IP_PKTINFO on when {@code pktinfo} (each datagram's destination address, and the source address chosen per
     * datagram on send). Returns the file descriptor.
     */
    public static int openSocket(long bind, int receiveBuffer, int sendBuffer, boolean pktinfo) throws IOException {
        return openSocket(bind, receiveBuffer, sendBuffer, pktinfo, false);
    }

    /**
     * As {@link #openSocket(long, int, int, boolean)}, and with SO_TIMESTAMPNS (each datagram's arrival time). Every
     * socket sends with Don't Fragment (IP_PMTUDISC_PROBE): media packets are sized below the MTU anyway, and with DF
     * set the kernel skips choosing an IP identification per datagram (a shared atomic, 2.5 % of the loop's time in
     * a profile at 300 listeners).
     */
    public static int openSocket(long bind, int receiveBuffer, int sendBuffer, boolean pktinfo, boolean timestamps)
            throws IOException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Calls.CAPTURE);
            int fd = (int) Calls.SOCKET.invokeExact(errno, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) throw failure("socket", errno);
            try {
                MemorySegment value = arena.allocate(JAVA_INT);
                if (receiveBuffer > 0) setOption(errno, value, fd, SOL_SOCKET, SO_RCVBUF, receiveBuffer);
                if (sendBuffer > 0) setOption(errno, value, fd, SOL_SOCKET, SO_SNDBUF, sendBuffer);
                setOption(errno, value, fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE);
                if (pktinfo) setOption(errno, value, fd, IPPROTO_IP, IP_PKTINFO, 1);
                if (timestamps) setOption(errno, value, fd, SOL_SOCKET, SO_TIMESTAMPNS, 1);
                MemorySegment addr = arena.allocate(SOCKADDR_IN_SIZE, 8);
                writeSockaddr(addr, 0, bind);
                if ((int) Calls.BIND.invokeExact(errno, fd, addr, (int) SOCKADDR_IN_SIZE) != 0) {
                    throw failure("bind to " + socketAddress(bind), errno);
                }
                return fd;
            } catch (IOException | RuntimeException e) {
                close(fd);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void setOption(MemorySegment errno, MemorySegment value, int fd, int level, int name, int v)
            throws Throwable {
        value.set(JAVA_INT, 0, v);
        if ((int) Calls.SETSOCKOPT.invokeExact(errno, fd, level, name, value, 4) != 0) {
            throw failure("setsockopt " + level + "/" + name, errno);
        }
    }

    /**
     * Restricts a socket to one network interface (SO_BINDTODEVICE): it then receives only what arrives on that
     * interface and sends only through it, whatever address it is bound to. False if the kernel refused (before Linux
     * 5.7 it takes CAP_NET_RAW).
     */
    public static boolean bindToDevice(int fd, String device) {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Calls.CAPTURE);
            MemorySegment name = arena.allocateFrom(device);
            return (int) Calls.SETSOCKOPT.invokeExact(errno, fd, SOL_SOCKET, SO_BINDTODEVICE, name,
                    (int) name.byteSize()) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** The key of the address a socket is bound to. */
    public static long localAddress(int fd) throws IOException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Calls.CAPTURE);
            MemorySegment addr = arena.allocate(SOCKADDR_IN_SIZE, 8);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, (int) SOCKADDR_IN_SIZE);
            if ((int) Calls.GETSOCKNAME.invokeExact(errno, fd, addr, len) != 0) throw failure("getsockname", errno);
            return readSockaddr(addr, 0);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * One datagram, now, from any thread (allocates a little: for control traffic such as DTLS handshakes, not
     * media). {@code source} != 0 picks the source address (IP_PKTINFO). Returns false when the socket refused it.
     */
    public static boolean sendOne(int fd, byte[] buf, int off, int len, long to, int source) {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            DatagramBatch one = new DatagramBatch(arena, 1, Math.max(len, 1), source != 0);
            one.put(0, buf, off, len, to, source);
            return one.send(fd, 0, 1) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A non-blocking eventfd, to wake a thread that waits in {@link #poll}. */
    public static int eventFd() throws IOException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Calls.CAPTURE);
            int fd = (int) Calls.EVENTFD.invokeExact(errno, 0, EFD_NONBLOCK | EFD_CLOEXEC);
            if (fd < 0) throw failure("eventfd", errno);
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void close(int fd) {
        try {
            int ignored = (int) Calls.CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // closing: nothing more to do
        }
    }

    // ---- per-call wrappers, no allocation ----

    static int recvmmsg(MemorySegment errno, int fd, MemorySegment vec, int count, int flags) {
        try {
            return (int) Calls.RECVMMSG.invokeExact(errno, fd, vec, count, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int sendmmsg(MemorySegment errno, int fd, MemorySegment vec, int count, int flags) {
        try {
            return (int) Calls.SENDMMSG.invokeExact(errno, fd, vec, count, flags);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** poll(2) on an array of struct pollfd (8 bytes each); returns how many are ready, 0 on timeout or EINTR. */
    public static int poll(MemorySegment errno, MemorySegment fds, int count, int timeoutMillis) {
        try {
            int n = (int) Calls.POLL.invokeExact(errno, fds, (long) count, timeoutMillis);
            return Math.max(n, 0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Adds one to an eventfd's counter (any thread; {@code one} holds the 8-byte value 1). */
    public static void signal(int eventFd, MemorySegment one) {
        try {
            long ignored = (long) Calls.WRITE.invokeExact(eventFd, one, 8L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Reads (and so resets) an eventfd's counter into {@code scratch} (8 bytes). */
    public static void drain(int eventFd, MemorySegment scratch) {
        try {
            long ignored = (long) Calls.READ.invokeExact(eventFd, scratch, 8L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Sets the calling thread's nice value (-20 highest to 19 lowest; Linux applies setpriority to one thread when
     * given its thread id). Java's thread priorities do nothing on Linux by default, so a thread that must not wait
     * behind the rest of the process (the media loop) asks here. Lowering the value needs root or CAP_SYS_NICE: returns
     * false, changing nothing, without them.
     */
    public static boolean setThreadNice(int nice) {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Calls.CAPTURE);
            int tid = (int) Calls.GETTID.invokeExact();
            return (int) Calls.SETPRIORITY.invokeExact(errno, PRIO_PROCESS, tid, nice) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** A segment for the errno that a call captures; one per thread that makes calls. */
    public static MemorySegment allocateErrno(Arena arena) {
        requireAvailable();
        return arena.allocate(Calls.CAPTURE);
    }

    static int errno(MemorySegment captured) {
        return (int) Calls.ERRNO.get(captured, 0L);
    }

    private static IOException failure(String what, MemorySegment errno) {
        return new IOException(what + " failed: errno " + errno(errno));
    }

    /**
     * The linked functions, in static finals so that the JIT inlines the calls; this class is initialised only when
     * native access is enabled (linking is a restricted operation).
     */
    private static final class Calls {
        static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup LIBC = LINKER.defaultLookup();
        private static final Linker.Option E = Linker.Option.captureCallState("errno");

        static final MethodHandle SOCKET = link("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), E);
        static final MethodHandle BIND = link("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), E);
        static final MethodHandle SETSOCKOPT = link("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), E);
        static final MethodHandle GETSOCKNAME = link("getsockname",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), E);
        static final MethodHandle RECVMMSG = link("recvmmsg",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), E);
        static final MethodHandle SENDMMSG = link("sendmmsg",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), E);
        static final MethodHandle POLL = link("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), E);
        static final MethodHandle EVENTFD = link("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), E);
        static final MethodHandle READ = link("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle WRITE = link("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle GETTID = link("gettid", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle SETPRIORITY = link("setpriority",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), E);

        private static MethodHandle link(String name, FunctionDescriptor d, Linker.Option... options) {
            return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), d, options);
        }
    }
}
