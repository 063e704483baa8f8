package org.salotto.media.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The parts of the Linux calls that are not exercised through the media loop's socket. */
class LinuxUdpTest {

    @Test
    void keysRoundTripAddresses() {
        InetSocketAddress a = new InetSocketAddress("127.10.2.3", 50_001);
        long key = LinuxUdp.key(a);
        assertEquals(0x7F0A0203, LinuxUdp.addressOf(key));
        assertEquals(50_001, LinuxUdp.portOf(key));
        assertEquals(a, LinuxUdp.socketAddress(key));
        assertEquals(new InetSocketAddress("255.255.255.255", 65_535), LinuxUdp.socketAddress(LinuxUdp.key(-1, 65_535)));
    }

    @Test
    void aWildcardSocketBoundToLoopbackStillReceivesLoopbackTraffic() throws Exception {
        assertTrue(LinuxUdp.available(), LinuxUdp.unavailableReason());
        int fd = LinuxUdp.openSocket(LinuxUdp.key(0, 0), 0, 0, true);
        try (Arena arena = Arena.ofConfined(); DatagramChannel sender = DatagramChannel.open()) {
            assertTrue(LinuxUdp.bindToDevice(fd, "lo"), "SO_BINDTODEVICE lo refused");
            assertTrue(!LinuxUdp.bindToDevice(fd, "no-such-if0"), "an unknown interface was accepted");
            int port = LinuxUdp.portOf(LinuxUdp.localAddress(fd));
            sender.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), new InetSocketAddress("127.10.0.7", port));
            DatagramBatch batch = new DatagramBatch(arena, 4, 2048, true);
            // poll(2) blocks until the datagram is readable (the timeout only bounds a failing test)
            MemorySegment pollFd = arena.allocate(8, 8);
            pollFd.set(ValueLayout.JAVA_INT, 0, fd);
            pollFd.set(ValueLayout.JAVA_SHORT, 4, LinuxUdp.POLLIN);
            assertEquals(1, LinuxUdp.poll(LinuxUdp.allocateErrno(arena), pollFd, 1, 2000), "nothing arrived");
            int n = batch.receive(fd);
            assertEquals(1, n, "datagrams received");
            assertEquals(3, batch.length(0));
        } finally {
            LinuxUdp.close(fd);
        }
    }

    @Test
    void aThreadsNiceValueIsItsOwn() throws Exception {
        assertTrue(LinuxUdp.available(), LinuxUdp.unavailableReason());
        int mine = nice("thread-self");
        int[] seen = new int[1];
        Thread t = Thread.ofPlatform().start(() -> {
            // Raising the value (lower priority) is always allowed; lowering it needs CAP_SYS_NICE.
            assertTrue(LinuxUdp.setThreadNice(Math.max(7, mine + 1)));
            seen[0] = nice("thread-self");
        });
        t.join();
        assertEquals(Math.max(7, mine + 1), seen[0], "the thread's own nice value");
        assertEquals(mine, nice("thread-self"), "another thread of the process is left alone");
    }

    /** Field 19 of /proc/.../stat: the nice value. */
    private static int nice(String self) {
        try {
            String stat = Files.readString(Path.of("/proc", self, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[16]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
