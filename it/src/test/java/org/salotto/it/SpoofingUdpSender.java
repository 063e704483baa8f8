package org.salotto.it;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Sends UDP datagrams with any IPv4 source address and port, through a raw socket ({@code socket(AF_INET, SOCK_RAW,
 * IPPROTO_RAW)}, which implies {@code IP_HDRINCL}: we write the IP header ourselves) called through the FFM API. This
 * is how a test sends "from" a browser's address while the browser holds that port: an ordinary socket could not bind
 * it. Needs root or CAP_NET_RAW; Linux only. The kernel fills in the IP header's checksum and total length (raw(7));
 * the UDP checksum is left 0, which IPv4 allows (RFC 768).
 */
final class SpoofingUdpSender implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_RAW = 255;
    private static final int IPPROTO_UDP = 17;
    private static final int HEADERS = 20 + 8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SENDTO = downcall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Arena arena = Arena.ofShared(); // the test thread and its spoofing thread
    private final int fd;
    private final MemorySegment packet = arena.allocate(65_535);
    private final MemorySegment destination = arena.allocate(16);

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    SpoofingUdpSender() throws IOException {
        try {
            fd = (int) SOCKET.invokeExact(AF_INET, SOCK_RAW, IPPROTO_RAW);
        } catch (Throwable e) {
            throw new IOException("socket(AF_INET, SOCK_RAW) failed", e);
        }
        if (fd < 0) throw new IOException("cannot open a raw socket: the test needs root or CAP_NET_RAW");
    }

    /** Sends {@code payload} in one UDP datagram from {@code from} to {@code to}, both IPv4. */
    synchronized void send(InetSocketAddress from, InetSocketAddress to, byte[] payload) throws IOException {
        int length = HEADERS + payload.length;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0x45).put((byte) 0).putShort((short) length) // version 4, 5 words; total length
                .putShort((short) 0).putShort((short) 0x4000)         // id (the kernel picks one), Don't Fragment
                .put((byte) 64).put((byte) IPPROTO_UDP).putShort((short) 0) // TTL, protocol, checksum (the kernel's)
                .put(ipv4(from)).put(ipv4(to))
                .putShort((short) from.getPort()).putShort((short) to.getPort())
                .putShort((short) (8 + payload.length)).putShort((short) 0) // UDP length, no checksum
                .put(payload);
        MemorySegment.copy(b.array(), 0, packet, ValueLayout.JAVA_BYTE, 0, length);
        destination.fill((byte) 0);
        destination.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET); // host order
        destination.asSlice(4, 4).copyFrom(MemorySegment.ofArray(ipv4(to)));
        long sent;
        try {
            sent = (long) SENDTO.invokeExact(fd, packet, (long) length, 0, destination, 16);
        } catch (Throwable e) {
            throw new IOException("sendto failed", e);
        }
        if (sent != length) throw new IOException("sendto sent " + sent + " of " + length + " bytes");
    }

    private static byte[] ipv4(InetSocketAddress a) {
        if (!(a.getAddress() instanceof Inet4Address v4)) throw new IllegalArgumentException("IPv4 only: " + a);
        return v4.getAddress();
    }

    @Override
    public synchronized void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable ignored) {
            // closing is best effort
        }
        arena.close();
    }
}
