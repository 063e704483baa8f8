package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.salotto.media.rtcp.RtcpFeedback;
import org.salotto.media.rtcp.RtcpPacket;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;
import org.salotto.media.transport.Datagrams;
import org.salotto.media.transport.DropReason;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.WebRtcTransport;

/**
 * Repair on the way in, over real loopback sockets: a publisher skips some packets of its video (the loss is in the
 * test's sender: the kernel here has no netem), the server's NACKs name exactly those, the publisher answers with RTX
 * (RFC 4588), and the subscriber ends up with every packet, each once, with its original payload. Padding-only,
 * malformed and duplicate RTX packets are dropped and counted. Transports are connected with known keys (no DTLS);
 * the test waits on what reaches its sockets, the timeouts only bound a failing run.
 */
class NackRepairTest {
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private static final int SSRC = 0x0A0B0C0D;
    private static final int RTX_SSRC = 0x0A0B0C0E;
    private static final int SUBSCRIBER_SSRC = 0x5000;
    private static final int FIRST = 65_500; // the stream wraps its 16-bit sequence number on the way
    private static final int COUNT = 100;
    private static final Set<Integer> LOST = Set.of(65_510, 65_511, 65_535, 0, 20);
    private static final RtpCodec VP8 = new RtpCodec("video/VP8", 96, 90000, 0, "", List.of("nack", "nack pli"), 97);
    private static final TransportListener QUIET = new TransportListener() {
        @Override public void onConnected(WebRtcTransport t) { }
        @Override public void onClosed(WebRtcTransport t, String reason) { }
    };

    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private final byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
    private MediaLoop loop;
    private DatagramChannel publisherSocket;
    private DatagramChannel subscriberSocket;
    private SrtpContext publisherIn;
    private SrtpContext publisherOut;
    private SrtpContext subscriberIn;

