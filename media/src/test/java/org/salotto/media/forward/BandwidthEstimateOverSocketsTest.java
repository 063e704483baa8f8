package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.media.bwe.BandwidthSettings;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtcp.TransportCcFeedbackBuilder;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.WebRtcTransport;

/**
 * A subscriber's downlink estimate moves with what its feedback says, over real loopback sockets and SRTP: a publisher
 * sends 2 Mbps of VP8 (packets without any header extension: the server inserts the transport-wide sequence number),
 * the subscriber decrypts what it gets and answers with transport-cc feedback built by {@link
 * TransportCcFeedbackBuilder}, every 50 ms, from the arrival times it sees; the test then makes that feedback report
 * queueing (a delay that grows by 200 ms a second) and loss (30%), as a congested downlink would, and reads the
 * server's estimate ({@link Endpoint#availableBitrate()}) after each phase. The transports are connected with known
 * keys (no ICE or DTLS: see {@link KeyframeOnConnectTest}).
 */
class BandwidthEstimateOverSocketsTest {
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    private static final int PUBLISHED_SSRC = 0x0A0B0C0D;
    private static final int TRANSPORT_CC_ID = 5;
    private static final int PAYLOAD = 1250 - 12; // with the header: 1250 bytes every 5 ms, 2 Mbps
    private static final long INTERVAL_NANOS = 5_000_000L;
    private static final RtpCodec VP8 = new RtpCodec("video/VP8", 96, 90000, 0, "", List.of("transport-cc"), -1);
    private static final BandwidthSettings SETTINGS = new BandwidthSettings(100_000, 2_000_000, 20_000_000);
    private static final TransportListener QUIET = new TransportListener() {
        @Override public void onConnected(WebRtcTransport t) { }
        @Override public void onClosed(WebRtcTransport t, String reason) { }
    };

    /** What the subscriber makes its feedback say. */
    private volatile long delayGrowthMicrosPerSecond;
    private volatile double lossRate;
    private final AtomicLong feedbackSent = new AtomicLong();
    private final AtomicLong unnumbered = new AtomicLong();

    @Test
    @Timeout(60)
    void theEstimateFollowsTheSubscribersFeedback() throws Exception {
        byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
        new Random(5).nextBytes(keys);
        MediaCounters counters = new MediaCounters();
        try (ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
             MediaLoop loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), counters);
             DatagramChannel publisherSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel subscriberSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            loop.setBandwidthSettings(SETTINGS);
            DtlsIdentity identity = DtlsIdentity.generate();
            Endpoint publisher = new Endpoint(WebRtcTransport.create("pub", loop, identity, control, QUIET));
            Producer producer = publisher.produce("cam", new TrackParameters("1", MediaKind.VIDEO, "camera",
                    List.of(VP8), List.of(), List.of(new RtpEncoding(PUBLISHED_SSRC, 0))));
            Endpoint subscriber = new Endpoint(WebRtcTransport.create("sub", loop, identity, control, QUIET));
            connect(loop, publisher, publisherSocket, keys);
            connect(loop, subscriber, subscriberSocket, keys);
            assertEquals(-1, subscriber.availableBitrate(), "no estimate before transport-cc is negotiated");
            subscriber.consume("c", producer, new TrackParameters("0", MediaKind.VIDEO, "camera", List.of(VP8),
                    List.of(new RtpHeaderExtension(RtpHeaderExtension.TRANSPORT_CC, TRANSPORT_CC_ID)),
                    List.of(new RtpEncoding(0x5000, 0))));
            loop.submit(() -> null).get(2, TimeUnit.SECONDS);
            assertEquals(2_000_000, subscriber.availableBitrate(), "the start bitrate until feedback comes");

            Thread receiver = Thread.ofPlatform().name("subscriber").start(() -> answer(subscriberSocket, loop, keys));
            SrtpContext publisherOut = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[1];
            publisherSocket.connect(loop.localAddress());
            Publisher pub = new Publisher(publisherSocket, publisherOut, subscriber);

            // Warm-up: while the JIT compiles the loop's path, the first packets leave late, which reads as queueing.
            pub.send(TimeUnit.SECONDS.toNanos(2));
            long warm = settled(loop, subscriber);
            // A stall of this busy machine's threads can read as queueing once in a while (GCC's answer to a stalled
            // sender): the highest estimate of the phase is what shows the climb.
            long highest = pub.send(TimeUnit.SECONDS.toNanos(3));
            long healthy = settled(loop, subscriber);
            assertTrue(highest > 1.1 * warm, "a clean link: the estimate climbs, to " + highest + " from " + warm);

            delayGrowthMicrosPerSecond = 200_000; // the queue on the way to the subscriber grows
            pub.send(TimeUnit.SECONDS.toNanos(1));
            long queued = settled(loop, subscriber);
            assertTrue(queued < 0.85 * healthy, "a second of growing delay: " + queued + " from " + healthy);

            delayGrowthMicrosPerSecond = 0; // the queue stops growing: the estimate may climb again
            pub.send(TimeUnit.SECONDS.toNanos(3));
            long recovered = settled(loop, subscriber);
            assertTrue(recovered > queued, "climbs again after: " + recovered + " from " + queued);

            lossRate = 0.3;
            pub.send(TimeUnit.SECONDS.toNanos(2));
            long lossy = settled(loop, subscriber);
            assertTrue(lossy < 0.7 * recovered, "two seconds at 30% loss: " + lossy + " from " + recovered);

