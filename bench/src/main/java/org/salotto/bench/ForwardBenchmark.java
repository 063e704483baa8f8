package org.salotto.bench;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.salotto.media.forward.Endpoint;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.WebRtcTransport;

/**
 * The forward path end to end, on the media loop thread: one SRTP video packet from a publisher is demultiplexed,
 * unprotected, recorded for transport-cc and NACK, then rewritten, numbered for the subscriber's transport-cc (when
 * {@link #transportCc}), protected and sent over a real UDP socket to N subscribers. Each invocation runs
 * {@link #BATCH} packets inside one loop task, so the handoff is not measured.
 *
 * <p>The publisher's own protection of each packet (done here, since SRTP refuses replays) is measured alone by
 * {@link #publisherProtectOnly}; subtract it to get the server's cost: (forward - protectOnly) / subscribers is the
 * server's CPU per packet sent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseZGC", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class ForwardBenchmark {
    static final int BATCH = 1000;
    static final int PAYLOAD = 1100;

    @Param({"1", "10", "100"})
    public int subscribers;

    @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
    public SrtpProfile profile;

    /**
     * true: the publisher sends three simulcast layers named by rid (q, h, f in turn, a VP8 keyframe on each every 30
     * frames) and the subscribers show it at three sizes, a third on each layer: each incoming packet goes to about a
     * third of them.
     */
    @Param({"false", "true"})
    public boolean simulcast;

    /**
     * Whether the publisher's codec negotiated {@code nack}, so that each packet also goes through the NACK generator
     * (gap detection; no packet is lost here). {@code -p nack=true,false} measures what repair on the way in costs.
     */
    @Param({"true"})
    public boolean nack;

    /** Whether subscribers negotiate transport-cc: then each packet is numbered and kept in the send history. */
    @Param({"true", "false"})
    public boolean transportCc;

    private MediaLoop loop;
    private final List<DatagramChannel> sinks = new ArrayList<>();
    private MediaCounters counters;
    private SrtpContext publisherOut;
    private final byte[] packet = new byte[MediaLoop.BUFFER_SIZE];
    private final byte[] wire = new byte[MediaLoop.BUFFER_SIZE];
    private int sequence;
    private InetSocketAddress publisherAddress;
    private final List<Endpoint> endpoints = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        counters = new MediaCounters();
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), counters);
        // Each invocation sends 1,000 packets at once, far above any subscriber's estimate (no feedback comes): at
        // the default factor the pacer would hold and drop most of them. A factor that never binds measures what
        // every packet pays for the pacer (its budget, the check of its queue); PacerBenchmark measures the queue.
        loop.setPacerSettings(new org.salotto.media.pacer.PacerSettings(10_000, 256));
        var control = Executors.newVirtualThreadPerTaskExecutor();
        var identity = org.salotto.media.dtls.DtlsIdentity.generate();
        TransportListener quiet = new TransportListener() {
            @Override public void onConnected(WebRtcTransport t) { }
            @Override public void onClosed(WebRtcTransport t, String reason) { }
        };
        byte[] keys = new byte[2 * (profile.keyLength() + profile.saltLength())];
        new java.util.Random(1).nextBytes(keys);
        publisherOut = SrtpContext.fromKeyingMaterial(profile, keys, false)[1];

        RtpCodec vp8In = new RtpCodec("video/VP8", 96, 90000, 1, "",
                nack ? List.of("nack", "nack pli", "transport-cc") : List.of("nack pli", "transport-cc"), 97);
        TrackParameters published = new TrackParameters("1", MediaKind.VIDEO, "camera", List.of(vp8In),
                List.of(new RtpHeaderExtension(RtpHeaderExtension.ABS_SEND_TIME, 2),
                        new RtpHeaderExtension(RtpHeaderExtension.TRANSPORT_CC, 3),
                        new RtpHeaderExtension(RtpHeaderExtension.RID, 4)),
                simulcast ? List.of(RtpEncoding.ofRid("q"), RtpEncoding.ofRid("h"), RtpEncoding.ofRid("f"))
                        : List.of(new RtpEncoding(0x11111111, 0x22222222)));
        Endpoint publisher = new Endpoint(WebRtcTransport.create("pub", loop, identity, control, quiet));
        endpoints.add(publisher);
        publisherAddress = new InetSocketAddress("127.0.0.2", 40000);
        var producer = publisher.produce("track", published);
        loop.submit(() -> {
            publisher.transport().connectWithKeys(profile, keys, publisherAddress);
            return null;
        }).get();

        RtpCodec vp8Out = new RtpCodec("video/VP8", 96, 90000, 1, "", List.of("nack", "nack pli", "ccm fir"), 97);
        for (int i = 0; i < subscribers; i++) {
            Endpoint sub = new Endpoint(WebRtcTransport.create("sub" + i, loop, identity, control, quiet));
            endpoints.add(sub);
            TrackParameters consumed = new TrackParameters("0", MediaKind.VIDEO, "camera", List.of(vp8Out),
                    transportCc ? List.of(new RtpHeaderExtension(RtpHeaderExtension.ABS_SEND_TIME, 2),
                            new RtpHeaderExtension(RtpHeaderExtension.TRANSPORT_CC, 3))
                            : List.of(new RtpHeaderExtension(RtpHeaderExtension.ABS_SEND_TIME, 2)),
                    List.of(new RtpEncoding(0x33330000 + i, 0x44440000 + i)));
            var consumer = sub.consume("c" + i, producer, consumed);
            if (simulcast) consumer.setPreferredSize(320 << (i % 3), 180 << (i % 3));
            // Each subscriber is its own address, as in life; nobody reads the sinks, the kernel drops what overflows.
            DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            sinks.add(sink);
            InetSocketAddress to = (InetSocketAddress) sink.getLocalAddress();
            loop.submit(() -> {
                sub.transport().connectWithKeys(profile, keys, to);
                return null;
            }).get();
        }
        // The clear packet: 12-byte header, one-byte extensions abs-send-time and transport-cc (and the RID with
        // simulcast), VP8-sized payload.
        int n = RtpPacket.writeHeader(packet, 0, false, 96, 0, 0, 0x11111111);
        packet[0] |= 0x10;
        byte[] ext = simulcast
                ? new byte[] {(byte) 0xBE, (byte) 0xDE, 0, 3, 0x22, 1, 2, 3, 0x31, 0, 0, 0x40, 'q', 0, 0, 0}
                : new byte[] {(byte) 0xBE, (byte) 0xDE, 0, 2, 0x22, 1, 2, 3, 0x31, 0, 0, 0};
        System.arraycopy(ext, 0, packet, n, ext.length);
        headerLength = n + ext.length;
        transportCcAt = n + 9;
        loop.submit(() -> null).get();
        loopCpuStart = loop.submit(ForwardBenchmark::threadCpuNanos).get();
    }

    private int headerLength;
    private int transportCcAt;
    private long loopCpuStart;

    /**
     * CPU time, user and system, of the media threads (the loop and, on Linux, its sender): what forwarding costs,
     * whatever else runs on the machine.
     */
    private static long threadCpuNanos() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("media-loop") || t.getName().equals("media-send")) sum += mx.getThreadCpuTime(t.threadId());
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        // A figure is only worth something if the packets really went out: say how many did.
        System.err.printf("%n[forward] packets in %d, forwarded %d (%.2f per packet), drops %s%n", sequence,
                counters.rtpForwarded(), counters.rtpForwarded() / (double) Math.max(1, sequence), counters.totalDrops());
        // Wall time suffers on a shared machine; the media threads' CPU time (user + system) per datagram sent does not
        // as much. It includes the publisher's protect (1/N of a packet sent) and the warm-up.
        long cpu = loop.submit(ForwardBenchmark::threadCpuNanos).get() - loopCpuStart;
        if (counters.datagramsOut() > 0) {
            System.err.printf("[forward] media threads' CPU per datagram sent: %.0f ns (%d datagrams)%n",
                    cpu / (double) counters.datagramsOut(), counters.datagramsOut());
        }
        loop.close();
        for (DatagramChannel sink : sinks) sink.close();
    }

    private int nextPacket() {
        sequence++;
        int frame = simulcast ? sequence / 3 : sequence;
        RtpPacket.setSequenceNumber(packet, 0, frame & 0xFFFF);
        RtpPacket.setTimestamp(packet, 0, frame * 3000L);
        packet[transportCcAt] = (byte) (sequence >>> 8);
        packet[transportCcAt + 1] = (byte) sequence;
        if (simulcast) {
            int layer = sequence % 3;
            RtpPacket.setSsrc(packet, 0, 0x11111111 + layer);
            packet[headerLength - 4] = (byte) "qhf".charAt(layer);
            int p = headerLength;
            packet[p] = 0x10; // VP8 descriptor: start of partition 0
            if (frame % 30 == 0) { // a keyframe: frame tag, start code, size
                int w = 320 << layer;
                int h = 180 << layer;
                byte[] key = {0, 0, 0, (byte) 0x9d, 0x01, 0x2a, (byte) w, (byte) (w >> 8), (byte) h, (byte) (h >> 8)};
                System.arraycopy(key, 0, packet, p + 1, key.length);
            } else {
                packet[p + 1] = 0x01;
            }
        }
        System.arraycopy(packet, 0, wire, 0, headerLength + PAYLOAD);
        return publisherOut.protectRtp(wire, 0, headerLength + PAYLOAD);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object forward() throws Exception {
        return loop.submit(() -> {
            for (int i = 0; i < BATCH; i++) {
                int len = nextPacket();
                loop.receive(wire, len, publisherAddress);
            }
            return sequence;
        }).get();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object publisherProtectOnly() throws Exception {
        return loop.submit(() -> {
            int sum = 0;
            for (int i = 0; i < BATCH; i++) sum += nextPacket();
            return sum;
        }).get();
    }
}
