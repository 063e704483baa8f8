package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtcp.GenericNack;
import org.salotto.media.rtcp.PictureLossIndication;
import org.salotto.media.rtcp.RtcpPacket;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;
import org.salotto.media.transport.Datagrams;
import org.salotto.media.transport.ManualClock;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.PacketHandler;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.UdpIo;
import org.salotto.media.transport.WebRtcTransport;

/**
 * The NACK schedule on the media loop itself, whose clock the test moves by hand (a {@link ManualClock}): a packet's
 * time and the ticks come from that clock, so each step of 10 ms is exactly one tick, and the counts are exact. Real
 * loopback sockets and SRTP (transports connected with known keys). A witness transport that always asks for ticks
 * tells when the loop has ticked; a task run on the loop after that sees the tick's work done.
 */
class NackOnTheLoopClockTest {
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private static final long TICK_NANOS = 10_000_000L;
    private static final int SSRC = 0x0A0B0C0D;
    private static final int RTX_SSRC = 0x0A0B0C0E;
    private static final RtpCodec VP8 = new RtpCodec("video/VP8", 96, 90000, 0, "", List.of("nack", "nack pli"), 97);
    private static final NackSettings SETTINGS = new NackSettings(Duration.ofMillis(5), Duration.ofMillis(20),
            Duration.ofMillis(100), 3, Duration.ofSeconds(10));
    private static final TransportListener QUIET = new TransportListener() {
        @Override public void onConnected(WebRtcTransport t) { }
        @Override public void onClosed(WebRtcTransport t, String reason) { }
    };

    private final ManualClock clock = new ManualClock();
    private final Semaphore witnessTicks = new Semaphore(0);
    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private final byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
    private MediaLoop loop;
    private DatagramChannel publisherSocket;
    private SrtpContext publisherIn;
    private SrtpContext publisherOut;
    private int packetsSent;

    @BeforeEach
    void setUp() throws Exception {
        new java.util.Random(9).nextBytes(keys);
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters(), UdpIo.AUTO,
                MediaLoop.DEFAULT_QUEUE_CAPACITY, clock);
        publisherSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        SrtpContext[] contexts = SrtpContext.fromKeyingMaterial(PROFILE, keys, false);
        publisherIn = contexts[0];
        publisherOut = contexts[1];
        WebRtcTransport witness = WebRtcTransport.create("witness", loop, IDENTITY, control, QUIET);
        witness.setPacketHandler(new PacketHandler() {
            @Override public void onRtp(byte[] buf, int off, int len, long nowNanos) { }
            @Override public void onRtcp(byte[] buf, int off, int len, long nowNanos) { }
            @Override public void onTick(long nowNanos) { witnessTicks.release(); }
        });
        loop.submit(() -> {
            witness.connectWithKeys(PROFILE, keys, new InetSocketAddress("127.0.0.1", 40999));
            witness.setTicking(true);
            return null;
        }).get(2, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        publisherSocket.close();
        control.close();
    }

    /** Moves the clock one tick on and waits until the loop has ticked and finished the tick for every transport. */
    private void tick() throws Exception {
        witnessTicks.drainPermits();
        clock.advance(Duration.ofNanos(TICK_NANOS));
        assertTrue(witnessTicks.tryAcquire(5, TimeUnit.SECONDS), "the loop did not tick");
        loop.submit(() -> null).get(2, TimeUnit.SECONDS);
    }

    private void ticks(int n) throws Exception {
        for (int i = 0; i < n; i++) tick();
    }

    private long[] counts() throws Exception {
        MediaCounters c = loop.counters();
        return loop.submit(() -> new long[] {c.nacksSent(), c.nackGivenUp(), c.keyframeRequestsSent(), c.rtxRecovered()})
                .get(2, TimeUnit.SECONDS);
    }

    private void send(byte[] packet) throws Exception {
        byte[] buf = new byte[packet.length + SrtpContext.maxOverhead()];
        System.arraycopy(packet, 0, buf, 0, packet.length);
        int n = publisherOut.protectRtp(buf, 0, packet.length);
        publisherSocket.send(ByteBuffer.wrap(buf, 0, n), loop.localAddress());
        packetsSent++;
        // Wait until the loop has read it (its clock stands still meanwhile, so it is read at the current time).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        MediaCounters c = loop.counters();
        while (loop.submit(c::datagramsIn).get(2, TimeUnit.SECONDS) < packetsSent) {
            assertTrue(System.nanoTime() < deadline, "the loop did not read the packet");
        }
    }

