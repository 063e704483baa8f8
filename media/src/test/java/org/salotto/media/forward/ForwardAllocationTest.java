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
 * after a warm-up; one allocation per packet would be at least 320 KB.
 */
class ForwardAllocationTest {
    private static final int SUBSCRIBERS = 10;
    private static final int PACKETS = 20_000;
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;

    @Test
    void theBatchedForwardPathAllocatesNothingPerPacket() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        MediaCounters counters = new MediaCounters();
        List<DatagramChannel> sinks = new ArrayList<>();
        List<Endpoint> subscribers = new ArrayList<>();
        try (MediaLoop loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), counters, UdpIo.NATIVE);
             DatagramChannel publisherSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            var control = Executors.newVirtualThreadPerTaskExecutor();
            DtlsIdentity identity = DtlsIdentity.generate();
            TransportListener quiet = new TransportListener() {
                @Override public void onConnected(WebRtcTransport t) { }
                @Override public void onClosed(WebRtcTransport t, String reason) { }
            };
            byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
            new java.util.Random(7).nextBytes(keys);
            SrtpContext publisherOut = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[1];

            RtpCodec opus = new RtpCodec("audio/opus", 111, 48000, 2, "", List.of("transport-cc"), -1);
            TrackParameters published = new TrackParameters("1", MediaKind.AUDIO, "mic", List.of(opus),
                    List.of(new RtpHeaderExtension(RtpHeaderExtension.TRANSPORT_CC, 3),
                            new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, 1)),
                    List.of(new RtpEncoding(0x11111111, 0)));
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
                List<RtpHeaderExtension> extensions = i % 2 == 0 ? List.of()
                        : List.of(new RtpHeaderExtension(RtpHeaderExtension.TRANSPORT_CC, i % 4 == 1 ? 3 : 5));
                TrackParameters consumed = new TrackParameters("0", MediaKind.AUDIO, "mic", List.of(opus), extensions,
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
            send(publisherSocket, publisherOut, buf, sequence, 2 * PACKETS, 4, counters);
            producer.audioLevels().take(); // the meter is read between rounds, as the room's detector does
            long sender = threadNamed("media-send");
            long before = loop.submit(mx::getCurrentThreadAllocatedBytes).get() + mx.getThreadAllocatedBytes(sender);
            send(publisherSocket, publisherOut, buf, sequence, PACKETS, 32, counters);
            long after = loop.submit(mx::getCurrentThreadAllocatedBytes).get() + mx.getThreadAllocatedBytes(sender);
            assertEquals(3L * PACKETS * SUBSCRIBERS, counters.rtpForwarded(), "every packet forwarded to everyone");
            long numbered = loop.submit(() -> subscribers.stream().map(e -> e.transport().bandwidthEstimator())
                    .filter(java.util.Objects::nonNull).mapToLong(b -> b.history().recorded()).sum()).get();
            assertEquals(3L * PACKETS * SUBSCRIBERS / 2, numbered, "every packet to a transport-cc subscriber numbered");
            long levels = producer.audioLevels().take();
            assertEquals(Math.min(PACKETS, AudioLevelMeter.MAX_PACKETS), AudioLevelMeter.packets(levels),
                    "every packet's audio level read, up to the cap of an untaken meter");
            assertEquals(0, producer.audioLevels().missing(), "no packet without its level");
            long allocated = after - before;
            assertTrue(allocated < PACKETS, allocated + " bytes allocated by the loop and its sender for " + PACKETS
                    + " packets");
        } finally {
            for (DatagramChannel s : sinks) s.close();
        }
    }

    private static long threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
                .mapToLong(Thread::threadId).findFirst().orElseThrow(() -> new AssertionError("no thread " + name));
    }

    /** Sends n packets in bursts (so that the loop reads them in batches), each once the last was read. */
    private static void send(DatagramChannel socket, SrtpContext out, byte[] buf, int[] sequence, int n, int burst,
                             MediaCounters counters) throws Exception {
        ByteBuffer view = ByteBuffer.wrap(buf);
        for (int sent = 0; sent < n; ) {
            long target = counters.datagramsIn();
            for (int k = 0; k < burst && sent < n; k++, sent++) {
                int seq = sequence[0]++;
                int len = RtpPacket.writeHeader(buf, 0, false, 111, seq & 0xFFFF, seq * 960L, 0x11111111);
                buf[0] |= 0x10; // one-byte header extension: audio level (V, -30 dBov), id 1; transport-cc, id 3
                byte[] ext = {(byte) 0xBE, (byte) 0xDE, 0, 2, 0x10, (byte) 0x9E, 0x31, (byte) (seq >>> 8), (byte) seq,
                        0, 0, 0};
                System.arraycopy(ext, 0, buf, len, ext.length);
                len += ext.length + 100; // an Opus-sized payload
                len = out.protectRtp(buf, 0, len);
                view.clear().limit(len);
                socket.write(view);
                target++;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (counters.datagramsIn() < target && System.nanoTime() < deadline) Thread.onSpinWait();
        }
    }
}
