package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The loop's socket on both implementations, through the loop: every datagram read, every bad one dropped and counted
 * as before, sources handed back as the same object, and everything queued in one pass sent and counted.
 */
@ParameterizedClass
@EnumSource(value = UdpIo.class, names = {"NATIVE", "NIO"})
class UdpPortTest {
    @Parameter
    UdpIo io;

    private MediaLoop loop;
    private LoopProbe probe;
    private final List<DatagramChannel> channels = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters(), io);
        assertEquals(io, loop.udpIo());
        probe = new LoopProbe(loop);
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        for (DatagramChannel c : channels) c.close();
    }

    private DatagramChannel client(String host) throws Exception {
        DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress(host, 0));
        c.connect(loop.localAddress());
        channels.add(c);
        return c;
    }

    /**
     * Waits until the loop has handled everything sent so far: a probe check from {@code c} is answered after them
     * ({@link LoopProbe}). The probe is one more datagram in, from {@code c}.
     */
    private void awaitHandled(DatagramChannel c) throws Exception {
        probe.awaitHandled(c);
    }

    @Test
    void badDatagramsAreDroppedAndCountedByReason() throws Exception {
        DatagramChannel c = client("127.0.0.1");
        try (java.net.DatagramSocket empty = new java.net.DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.1"))) {
            empty.send(new java.net.DatagramPacket(new byte[0], 0, loop.localAddress())); // empty
        }
        c.write(ByteBuffer.wrap(new byte[] {70, 1, 2, 3}));                  // first byte in no range of RFC 7983
        c.write(ByteBuffer.allocate(MediaLoop.MAX_DATAGRAM + 1).put(0, (byte) 0x80)); // one byte too many
        c.write(ByteBuffer.allocate(9000).put(0, (byte) 0x80));              // larger than the native slot
        byte[] rtp = new byte[MediaLoop.MAX_DATAGRAM];
        rtp[0] = (byte) 0x80;
        c.write(ByteBuffer.wrap(rtp));                                       // the largest allowed, unvalidated source
        awaitHandled(c);
        MediaCounters k = loop.submit(loop::counters).get(); // read after the loop's pass
        assertEquals(5 + 1, k.datagramsIn(), "the five and the probe");
        assertEquals(2, k.drops(DropReason.UNKNOWN_FIRST_BYTE), "the empty one and the one with first byte 70");
        assertEquals(2, k.drops(DropReason.OVERSIZED));
        assertEquals(1, k.drops(DropReason.UNVALIDATED_SOURCE));
        assertEquals(4 + MediaLoop.MAX_DATAGRAM + 1 + 9000 + MediaLoop.MAX_DATAGRAM + probe.checkLength(), k.bytesIn());
    }

    @Test
    void manyDatagramsFromManySourcesAreAllReadWithOneAddressObjectPerSource() throws Exception {
        List<DatagramChannel> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) clients.add(client("127.0.0." + (i + 1)));
        List<InetSocketAddress> seen = new ArrayList<>();
        int perClient = 200; // 1,000 in all: more than one batch of 64 and more than one pass of 256
        for (int round = 0; round < perClient; round++) {
            for (DatagramChannel c : clients) c.write(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, 0, 1}));
        }
        awaitHandled(clients.getLast());
        assertEquals(5L * perClient + 1, loop.submit(loop.counters()::datagramsIn).get(), "and the probe");
        assertEquals(5L * perClient, loop.counters().drops(DropReason.UNVALIDATED_SOURCE));
        // The same address object twice in a row for a source (no allocation per datagram).
        for (DatagramChannel c : clients) {
            // the probe comes from c too: the last source the loop read is c's either way
            c.write(ByteBuffer.wrap(new byte[] {70}));
            awaitHandled(c);
            InetSocketAddress first = loop.submit(() -> loop.port.source()).get();
            c.write(ByteBuffer.wrap(new byte[] {70}));
            awaitHandled(c);
            InetSocketAddress second = loop.submit(() -> loop.port.source()).get();
            assertEquals(c.getLocalAddress(), first);
            if (io == UdpIo.NATIVE) assertSame(first, second, "the table hands out one object per source");
            seen.add(first);
        }
        assertEquals(5, seen.stream().distinct().count());
    }

    @Test
    void everythingQueuedInAPassIsSentAndCounted() throws Exception {
        List<DatagramChannel> sinks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DatagramChannel s = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            channels.add(s);
            sinks.add(s);
        }
        int perSink = 150; // 600 datagrams in one task: more than two batches of 256
        loop.submit(() -> {
            byte[] out = loop.sendScratch();
            for (int n = 0; n < perSink; n++) {
                for (int i = 0; i < sinks.size(); i++) {
                    out[0] = (byte) i;
                    out[1] = (byte) (n >>> 8);
                    out[2] = (byte) n;
                    try {
                        loop.sendScratch(100 + n, (InetSocketAddress) sinks.get(i).getLocalAddress());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            return null;
        }).get();
        loop.submit(() -> null).get(); // the pass that queued them has flushed
        long bytes = 0;
        ByteBuffer in = ByteBuffer.allocate(2048);
        for (int i = 0; i < sinks.size(); i++) {
            DatagramChannel s = sinks.get(i);
            for (int n = 0; n < perSink; n++) {
                assertTrue(Datagrams.receive(s, in, Duration.ofSeconds(2)) != null, "datagram " + n + " to sink " + i + " never came");
                assertEquals(100 + n, in.limit(), "length of datagram " + n);
                assertEquals(i, in.get(0));
                assertEquals(n, (in.get(1) & 0xFF) << 8 | (in.get(2) & 0xFF), "datagrams arrive in order");
                bytes += in.limit();
            }
        }
        // Counted once the system call returned, on the native port's sender thread: maybe a moment after arrival.
        // Closing the loop ends (joins) that thread once everything handed to it is sent and counted.
        loop.close();
        assertEquals(4L * perSink, loop.counters().datagramsOut());
        assertEquals(bytes, loop.counters().bytesOut());
        assertEquals(0, loop.counters().drops(DropReason.SEND_FAILED));
    }
}