            System.out.printf("downlink estimate (bps): warm %d, clean %d (highest %d), queueing %d, recovered %d, "
                    + "30%% loss %d%n", warm, healthy, highest, queued, recovered, lossy);
            assertEquals(0, unnumbered.get(), "every packet the subscriber got carried a transport-wide number");
            long observations = counters.downlinkEstimates().count();
            assertTrue(observations > 100, "the estimates observed in the histogram: " + observations);
            subscriberSocket.close();
            receiver.join(5000);
        }
    }

    private static void connect(MediaLoop loop, Endpoint e, DatagramChannel socket, byte[] keys) throws Exception {
        InetSocketAddress to = (InetSocketAddress) socket.getLocalAddress();
        loop.submit(() -> {
            e.transport().connectWithKeys(PROFILE, keys, to);
            return null;
        }).get(2, TimeUnit.SECONDS);
    }

    /** Waits until the server has read every feedback the subscriber sent so far; returns the estimate then. */
    private long settled(MediaLoop loop, Endpoint subscriber) throws Exception {
        long sent = feedbackSent.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            long read = loop.submit(() -> subscriber.transport().bandwidthEstimator().feedbackCount()).get();
            if (read >= sent) return subscriber.availableBitrate();
            LockSupport.parkNanos(1_000_000);
        }
        throw new AssertionError("the server read fewer feedback packets than the subscriber sent: " + sent);
    }

    /** The subscriber: decrypts, notes each packet's transport-wide number and arrival, sends feedback every 50 ms. */
    private void answer(DatagramChannel socket, MediaLoop loop, byte[] keys) {
        SrtpContext[] srtp = SrtpContext.fromKeyingMaterial(PROFILE, keys, false);
        SrtpContext in = srtp[0];
        SrtpContext out = srtp[1];
        TransportCcFeedbackBuilder feedback = new TransportCcFeedbackBuilder();
        ByteBuffer buf = ByteBuffer.allocate(2048);
        byte[] rtcp = new byte[1500];
        Random random = new Random(9);
        long start = System.nanoTime();
        long lastFeedback = start;
        long extraDelayMicros = 0;
        long lastArrival = start;
        int count = 0;
        feedback.reset(0x7777, 0x5000, count);
        try {
            while (true) {
                buf.clear();
                socket.receive(buf);
                long now = System.nanoTime();
                byte[] b = buf.array();
                int clear = in.unprotectRtp(b, 0, buf.position());
                if (clear < 0) continue;
                int seq = RtpHeaderExtensions.transportWideSequence(b, 0, clear, TRANSPORT_CC_ID);
                if (seq < 0) {
                    unnumbered.incrementAndGet();
                    continue;
                }
                extraDelayMicros += delayGrowthMicrosPerSecond * (now - lastArrival) / 1_000_000_000L;
                lastArrival = now;
                if (random.nextDouble() >= lossRate) {
                    long arrivalMicros = (now - start) / 1000 + extraDelayMicros;
                    if (!feedback.add(seq, arrivalMicros)) {
                        send(socket, loop, out, feedback, rtcp);
                        feedback.reset(0x7777, 0x5000, ++count);
                        feedback.add(seq, arrivalMicros);
                    }
                }
                if (now - lastFeedback >= 50_000_000L && !feedback.isEmpty()) {
                    lastFeedback = now;
                    send(socket, loop, out, feedback, rtcp);
                    feedback.reset(0x7777, 0x5000, ++count);
                }
            }
        } catch (ClosedChannelException e) {
            // the test is over
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void send(DatagramChannel socket, MediaLoop loop, SrtpContext out, TransportCcFeedbackBuilder feedback,
                      byte[] rtcp) throws Exception {
        int n = feedback.write(rtcp, 0);
        n = out.protectRtcp(rtcp, 0, n);
        socket.send(ByteBuffer.wrap(rtcp, 0, n), loop.localAddress());
        feedbackSent.incrementAndGet();
    }

    /** Sends 2 Mbps of RTP, a packet every 5 ms on a steady schedule. */
    private static final class Publisher {
        private final DatagramChannel socket;
        private final SrtpContext out;
        private final Endpoint subscriber;
        private final byte[] buf = new byte[MediaLoop.BUFFER_SIZE];
        private int sequence;
        private long next = System.nanoTime();

        Publisher(DatagramChannel socket, SrtpContext out, Endpoint subscriber) {
            this.socket = socket;
            this.out = out;
            this.subscriber = subscriber;
        }

        /** Sends for a while; returns the highest estimate the subscriber had meanwhile. */
        long send(long forNanos) throws Exception {
            long highest = 0;
            long end = System.nanoTime() + forNanos;
            next = Math.max(next, System.nanoTime());
            while (next < end) {
                long wait = next - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                int seq = sequence++;
                int len = RtpPacket.writeHeader(buf, 0, false, 96, seq & 0xFFFF, seq * 450L, PUBLISHED_SSRC);
                len += PAYLOAD;
                len = out.protectRtp(buf, 0, len);
                socket.write(ByteBuffer.wrap(buf, 0, len));
                next += INTERVAL_NANOS;
                highest = Math.max(highest, subscriber.availableBitrate());
            }
            return highest;
        }
    }
}
