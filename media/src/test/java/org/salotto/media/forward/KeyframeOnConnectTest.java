package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.params.IceParameters;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtcp.PictureLossIndication;
import org.salotto.media.rtcp.RtcpFeedback;
import org.salotto.media.rtcp.RtcpPacket;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;
import org.salotto.media.stun.StunAttribute;
import org.salotto.media.stun.StunMessageType;
import org.salotto.media.stun.StunMessageWriter;
import org.salotto.media.transport.Datagrams;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.WebRtcTransport;

/**
 * A subscriber gets a keyframe request sent for it as soon as its transport can carry media, whatever the order the
 * publisher and the subscriber connected in, and again after an ICE restart. Real loopback sockets; the transports
 * are connected with known keys (no DTLS) so that the test decides when each side connects. The publisher's socket
 * decrypts what reaches it and counts the PLIs for its stream.
 */
class KeyframeOnConnectTest {
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private static final int PUBLISHED_SSRC = 0x0A0B0C0D;
    private static final RtpCodec VP8 = new RtpCodec("video/VP8", 96, 90000, 0, "", List.of("nack", "nack pli"), -1);
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

    @BeforeEach
    void setUp() throws Exception {
        new java.util.Random(11).nextBytes(keys);
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters());
        publisherSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        subscriberSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        publisherSocket.configureBlocking(false);
        publisherIn = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[0];
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

    private static TrackParameters video(String mid, int ssrc) {
        return new TrackParameters(mid, MediaKind.VIDEO, "camera", List.of(VP8), List.of(), List.of(new RtpEncoding(ssrc, 0)));
    }

    /** Reads what has reached the publisher until {@code deadline}; returns the PLIs for its stream. */
    private int plisUntil(long deadlineNanos, int wanted) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(2048);
        int plis = 0;
        for (long left = deadlineNanos - System.nanoTime(); left > 0 && plis < wanted; left = deadlineNanos - System.nanoTime()) {
            if (Datagrams.receive(publisherSocket, in, java.time.Duration.ofNanos(left)) == null) break;
            byte[] b = in.array();
            int clear = publisherIn.unprotectRtcp(b, 0, in.limit());
            if (clear < 0) continue;
            for (int p = 0; p >= 0 && p < clear; p = RtcpPacket.next(b, p, clear)) {
                if (RtcpPacket.packetType(b, p) == RtcpPacket.PSFB && RtcpPacket.count(b, p) == PictureLossIndication.FMT
                        && RtcpFeedback.mediaSsrc(b, p) == PUBLISHED_SSRC) {
                    plis++;
                }
            }
        }
        return plis;
    }

    private int plisWithin(long millis, int wanted) throws Exception {
        return plisUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis), wanted);
    }

    @Test
    void aSubscriberThatConnectedBeforeThePublisherGetsAKeyframeWhenThePublisherConnects() throws Exception {
        Endpoint publisher = endpoint("pub");
        Producer producer = publisher.produce("cam", video("1", PUBLISHED_SSRC));
        Endpoint subscriber = endpoint("sub");
        connect(subscriber, subscriberSocket);
        subscriber.consume("c", producer, video("0", 0x5000));
        loop.submit(() -> null).get(); // the consumer is in: its request could not reach a publisher not connected
        connect(publisher, publisherSocket);
        assertEquals(1, plisWithin(2000, 1), "no keyframe request reached the publisher once it connected");
    }

    @Test
    void aSubscriberThatConnectsAfterThePublisherGetsAKeyframeWhenItConnects() throws Exception {
        Endpoint publisher = endpoint("pub");
        Producer producer = publisher.produce("cam", video("1", PUBLISHED_SSRC));
        connect(publisher, publisherSocket);
        Endpoint subscriber = endpoint("sub");
        subscriber.consume("c", producer, video("0", 0x5000));
        loop.submit(() -> null).get();
        // A keyframe now would be lost: the subscriber cannot receive it yet. None is asked for...
        assertEquals(0, plisWithin(400, 1), "a keyframe was asked for before the subscriber could receive it");
        // ...until it connects (past the throttle's interval, so the throttle cannot be what held it back).
        connect(subscriber, subscriberSocket);
        assertEquals(1, plisWithin(2000, 1), "no keyframe request when the subscriber connected");
        // One more a throttle interval later, in case the first keyframe beat the peer's end of the handshake.
        long first = System.nanoTime();
        assertEquals(1, plisWithin(2000, 1), "no second keyframe request after the subscriber connected");
        assertTrue(System.nanoTime() - first >= KeyframeRequestThrottle.INTERVAL_NANOS - 50_000_000L,
                "the second request did not wait for the throttle");
    }

    @Test
    void requestsInsideTheThrottleIntervalAreKeptAndSentLater() throws Exception {
        Endpoint publisher = endpoint("pub");
        Producer producer = publisher.produce("cam", video("1", PUBLISHED_SSRC));
        connect(publisher, publisherSocket);
        Endpoint first = endpoint("sub1");
        Endpoint second = endpoint("sub2");
        first.consume("c1", producer, video("0", 0x5001));
        second.consume("c2", producer, video("0", 0x5002));
        DatagramChannel other = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        try {
            connect(first, subscriberSocket);
            connect(second, other); // inside the 300 ms interval: held, then sent, not lost
            assertEquals(2, plisWithin(2000, 2));
            assertTrue(loop.counters().keyframeRequestsThrottled() >= 1);
        } finally {
            other.close();
        }
    }

    @Test
    void anIceRestartOnTheSubscriberAsksForAKeyframeWhenThePeerIsBack() throws Exception {
        Endpoint publisher = endpoint("pub");
        Producer producer = publisher.produce("cam", video("1", PUBLISHED_SSRC));
        connect(publisher, publisherSocket);
        Endpoint subscriber = endpoint("sub");
        subscriber.consume("c", producer, video("0", 0x5000));
        connect(subscriber, subscriberSocket);
        assertEquals(2, plisWithin(3000, 2), "a request when it connected and its follow-up");
        plisWithin(400, 1); // past the throttle interval: nothing more is pending

        IceParameters fresh = subscriber.transport().restartIce();
        loop.submit(() -> null).get();
        assertEquals(0, plisWithin(100, 1), "asked before the peer came back");
        byte[] check = new StunMessageWriter(StunMessageType.BINDING_REQUEST, new byte[12])
                .addUsername(fresh.ufrag() + ":peer")
                .addPriority(1853817087L).addAttribute(StunAttribute.ICE_CONTROLLING, new byte[8])
                .addAttribute(StunAttribute.USE_CANDIDATE, new byte[0])
                .addMessageIntegrity(fresh.pwd().getBytes(StandardCharsets.UTF_8))
                .addFingerprint().toByteArray();
        subscriberSocket.send(ByteBuffer.wrap(check), loop.localAddress());
        assertEquals(1, plisWithin(2000, 1), "no keyframe request after the ICE restart");
    }
}
