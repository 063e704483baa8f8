package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.salotto.media.dtls.DtlsIdentity;
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
import org.salotto.media.transport.UdpIo;
import org.salotto.media.transport.WebRtcTransport;

/**
 * The batched socket path allocates nothing per packet: SRTP packets from a publisher arrive on the loop's real socket
 * (recvmmsg), are demultiplexed, unprotected, forwarded to ten subscribers, protected and sent (sendmmsg, on the
 * port's sender thread), with the loop's timers running meanwhile. Counts the bytes the loop and sender threads allocate over 20,000 packets in (200,000 out)
 * after a warm-up; one allocation per packet would be at least 320 KB. The repair path likewise: a video stream with
 * NACK and RTX from which every 50th packet is left out and sent again as RTX after the next one (a gap marked, then
 * filled by an unwrapped retransmission forwarded as the original), with the NACK generator's tick running. The audio
 * comes as RED (RFC 2198): checked once as it arrives, forwarded whole to the subscribers that negotiated it, and cut
 * to its primary block in the send buffer for the others.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ForwardAllocationTest {
    private static final int SUBSCRIBERS = 10;
    private static final int PACKETS = 20_000;
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    private static int transportSequence;
    /** Whether the audio goes as RED (RFC 2198, PT 63 around Opus 111), as Chromium sends it when RED is negotiated. */
    private static boolean red;

    @Test
    @org.junit.jupiter.api.Order(1)
    void theBatchedForwardPathAllocatesNothingPerPacket() throws Exception {
        run(false);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theRepairPathAllocatesNothingPerPacket() throws Exception {
        run(true);
    }

    private static void run(boolean repair) throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        MediaCounters counters = new MediaCounters();
        List<DatagramChannel> sinks = new ArrayList<>();
        List<Endpoint> subscribers = new ArrayList<>();
        try (MediaLoop loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), counters, UdpIo.NATIVE);
             DatagramChannel publisherSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            // The test sends as fast as the loop takes packets, far above any downlink estimate (no feedback comes:
            // 1 Mbit/s): paced at 2.5 times that, most of the video would wait and be dropped. A pacing factor that
            // never binds keeps every packet on the pacer's path (the budget, the check of its queue) without
            // holding any; the queue itself is measured by PacerTest.
            loop.setPacerSettings(new org.salotto.media.pacer.PacerSettings(10_000, 256));
            var control = Executors.newVirtualThreadPerTaskExecutor();
            DtlsIdentity identity = DtlsIdentity.generate();
            TransportListener quiet = new TransportListener() {
                @Override public void onConnected(WebRtcTransport t) { }
                @Override public void onClosed(WebRtcTransport t, String reason) { }
            };
            byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
            new java.util.Random(7).nextBytes(keys);
            SrtpContext publisherOut = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[1];

            RtpCodec opus = repair
                    ? new RtpCodec("video/VP8", 111, 90000, 0, "", List.of("nack", "transport-cc"), 112)
                    : new RtpCodec("audio/opus", 111, 48000, 2, "", List.of("transport-cc"), -1);
            MediaKind kind = repair ? MediaKind.VIDEO : MediaKind.AUDIO;
            List<RtpHeaderExtension> extensions = repair
                    ? List.of(new RtpHeaderExtension(RtpHeaderExtension.TRANSPORT_CC, 3))
                    : List.of(new RtpHeaderExtension(RtpHeaderExtension.TRANSPORT_CC, 3),
                            new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, 1));
            // The audio comes as RED: a third of the subscribers did not negotiate it and get its primary block.
            red = !repair;
            RtpCodec redCodec = new RtpCodec(RtpCodec.RED, 63, 48000, 2, "111/111", List.of(), -1);
            List<RtpCodec> publishedCodecs = repair ? List.of(opus) : List.of(opus, redCodec);
            TrackParameters published = new TrackParameters("1", kind, "mic", publishedCodecs, extensions,
                    List.of(new RtpEncoding(0x11111111, repair ? 0x22222222 : 0)));
            Endpoint publisher = new Endpoint(WebRtcTransport.create("pub", loop, identity, control, quiet));
            Producer producer = publisher.produce("track", published);
            InetSocketAddress publisherAddress = (InetSocketAddress) publisherSocket.getLocalAddress();
            loop.submit(() -> {
                publisher.transport().connectWithKeys(PROFILE, keys, publisherAddress);
                return null;
            }).get();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                Endpoint sub = new Endpoint(WebRtcTransport.create("sub" + i, loop, identity, control, quiet));
                subscribers.add(sub);
                // Half the subscribers negotiate transport-cc (the other id, 5, for some): their transport numbers
                // every packet and keeps it in its send history, on the same path.
                List<RtpHeaderExtension> subscriberExtensions = i % 2 == 0 ? List.of()
                        : List.of(new RtpHeaderExtension(RtpHeaderExtension.TRANSPORT_CC, i % 4 == 1 ? 3 : 5));
                TrackParameters consumed = new TrackParameters("0", kind, "mic",
                        i % 3 == 0 ? List.of(opus) : publishedCodecs, subscriberExtensions,
                        List.of(new RtpEncoding(0x33330000 + i, 0)));
                sub.consume("c" + i, producer, consumed);
                DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                sinks.add(sink);
                InetSocketAddress to = (InetSocketAddress) sink.getLocalAddress();
                loop.submit(() -> {
                    sub.transport().connectWithKeys(PROFILE, keys, to);
                    return null;
                }).get();
            }
            publisherSocket.connect(loop.localAddress());

            byte[] buf = new byte[MediaLoop.BUFFER_SIZE];
            int[] sequence = {0};
            // Warm-up: let C2 compile the whole path, the loop's wait included (a downcall allocates until compiled),
            // so in small bursts: many passes of the loop. Then measure.
            send(publisherSocket, publisherOut, buf, sequence, 2 * PACKETS, 4, counters, repair);
            long sender = threadNamed("media-send");
            // Up to eight measured rounds: a compilation the warm-up did not finish (a busy machine leaves C2 little
            // CPU; in one CI run with other work beside it, three rounds were not enough) costs some KB to a MB in the
            // rounds before it lands; an allocation per packet costs at least 20 KB in every round, the last included.
            long allocated = Long.MAX_VALUE;
            long levels = 0;
            List<Long> rounds = new ArrayList<>();
            for (int round = 0; round < 8 && allocated >= PACKETS; round++) {
                if (!repair) producer.audioLevels().take(); // the meter is read between rounds, as the room's detector does
                long before = loop.submit(mx::getCurrentThreadAllocatedBytes).get() + mx.getThreadAllocatedBytes(sender);
                send(publisherSocket, publisherOut, buf, sequence, PACKETS, 32, counters, repair);
                long after = loop.submit(mx::getCurrentThreadAllocatedBytes).get() + mx.getThreadAllocatedBytes(sender);
                allocated = after - before;
                rounds.add(allocated);
                if (!repair) levels = producer.audioLevels().take();
            }
            long sent = sequence[0];
            assertEquals(sent * SUBSCRIBERS, counters.rtpForwarded(), "every packet forwarded to everyone");
            if (repair) assertEquals(sent / 50, counters.rtxRecovered(), "every packet left out recovered");
            long numbered = loop.submit(() -> subscribers.stream().map(e -> e.transport().bandwidthEstimator())
                    .filter(java.util.Objects::nonNull).mapToLong(b -> b.history().recorded()).sum()).get();
            assertEquals(sent * SUBSCRIBERS / 2, numbered, "every packet to a transport-cc subscriber numbered");
            if (!repair) {
                assertEquals(Math.min(PACKETS, AudioLevelMeter.MAX_PACKETS), AudioLevelMeter.packets(levels),
                        "every packet's audio level read, up to the cap of an untaken meter");
                assertEquals(0, producer.audioLevels().missing(), "no packet without its level");
            }
            assertTrue(allocated < PACKETS, allocated + " bytes allocated by the loop and its sender for " + PACKETS
                    + " packets (by round: " + rounds + ")");
        } finally {
            for (DatagramChannel s : sinks) s.close();
        }
    }

    /**
     * The same for a simulcast camera: three VP8 layers named by rid (their SSRCs learnt in the warm-up), ten
     * subscribers choosing layers by tile size (small, medium, large), keyframes every 30 frames on every layer so that
     * the producer reads keyframe sizes while measured (the layers chosen do not change then: switches are
     * SimulcastForwardTest's).
     */
    @Test
    void theSimulcastForwardPathAllocatesNothingPerPacket() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        MediaCounters counters = new MediaCounters();
        List<DatagramChannel> sinks = new ArrayList<>();
        try (MediaLoop loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), counters, UdpIo.NATIVE);
             DatagramChannel publisherSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            // The test sends as fast as the loop takes packets, far above any downlink estimate (no feedback comes:
            // 1 Mbit/s): paced at 2.5 times that, most of the video would wait and be dropped. A pacing factor that
            // never binds keeps every packet on the pacer's path (the budget, the check of its queue) without
            // holding any; the queue itself is measured by PacerTest.
            loop.setPacerSettings(new org.salotto.media.pacer.PacerSettings(10_000, 256));
            var control = Executors.newVirtualThreadPerTaskExecutor();
            DtlsIdentity identity = DtlsIdentity.generate();
            TransportListener quiet = new TransportListener() {
                @Override public void onConnected(WebRtcTransport t) { }
                @Override public void onClosed(WebRtcTransport t, String reason) { }
            };
            byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
            new java.util.Random(7).nextBytes(keys);
            SrtpContext publisherOut = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[1];

            RtpCodec vp8 = new RtpCodec("video/VP8", 96, 90000, 1, "", List.of("nack", "nack pli"), -1);
            TrackParameters published = new TrackParameters("1", MediaKind.VIDEO, "camera", List.of(vp8),
                    List.of(new RtpHeaderExtension(RtpHeaderExtension.RID, 10)),
                    List.of(RtpEncoding.ofRid("q"), RtpEncoding.ofRid("h"), RtpEncoding.ofRid("f")));
            Endpoint publisher = new Endpoint(WebRtcTransport.create("pub", loop, identity, control, quiet));
            Producer producer = publisher.produce("track", published);
            InetSocketAddress publisherAddress = (InetSocketAddress) publisherSocket.getLocalAddress();
            loop.submit(() -> {
                publisher.transport().connectWithKeys(PROFILE, keys, publisherAddress);
                return null;
            }).get();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                Endpoint sub = new Endpoint(WebRtcTransport.create("sub" + i, loop, identity, control, quiet));
                TrackParameters consumed = new TrackParameters("0", MediaKind.VIDEO, "camera", List.of(vp8), List.of(),
                        List.of(new RtpEncoding(0x33330000 + i, 0)));
                Consumer c = sub.consume("c" + i, producer, consumed);
                c.setPreferredSize(320 << (i % 3), 180 << (i % 3));
                DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                sinks.add(sink);
                InetSocketAddress to = (InetSocketAddress) sink.getLocalAddress();
                loop.submit(() -> {
                    sub.transport().connectWithKeys(PROFILE, keys, to);
                    return null;
                }).get();
            }
            publisherSocket.connect(loop.localAddress());

            byte[] buf = new byte[MediaLoop.BUFFER_SIZE];
            int[] sequence = {0};
            sendLayers(publisherSocket, publisherOut, buf, sequence, 2 * PACKETS, 6, counters);
            // The warm-up in the measured burst size too: the switches and keyframe paths compile late otherwise.
            sendLayers(publisherSocket, publisherOut, buf, sequence, PACKETS, 30, counters);
            long forwardedBefore = counters.rtpForwarded();
            long sender = threadNamed("media-send");
            long before = loop.submit(mx::getCurrentThreadAllocatedBytes).get() + mx.getThreadAllocatedBytes(sender);
            sendLayers(publisherSocket, publisherOut, buf, sequence, PACKETS, 30, counters);
            long after = loop.submit(mx::getCurrentThreadAllocatedBytes).get() + mx.getThreadAllocatedBytes(sender);
            // Each subscriber gets one layer of three: about a third of what comes in, times ten.
            long forwarded = counters.rtpForwarded() - forwardedBefore;
            assertTrue(forwarded > PACKETS * SUBSCRIBERS / 3 * 9 / 10, forwarded + " forwarded");
            long allocated = after - before;
            assertTrue(allocated < PACKETS, allocated + " bytes allocated by the loop and its sender for " + PACKETS
                    + " simulcast packets");
        } finally {
            for (DatagramChannel s : sinks) s.close();
        }
    }

    /** Sends n packets, a frame being one packet on each of q, h and f; a keyframe on every layer each 30th frame. */
    private static void sendLayers(DatagramChannel socket, SrtpContext out, byte[] buf, int[] sequence, int n, int burst,
                                   MediaCounters counters) throws Exception {
        ByteBuffer view = ByteBuffer.wrap(buf);
        int[][] sizes = {{320, 180}, {640, 360}, {1280, 720}};
        for (int sent = 0; sent < n; ) {
            long target = counters.datagramsIn();
            for (int k = 0; k < burst && sent < n; k++, sent++) {
                int packet = sequence[0]++;
                int layer = packet % 3;
                int frame = packet / 3;
                int len = RtpPacket.writeHeader(buf, 0, true, 96, frame & 0xFFFF, frame * 3000L, 0x11110000 + layer);
                buf[0] |= 0x10;
                byte[] ext = {(byte) 0xBE, (byte) 0xDE, 0, 1, (byte) 0xA0, (byte) "qhf".charAt(layer), 0, 0};
                System.arraycopy(ext, 0, buf, len, ext.length);
                len += ext.length;
                buf[len++] = 0x10; // VP8 descriptor: start of partition 0
                if (frame % 30 == 0) {
                    byte[] key = {0, 0, 0, (byte) 0x9d, 0x01, 0x2a, (byte) sizes[layer][0], (byte) (sizes[layer][0] >> 8),
                            (byte) sizes[layer][1], (byte) (sizes[layer][1] >> 8)};
                    System.arraycopy(key, 0, buf, len, key.length);
                    len += key.length;
                } else {
                    buf[len++] = 0x01;
                }
                len += 800; // a video-sized payload
                len = out.protectRtp(buf, 0, len);
                view.clear().limit(len);
                socket.write(view);
                target++;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (counters.datagramsIn() < target && System.nanoTime() < deadline) Thread.onSpinWait();
        }
    }

    private static long threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
                .mapToLong(Thread::threadId).findFirst().orElseThrow(() -> new AssertionError("no thread " + name));
    }

    /**
     * Sends n packets in bursts (so that the loop reads them in batches), each once the last was read. With
     * {@code repair}, every 50th is left out and sent as RTX (on SSRC 0x22222222, PT 112) after the next one.
     */
    private static void send(DatagramChannel socket, SrtpContext out, byte[] buf, int[] sequence, int n, int burst,
                             MediaCounters counters, boolean repair) throws Exception {
        ByteBuffer view = ByteBuffer.wrap(buf);
        for (int sent = 0; sent < n; ) {
            long target = counters.datagramsIn();
            for (int k = 0; k < burst && sent < n; k++, sent++) {
                int seq = sequence[0]++;
                if (repair && seq % 50 == 7) continue; // left out: goes as RTX after the next one
                packet(socket, out, buf, view, seq, false);
                target++;
                if (repair && seq % 50 == 8) {
                    packet(socket, out, buf, view, seq - 1, true);
                    target++;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (counters.datagramsIn() < target && System.nanoTime() < deadline) Thread.onSpinWait();
        }
    }

    private static void packet(DatagramChannel socket, SrtpContext out, byte[] buf, ByteBuffer view, int seq, boolean rtx)
            throws Exception {
        int len = rtx
                ? RtpPacket.writeHeader(buf, 0, false, 112, seq & 0xFFFF, seq * 960L, 0x22222222)
                : RtpPacket.writeHeader(buf, 0, false, red ? 63 : 111, seq & 0xFFFF, seq * 960L, 0x11111111);
        buf[0] |= 0x10; // one-byte header extension: audio level (V, -30 dBov), id 1; transport-cc, id 3
        int wide = transportSequence++; // the RTX has its own transport-wide number, as a browser's
        byte[] ext = {(byte) 0xBE, (byte) 0xDE, 0, 2, 0x10, (byte) 0x9E, 0x31, (byte) (wide >>> 8), (byte) wide, 0, 0, 0};
        System.arraycopy(ext, 0, buf, len, ext.length);
        len += ext.length;
        if (rtx) { // the original sequence number in front of the payload (RFC 4588)
            buf[len++] = (byte) (seq >>> 8);
            buf[len++] = (byte) seq;
        }
        if (red && !rtx) { // one redundant block of 40 bytes, 20 ms old, then the primary's header
            byte[] headers = {(byte) 0xEF, 0x0F, 0x00, 40, 0x6F};
            System.arraycopy(headers, 0, buf, len, headers.length);
        }
        len += 100; // an Opus-sized payload
        len = out.protectRtp(buf, 0, len);
        view.clear().limit(len);
        socket.write(view);
    }
}
