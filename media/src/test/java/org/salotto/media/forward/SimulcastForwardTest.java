package org.salotto.media.forward;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtcp.PictureLossIndication;
import org.salotto.media.rtcp.RtcpFeedback;
import org.salotto.media.rtcp.RtcpPacket;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;
import org.salotto.media.transport.Datagrams;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.WebRtcTransport;

/**
 * Simulcast over real loopback sockets: a publisher sends three VP8 layers named by rid (q 320x180, h 640x360,
 * f 1280x720) on SSRCs the server has never been told; a subscriber showing the video small receives the low layer,
 * one showing it large the high layer, each as one stream with its own SSRC and unbroken sequence numbers. The large
 * one starts on the only keyframe there is (q's), asks the publisher for f's, and switches when f's keyframe comes,
 * not before; told its tile is small now, it goes back down on q's next keyframe. Transports are connected with
 * known keys (no DTLS); every payload ends with its layer and frame number, so the test can tell what it got.
 */
class SimulcastForwardTest {
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private static final int RID_ID = 10;
    private static final int[] SSRCS = {0x1111_0001, 0x2222_0002, 0x3333_0003};
    private static final String[] RIDS = {"q", "h", "f"};
    private static final int[][] SIZES = {{320, 180}, {640, 360}, {1280, 720}};
    private static final RtpCodec VP8 = new RtpCodec("video/VP8", 96, 90000, 1, "", List.of("nack", "nack pli"), -1);
    private static final TransportListener QUIET = new TransportListener() {
        @Override public void onConnected(WebRtcTransport t) { }
        @Override public void onClosed(WebRtcTransport t, String reason) { }
    };

    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private final byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
    private final int[] seqs = {65530, 100, 30000}; // q wraps early on
    private final long[] timestamps = {0xFFFF_F000L, 5000, 77777};
    private MediaLoop loop;
    private DatagramChannel publisherSocket;
    private DatagramChannel smallSocket;
    private DatagramChannel largeSocket;
    private SrtpContext publisherOut;
    private SrtpContext publisherIn;

    @BeforeEach
    void setUp() throws Exception {
        new java.util.Random(5).nextBytes(keys);
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters());
        publisherSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        smallSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        largeSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        SrtpContext[] client = SrtpContext.fromKeyingMaterial(PROFILE, keys, false);
        publisherIn = client[0];
        publisherOut = client[1];
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        publisherSocket.close();
        smallSocket.close();
        largeSocket.close();
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

    private void barrier() throws Exception {
        loop.submit(() -> null).get(2, TimeUnit.SECONDS);
    }

    /** One packet of {@code frame} on {@code layer}: RID element, VP8 descriptor and frame header, layer and frame. */
    private void send(int layer, int frame, boolean keyframe) throws Exception {
        byte[] b = new byte[1500];
        RtpPacket.writeHeader(b, 0, true, 96, seqs[layer], timestamps[layer], SSRCS[layer]);
        seqs[layer] = (seqs[layer] + 1) & 0xFFFF;
        timestamps[layer] = (timestamps[layer] + 3000) & 0xFFFF_FFFFL;
        b[0] |= 0x10; // extension
        int p = 12;
        b[p++] = (byte) 0xBE;
        b[p++] = (byte) 0xDE;
        b[p++] = 0;
        b[p++] = 1; // one word: the RID element and padding
        b[p++] = (byte) (RID_ID << 4); // length 1
        b[p++] = (byte) RIDS[layer].charAt(0);
        b[p++] = 0;
        b[p++] = 0;
        b[p++] = 0x10; // VP8 descriptor: S, partition 0
        if (keyframe) {
            b[p++] = 0x00; // P = 0: keyframe
            b[p++] = 0;
            b[p++] = 0;
            b[p++] = (byte) 0x9d;
            b[p++] = 0x01;
            b[p++] = 0x2a;
            b[p++] = (byte) SIZES[layer][0];
            b[p++] = (byte) (SIZES[layer][0] >> 8);
            b[p++] = (byte) SIZES[layer][1];
            b[p++] = (byte) (SIZES[layer][1] >> 8);
        } else {
            b[p++] = 0x01;
            b[p++] = 0;
            b[p++] = 0;
        }
        b[p++] = (byte) layer;
        b[p++] = (byte) frame;
        int n = publisherOut.protectRtp(b, 0, p);
        publisherSocket.send(ByteBuffer.wrap(b, 0, n), loop.localAddress());
    }

    /** A frame on every layer; {@code keyLayer} (or -1) sends a keyframe. */
    private void frame(int frame, int keyLayer) throws Exception {
        for (int layer = 0; layer < 3; layer++) send(layer, frame, layer == keyLayer);
    }

    /** What a subscriber got: SSRC, sequence, timestamp, layer, frame. */
    private record Got(int ssrc, int seq, long ts, int layer, int frame) {
    }