    @BeforeEach
    void setUp() throws Exception {
        new java.util.Random(5).nextBytes(keys);
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters());
        publisherSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        subscriberSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        SrtpContext[] publisher = SrtpContext.fromKeyingMaterial(PROFILE, keys, false);
        publisherIn = publisher[0];
        publisherOut = publisher[1];
        subscriberIn = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[0];
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        publisherSocket.close();
        subscriberSocket.close();
        control.close();
    }

    private Endpoint endpoint(String id) {
        return new Endpoint(WebRtcTransport.create(id, loop, IDENTITY, control, QUIET));
    }

    private void connect(Endpoint e, DatagramChannel socket) throws Exception {
        InetSocketAddress to = (InetSocketAddress) socket.getLocalAddress();
        loop.submit(() -> {
            e.transport().connectWithKeys(PROFILE, keys, to);
            return null;
        }).get(2, TimeUnit.SECONDS);
    }

    private static byte[] payload(int seq) {
        byte[] p = new byte[40];
        for (int i = 0; i < p.length; i++) p[i] = (byte) (seq * 31 + i);
        return p;
    }

    private void send(byte[] packet) throws Exception {
        byte[] buf = new byte[packet.length + SrtpContext.maxOverhead()];
        System.arraycopy(packet, 0, buf, 0, packet.length);
        int n = publisherOut.protectRtp(buf, 0, packet.length);
        publisherSocket.send(ByteBuffer.wrap(buf, 0, n), loop.localAddress());
    }

    private static byte[] original(int seq) {
        byte[] p = payload(seq);
        byte[] b = new byte[12 + p.length];
        RtpPacket.writeHeader(b, 0, false, 96, seq, 3000L * seq, SSRC);
        System.arraycopy(p, 0, b, 12, p.length);
        return b;
    }

    private static byte[] rtx(int rtxSeq, int originalSeq, int payloadBytes, int padding) {
        byte[] p = payload(originalSeq);
        byte[] b = new byte[12 + payloadBytes + padding];
        RtpPacket.writeHeader(b, 0, false, 97, rtxSeq, 3000L * originalSeq, RTX_SSRC);
        if (payloadBytes >= 2) {
            b[12] = (byte) (originalSeq >>> 8);
            b[13] = (byte) originalSeq;
            System.arraycopy(p, 0, b, 14, payloadBytes - 2);
        } else if (payloadBytes == 1) {
            b[12] = 0x42;
        }
        if (padding > 0) {
            b[0] |= 0x20;
            b[b.length - 1] = (byte) padding;
        }
        return b;
    }

    /** Reads the publisher's socket until NACKs have named every lost packet; returns every sequence number named. */
    private Set<Integer> nackedUntilAllLostNamed() throws Exception {
        Set<Integer> named = new TreeSet<>();
        ByteBuffer in = ByteBuffer.allocate(2048);
        int[] lost = new int[512];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!named.containsAll(LOST)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Datagrams.receive(publisherSocket, in, Duration.ofNanos(left)) == null) break;
            byte[] b = in.array();
            int clear = publisherIn.unprotectRtcp(b, 0, in.limit());
            if (clear < 0) continue;
            for (int p = 0; p >= 0 && p < clear; p = RtcpPacket.next(b, p, clear)) {
                if (RtcpPacket.packetType(b, p) == RtcpPacket.RTPFB && RtcpPacket.count(b, p) == GenericNack.FMT) {
                    assertEquals(SSRC, RtcpFeedback.mediaSsrc(b, p), "a NACK for another stream");
                    int n = GenericNack.lostSequences(b, p, lost);
                    for (int i = 0; i < n; i++) named.add(lost[i]);
                }
            }
        }
        return named;
    }

    /** Reads the subscriber's socket until every packet of the stream came; returns each payload by sequence number. */
    private Map<Integer, byte[]> receivedBySubscriber(int wanted, Map<Integer, Integer> copies) throws Exception {
        Map<Integer, byte[]> got = new HashMap<>();
        ByteBuffer in = ByteBuffer.allocate(2048);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (got.size() < wanted) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Datagrams.receive(subscriberSocket, in, Duration.ofNanos(left)) == null) break;
            byte[] b = in.array();
            if (!RtpPacket.isRtp(b, 0, in.limit())) continue;
            int clear = subscriberIn.unprotectRtp(b, 0, in.limit());
            if (clear < 0 || RtpPacket.ssrc(b, 0) != SUBSCRIBER_SSRC) continue;
            int seq = RtpPacket.sequenceNumber(b, 0);
            int h = RtpPacket.headerLength(b, 0, clear);
            got.put(seq, java.util.Arrays.copyOfRange(b, h, h + RtpPacket.payloadLength(b, 0, clear)));
            copies.merge(seq, 1, Integer::sum);
        }
        return got;
    }

    @Test
    void lostPacketsAreAskedForByNackAndTheRtxAnswersReachTheSubscriber() throws Exception {
        Endpoint publisher = endpoint("pub");
        TrackParameters published = new TrackParameters("1", MediaKind.VIDEO, "camera", List.of(VP8), List.of(),
                List.of(new RtpEncoding(SSRC, RTX_SSRC)));
        Producer producer = publisher.produce("cam", published);
        Endpoint subscriber = endpoint("sub");
        RtpCodec subscriberVp8 = new RtpCodec("video/VP8", 96, 90000, 0, "", List.of("nack", "nack pli"), -1);
        subscriber.consume("c", producer, new TrackParameters("0", MediaKind.VIDEO, "camera", List.of(subscriberVp8),
                List.of(), List.of(new RtpEncoding(SUBSCRIBER_SSRC, 0))));
        connect(subscriber, subscriberSocket);
        connect(publisher, publisherSocket);
        loop.submit(() -> null).get(2, TimeUnit.SECONDS); // the consumer is in

        for (int i = 0; i < COUNT; i++) {
            int seq = (FIRST + i) & 0xFFFF;
            if (!LOST.contains(seq)) send(original(seq));
        }
        Set<Integer> nacked = nackedUntilAllLostNamed();
        assertEquals(new TreeSet<>(LOST), nacked, "the NACKs did not name exactly the packets skipped");

        // What a publisher also sends on its RTX stream: a padding-only probe, a malformed packet (one payload byte,
        // too short for the original sequence number), a retransmission of a packet the server already has.
        int rtxSeq = 7;
        send(rtx(rtxSeq++, 0, 0, 200));
        send(rtx(rtxSeq++, 0, 1, 0));
        send(rtx(rtxSeq++, FIRST + 1, 42, 0));
        // The answers, each once; one of them with padding after its payload.
        for (int seq : LOST) send(rtx(rtxSeq++, seq, 42, seq == 20 ? 4 : 0));

        Map<Integer, Integer> copies = new HashMap<>();
        Map<Integer, byte[]> got = receivedBySubscriber(COUNT, copies);
        Set<Integer> missing = new TreeSet<>();
        for (int i = 0; i < COUNT; i++) if (!got.containsKey((FIRST + i) & 0xFFFF)) missing.add((FIRST + i) & 0xFFFF);
        assertEquals(Set.of(), missing, "packets the subscriber never received");
        for (int seq : LOST) assertArrayEquals(payload(seq), got.get(seq), "the payload of recovered packet " + seq);
        for (var e : copies.entrySet()) assertEquals(1, e.getValue(), "packet " + e.getKey() + " forwarded more than once");

        MediaCounters counters = loop.counters();
        long[] seen = loop.submit(() -> new long[] {counters.nacksSent(), counters.nackedPackets(), counters.rtxReceived(),
                counters.rtxRecovered(), counters.rtxPadding(), counters.drops(DropReason.RTX_MALFORMED),
                counters.nackGivenUp()}).get(2, TimeUnit.SECONDS);
        assertTrue(seen[0] >= 1, "no NACK counted");
        assertTrue(seen[1] >= LOST.size(), "fewer NACKed packets counted than lost");
        assertEquals(3 + LOST.size(), seen[2], "RTX packets received");
        assertEquals(LOST.size(), seen[3], "RTX packets recovered");
        assertEquals(1, seen[4], "padding-only RTX packets");
        assertEquals(1, seen[5], "malformed RTX packets");
        assertEquals(0, seen[6], "packets given up on");
    }

    @Test
    void nothingIsAskedForWhileNobodySubscribes() throws Exception {
        Endpoint publisher = endpoint("pub");
        publisher.produce("cam", new TrackParameters("1", MediaKind.VIDEO, "camera", List.of(VP8), List.of(),
                List.of(new RtpEncoding(SSRC, RTX_SSRC))));
        connect(publisher, publisherSocket);
        send(original(1));
        send(original(3));
        // The receiver report a second later tells that both packets were read: no NACK may come before it.
        ByteBuffer in = ByteBuffer.allocate(2048);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean report = false;
        while (!report) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Datagrams.receive(publisherSocket, in, Duration.ofNanos(left)) == null) break;
            byte[] b = in.array();
            int clear = publisherIn.unprotectRtcp(b, 0, in.limit());
            if (clear < 0) continue;
            for (int p = 0; p >= 0 && p < clear; p = RtcpPacket.next(b, p, clear)) {
                int type = RtcpPacket.packetType(b, p);
                assertTrue(type != RtcpPacket.RTPFB && type != RtcpPacket.PSFB, "feedback sent for nobody: " + type);
                report |= type == RtcpPacket.RR;
            }
        }
        assertTrue(report, "no receiver report");
        assertEquals(0L, (long) loop.submit(() -> loop.counters().nacksSent()).get(2, TimeUnit.SECONDS));
    }

    @Test
    void aPacketNeverAnsweredIsAskedForMaxNacksTimesThenAKeyframeInstead() throws Exception {
        NackSettings settings = new NackSettings(Duration.ZERO, Duration.ofMillis(20), Duration.ofMillis(30), 3,
                Duration.ofSeconds(2));
        Endpoint publisher = new Endpoint(WebRtcTransport.create("pub", loop, IDENTITY, control, QUIET), settings);
        Producer producer = publisher.produce("cam", new TrackParameters("1", MediaKind.VIDEO, "camera", List.of(VP8),
                List.of(), List.of(new RtpEncoding(SSRC, RTX_SSRC))));
        connect(publisher, publisherSocket); // before the subscriber: connecting asks for a keyframe for subscribers
        // A subscriber (without one nothing is repaired) that never connects, so asks for no keyframe of its own.
        endpoint("sub").consume("c", producer, new TrackParameters("0", MediaKind.VIDEO, "camera", List.of(VP8),
                List.of(), List.of(new RtpEncoding(SUBSCRIBER_SSRC, 0))));
        loop.submit(() -> null).get(2, TimeUnit.SECONDS); // the consumer is in
        send(original(1));
        send(original(2));
        send(original(4));

        ByteBuffer in = ByteBuffer.allocate(2048);
        int[] lost = new int[64];
        int nacksFor3 = 0;
        boolean pli = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!pli) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Datagrams.receive(publisherSocket, in, Duration.ofNanos(left)) == null) break;
            byte[] b = in.array();
            int clear = publisherIn.unprotectRtcp(b, 0, in.limit());
            if (clear < 0) continue;
            for (int p = 0; p >= 0 && p < clear; p = RtcpPacket.next(b, p, clear)) {
                int type = RtcpPacket.packetType(b, p);
                int fmt = RtcpPacket.count(b, p);
                if (type == RtcpPacket.RTPFB && fmt == GenericNack.FMT) {
                    int n = GenericNack.lostSequences(b, p, lost);
                    assertEquals(1, n, "a NACK for more than the packet lost");
                    assertEquals(3, lost[0]);
                    nacksFor3++;
                } else if (type == RtcpPacket.PSFB && fmt == PictureLossIndication.FMT) {
                    assertEquals(SSRC, RtcpFeedback.mediaSsrc(b, p));
                    pli = true;
                }
            }
        }
        assertTrue(pli, "no keyframe request after giving up");
        assertEquals(3, nacksFor3, "NACKs before giving up");
        long[] seen = loop.submit(() -> new long[] {loop.counters().nackGivenUp(), loop.counters().nacksSent(),
                loop.counters().keyframeRequestsSent()}).get(2, TimeUnit.SECONDS);
        assertArrayEquals(new long[] {1, 3, 1}, seen, "given up, NACKs sent, keyframe requests sent");
    }
}
