package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fault proxy itself, with plain sockets on loopback: its loss, its blocking, its rate limit, both directions. */
class UdpFaultProxyTest {

    /** How long a packet or the proxy's accounting may take on a busy machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Packets sent before the test waits for the proxy to account for them: well within a socket's buffer. */
    private static final int BATCH = 50;

    private static DatagramSocket socket() throws SocketException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout((int) TIMEOUT.toMillis());
        s.setReceiveBufferSize(1 << 20);
        return s;
    }

    private static DatagramPacket numbered(int n, int size, int port) {
        byte[] payload = ByteBuffer.allocate(size).putInt(n).array();
        return new DatagramPacket(payload, size, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    private static DatagramPacket receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.receive(p);
        return p;
    }

    /** Sends packets 0..count-1 through a proxy with this seed and loss; returns the numbers the server received. */
    private static int[] throughLoss(long seed, double loss, int count) throws Exception {
        try (var server = socket(); var client = socket();
             var proxy = new UdpFaultProxy(server.getLocalPort(), seed)) {
            proxy.uplink().loss(loss);
            List<Integer> received = new ArrayList<>();
            for (int sent = 0; sent < count; ) {
                for (int end = Math.min(count, sent + BATCH); sent < end; sent++) {
                    client.send(numbered(sent, 8, proxy.port()));
                }
                assertTrue(proxy.uplink().awaitSettled(sent, TIMEOUT), "the proxy did not pass " + sent + " packets");
                while (received.size() < proxy.uplink().forwarded()) {
                    received.add(ByteBuffer.wrap(receive(server).getData()).getInt());
                }
            }
            assertEquals(count, proxy.uplink().lost() + proxy.uplink().forwarded(), proxy.uplink().figures().toString());
            return received.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    @Test
    void lossIsNearItsRateAndTheSameForTheSameSeed() throws Exception {
        int count = 4_000;
        int[] first = throughLoss(7, 0.10, count);
        double share = 1 - (double) first.length / count;
        assertTrue(share > 0.08 && share < 0.12, "lost share " + share);
        for (int i = 1; i < first.length; i++) assertTrue(first[i] > first[i - 1], "reordered at " + i);
        assertArrayEquals(first, throughLoss(7, 0.10, count), "the same seed, other packets lost");
        assertFalse(Arrays.equals(first, throughLoss(8, 0.10, count)), "another seed, the same packets lost");
        assertEquals(count, throughLoss(7, 0, count).length, "no loss, yet a packet was lost");
    }

    @Test
    void bothWaysGoThroughTheProxysOwnSocketAndBlockingDropsEverythingUntilLifted() throws Exception {
        try (var server = socket(); var client = socket();
             var proxy = new UdpFaultProxy(server.getLocalPort(), 1)) {
            client.send(numbered(1, 8, proxy.port()));
            DatagramPacket first = receive(server);
            SocketAddress proxySide = first.getSocketAddress();
            assertNotEquals(client.getLocalSocketAddress(), proxySide, "the server sees the client, not the proxy");
            server.send(new DatagramPacket(new byte[] {9, 9}, 2, proxySide));
            DatagramPacket back = receive(client);
            assertEquals(proxy.port(), back.getPort(), "the answer comes from the proxy's port");
            assertEquals(1, proxy.clients());

            proxy.uplink().blocked(true);
            proxy.downlink().blocked(true);
            for (int i = 0; i < 20; i++) client.send(numbered(100 + i, 8, proxy.port()));
            for (int i = 0; i < 20; i++) server.send(numbered(200 + i, 8, ((InetSocketAddress) proxySide).getPort()));
            assertTrue(proxy.uplink().awaitSettled(21, TIMEOUT) && proxy.downlink().awaitSettled(21, TIMEOUT));
            assertEquals(20, proxy.uplink().blockedDrops());
            assertEquals(20, proxy.downlink().blockedDrops());

            proxy.uplink().blocked(false);
            proxy.downlink().blocked(false);
            client.send(numbered(2, 8, proxy.port()));
            assertEquals(2, ByteBuffer.wrap(receive(server).getData()).getInt(), "a blocked packet got through");
            server.send(numbered(3, 8, ((InetSocketAddress) proxySide).getPort()));
            assertEquals(3, ByteBuffer.wrap(receive(client).getData()).getInt(), "a blocked packet came back");
            assertEquals(1, proxy.clients(), "one client, one socket towards the server");
        }
    }

    @Test
    void aRateLimitPacesPacketsAndDropsWhatItsQueueCannotHold() throws Exception {
        int bitsPerSecond = 400_000; // 50,000 bytes a second
        int bucket = 4_000;
        int queue = 20_000;
        int size = 1_000;
        int count = 60;
        try (var server = socket(); var client = socket();
             var proxy = new UdpFaultProxy(server.getLocalPort(), 1)) {
            proxy.uplink().limit(bitsPerSecond, bucket, queue);
            ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
            Semaphore arrived = new Semaphore(0);
            Thread receiver = Thread.ofVirtual().start(() -> {
                try {
                    for (;;) {
                        receive(server);
                        arrivals.add(System.nanoTime());
                        arrived.release();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            for (int i = 0; i < count; i++) client.send(numbered(i, size, proxy.port()));
            assertTrue(proxy.uplink().awaitSettled(count, TIMEOUT), proxy.uplink().figures().toString());
            long forwarded = proxy.uplink().forwarded();
            assertEquals(count, forwarded + proxy.uplink().queueDrops(), proxy.uplink().figures().toString());
            // What fits: the bucket at once, the queue behind it, and what drained while the burst came in (a packet
            // each 20 ms: 10 is a stall of 200 ms on a busy machine).
            assertTrue(forwarded >= (bucket + queue) / size && forwarded <= (bucket + queue) / size + 10,
                    "forwarded " + forwarded + " of a burst of " + count);
            assertTrue(arrived.tryAcquire((int) forwarded, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            List<Long> times = new ArrayList<>(arrivals);
            // A token bucket's promise: in any stretch of time, no more than the bucket plus the rate times the stretch.
            double seconds = (times.getLast() - times.getFirst()) / 1e9;
            double rate = (forwarded * size - bucket) * 8 / seconds;
            assertTrue(rate <= bitsPerSecond * 1.05 && rate >= bitsPerSecond * 0.6, "paced at " + rate + " bit/s");
            server.close();
            receiver.join(TIMEOUT.toMillis());
        }
    }
}