    /** Reads until frame {@code last} arrives; every packet, in order. */
    private static List<Got> receiveUntil(DatagramChannel socket, SrtpContext in, int last) throws Exception {
        List<Got> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (System.nanoTime() < deadline) {
            if (Datagrams.receive(socket, buf, Duration.ofNanos(deadline - System.nanoTime())) == null) break;
            byte[] b = buf.array();
            if (!RtpPacket.isRtp(b, 0, buf.limit())) continue;
            int n = in.unprotectRtp(b, 0, buf.limit());
            if (n < 0) continue;
            Got g = new Got(RtpPacket.ssrc(b, 0), RtpPacket.sequenceNumber(b, 0), RtpPacket.timestamp(b, 0), b[n - 2], b[n - 1]);
            got.add(g);
            if (g.frame() == last) return got;
        }
        throw new AssertionError("frame " + last + " never came; got " + got);
    }

    private boolean pliFor(int ssrc) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        ByteBuffer in = ByteBuffer.allocate(2048);
        while (System.nanoTime() < deadline) {
            if (Datagrams.receive(publisherSocket, in, Duration.ofNanos(deadline - System.nanoTime())) == null) return false;
            byte[] b = in.array();
            int clear = publisherIn.unprotectRtcp(b, 0, in.limit());
            if (clear < 0) continue;
            for (int p = 0; p >= 0 && p < clear; p = RtcpPacket.next(b, p, clear)) {
                if (RtcpPacket.packetType(b, p) == RtcpPacket.PSFB && RtcpPacket.count(b, p) == PictureLossIndication.FMT
                        && RtcpFeedback.mediaSsrc(b, p) == ssrc) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void assertOneUnbrokenStream(List<Got> got, int ssrc) {
        for (int i = 0; i < got.size(); i++) {
            assertEquals(ssrc, got.get(i).ssrc(), "every packet on the consumer's SSRC");
            if (i == 0) continue;
            assertEquals((got.get(i - 1).seq() + 1) & 0xFFFF, got.get(i).seq(), "no gap, no jump: " + got);
            long step = (got.get(i).ts() - got.get(i - 1).ts()) & 0xFFFF_FFFFL;
            assertTrue(step > 0 && step < 90000, "the timestamp goes forward by less than a second: " + got);
        }
    }

    @Test
    void eachSubscriberGetsTheLayerOfItsTileAndSwitchesOnlyOnAKeyframe() throws Exception {
        Endpoint publisher = endpoint("pub");
        List<RtpEncoding> layers = List.of(RtpEncoding.ofRid("q"), RtpEncoding.ofRid("h"), RtpEncoding.ofRid("f"));
        Producer producer = publisher.produce("cam", new TrackParameters("1", MediaKind.VIDEO, "camera", List.of(VP8),
                List.of(new RtpHeaderExtension(RtpHeaderExtension.RID, RID_ID)), layers));
        connect(publisher, publisherSocket);
        Endpoint small = endpoint("small");
        Endpoint large = endpoint("large");
        Consumer smallConsumer = small.consume("c1", producer, video(0x5001));
        Consumer largeConsumer = large.consume("c2", producer, video(0x5002));
        smallConsumer.setPreferredSize(320, 180);
        largeConsumer.setPreferredSize(1280, 720);
        connect(small, smallSocket);
        connect(large, largeSocket);
        barrier();

        // Only q starts with a keyframe: both start on q; the large one wants f and asks for its keyframe.
        frame(0, 0);
        for (int f = 1; f < 10; f++) frame(f, -1);
        assertTrue(pliFor(SSRCS[2]), "no keyframe request for the high layer reached the publisher");
        frame(10, 2); // f's keyframe
        for (int f = 11; f < 15; f++) frame(f, -1);

        SrtpContext smallIn = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[0];
        SrtpContext largeIn = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[0];
        List<Got> largeGot = receiveUntil(largeSocket, largeIn, 14);
        int switchAt = 0;
        while (switchAt < largeGot.size() && largeGot.get(switchAt).layer() == 0) switchAt++;
        assertEquals(11, switchAt, "q for frames 0 to 10 (q's frame 10 came before f's): " + largeGot);
        assertEquals(10, largeGot.get(switchAt).frame(), "the switch is on f's keyframe: " + largeGot);
        for (Got g : largeGot.subList(switchAt, largeGot.size())) assertEquals(2, g.layer(), "f from its keyframe on");
        assertEquals(16, largeGot.size(), "nothing lost nor doubled: " + largeGot);

        // The tile gets small: back to q on q's next keyframe, f until then.
        largeConsumer.setPreferredSize(160, 90);
        barrier();
        for (int f = 15; f < 20; f++) frame(f, -1);
        frame(20, 0);
        for (int f = 21; f < 25; f++) frame(f, -1);
        List<Got> later = receiveUntil(largeSocket, largeIn, 24);
        for (Got g : later) assertEquals(g.frame() < 20 ? 2 : 0, g.layer(), "f until q's keyframe: " + later);
        largeGot.addAll(later);
        assertOneUnbrokenStream(largeGot, 0x5002);

        List<Got> smallGot = receiveUntil(smallSocket, smallIn, 24);
        assertEquals(25, smallGot.size());
        for (Got g : smallGot) assertEquals(0, g.layer(), "the small tile gets q only");
        assertOneUnbrokenStream(smallGot, 0x5001);
        assertEquals(65530, smallGot.getFirst().seq(), "a consumer that never switched passes numbers through");
    }

    private static TrackParameters video(int ssrc) {
        return new TrackParameters("0", MediaKind.VIDEO, "camera", List.of(VP8), List.of(), List.of(new RtpEncoding(ssrc, 0)));
    }
}