    private static byte[] original(int seq) {
        byte[] b = new byte[12 + 20];
        RtpPacket.writeHeader(b, 0, false, 96, seq, 3000L * seq, SSRC);
        return b;
    }

    private static byte[] rtx(int rtxSeq, int seq) {
        byte[] b = new byte[12 + 2 + 20];
        RtpPacket.writeHeader(b, 0, false, 97, rtxSeq, 3000L * seq, RTX_SSRC);
        b[12] = (byte) (seq >>> 8);
        b[13] = (byte) seq;
        return b;
    }

    /**
     * The next {@code expected} pieces of feedback to reach the publisher (fewer if they do not come within 5 s): each
     * NACK's sequence numbers, and "PLI" for a PLI. The counters have already said they were sent.
     */
    private List<String> feedback(int expected) throws Exception {
        List<String> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.allocate(2048);
        int[] lost = new int[64];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (out.size() < expected) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Datagrams.receive(publisherSocket, in, Duration.ofNanos(left)) == null) break;
            byte[] b = in.array();
            int clear = publisherIn.unprotectRtcp(b, 0, in.limit());
            if (clear < 0) continue;
            for (int p = 0; p >= 0 && p < clear; p = RtcpPacket.next(b, p, clear)) {
                int type = RtcpPacket.packetType(b, p);
                if (type == RtcpPacket.RTPFB && RtcpPacket.count(b, p) == GenericNack.FMT) {
                    int n = GenericNack.lostSequences(b, p, lost);
                    out.add(java.util.Arrays.toString(java.util.Arrays.copyOf(lost, n)));
                } else if (type == RtcpPacket.PSFB && RtcpPacket.count(b, p) == PictureLossIndication.FMT) {
                    out.add("PLI");
                }
            }
        }
        return out;
    }

    @Test
    void aGapIsNackedOnTheNextTickThenEveryRoundTripThenAKeyframeIsAskedFor() throws Exception {
        Endpoint publisher = new Endpoint(WebRtcTransport.create("pub", loop, IDENTITY, control, QUIET), SETTINGS);
        Producer producer = publisher.produce("cam", new TrackParameters("1", MediaKind.VIDEO, "camera", List.of(VP8),
                List.of(), List.of(new RtpEncoding(SSRC, RTX_SSRC))));
        InetSocketAddress to = (InetSocketAddress) publisherSocket.getLocalAddress();
        loop.submit(() -> {
            publisher.transport().connectWithKeys(PROFILE, keys, to);
            return null;
        }).get(2, TimeUnit.SECONDS);
        // A subscriber that never connects: the stream is repaired for it, and it asks for no keyframe itself.
        new Endpoint(WebRtcTransport.create("sub", loop, IDENTITY, control, QUIET)).consume("c", producer,
                new TrackParameters("0", MediaKind.VIDEO, "camera", List.of(VP8), List.of(),
                        List.of(new RtpEncoding(0x5000, 0))));

        send(original(1));
        send(original(3)); // 2 is missing, seen now
        tick(); // 10 ms later: past the first delay (5 ms)
        assertArrayEquals(new long[] {1, 0, 0, 0}, counts(), "NACKs, given up, keyframe requests, recovered");
        ticks(9); // 100 ms after the first NACK is the retry: not before
        assertArrayEquals(new long[] {1, 0, 0, 0}, counts());
        tick();
        assertArrayEquals(new long[] {2, 0, 0, 0}, counts());
        ticks(10);
        assertArrayEquals(new long[] {3, 0, 0, 0}, counts(), "the third and last NACK");
        ticks(9);
        assertArrayEquals(new long[] {3, 0, 0, 0}, counts());
        tick(); // a round trip after the last NACK: given up, and a keyframe instead
        assertArrayEquals(new long[] {3, 1, 1, 0}, counts());
        assertEquals(List.of("[2]", "[2]", "[2]", "PLI"), feedback(4));

        // A second gap, answered 20 ms after its NACK: the round trip becomes 100 + (20 - 100) / 8 = 90 ms.
        send(original(5)); // 4 missing
        tick();
        ticks(2);
        send(rtx(1, 4));
        assertArrayEquals(new long[] {4, 1, 1, 1}, counts());
        // A third gap: its retry comes 90 ms after its first NACK.
        send(original(7)); // 6 missing
        tick();
        ticks(8);
        assertEquals(5, counts()[0], "the retry came before the measured round trip");
        tick();
        assertEquals(6, counts()[0], "no retry a measured round trip (90 ms) after the NACK");
        assertEquals(List.of("[4]", "[6]", "[6]"), feedback(3));
    }
}
