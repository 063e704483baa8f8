package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.forward.Endpoint;
import org.salotto.media.forward.Producer;
import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.srtp.SrtpContext;
import org.salotto.media.srtp.SrtpProfile;
import org.salotto.media.stun.StunMessageType;

/**
 * The ICE-TCP path allocates nothing per packet: a publisher and four subscribers each on their own TCP connection
 * (bound by a real ICE check over it, then keyed without DTLS), 10,000 SRTP packets in over TCP, 40,000 out over TCP,
 * counting what the {@code media-tcp} thread (accept, read, frame, ring) and the loop (demultiplex, forward, frame
 * into the connections' buffers, write) allocate after a warm-up. One allocation per packet would be over 160 KB.
 *
 * <p>The loop runs on the NIO UDP port here: every burst wakes the loop, and each pass also asks the UDP socket for
 * datagrams; the native port's {@code recvmmsg} downcall allocates a memory segment per call in some JIT states (seen
 * in about one run of three: ~80 bytes a pass, in {@code SharedUtils.checkCaptureSegment}), which is the UDP port's
 * matter ({@code ForwardAllocationTest} measures it) and would hide what this test is about. Measured: 24 bytes (the
 * measuring task itself) in five runs of five.
 */
class IceTcpAllocationTest {
    private static final int SUBSCRIBERS = 4;
    private static final int PACKETS = 10_000;
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    private static final IceParameters CLIENT_ICE = new IceParameters("cli1", "clientpasswordclientpassword");

    @Test
    void theTcpPathAllocatesNothingPerPacket() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        MediaCounters counters = new MediaCounters();
        List<FramedTcpClient> clients = new ArrayList<>();
        var control = Executors.newVirtualThreadPerTaskExecutor();
        try (MediaLoop loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), counters, UdpIo.NIO)) {
            InetSocketAddress tcp = loop.openTcp(TcpSettings.on(new InetSocketAddress("127.0.0.1", 0)));
            DtlsIdentity identity = DtlsIdentity.generate();
            TransportListener quiet = new TransportListener() {
                @Override public void onConnected(WebRtcTransport t) { }
                @Override public void onClosed(WebRtcTransport t, String reason) { }
            };
            byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
            new java.util.Random(7).nextBytes(keys);
            SrtpContext publisherOut = SrtpContext.fromKeyingMaterial(PROFILE, keys, false)[1];
            RtpCodec opus = new RtpCodec("audio/opus", 111, 48000, 2, "", List.of(), -1);

            Endpoint publisher = new Endpoint(WebRtcTransport.create("pub", loop, identity, control, quiet));
            Producer producer = publisher.produce("track", new TrackParameters("1", MediaKind.AUDIO, "mic",
                    List.of(opus), List.of(), List.of(new RtpEncoding(0x11111111, 0))));
            FramedTcpClient publisherClient = connectOverTcp(loop, tcp, publisher.transport(), keys, clients);
            for (int i = 0; i < SUBSCRIBERS; i++) {
                Endpoint sub = new Endpoint(WebRtcTransport.create("sub" + i, loop, identity, control, quiet));
                sub.consume("c" + i, producer, new TrackParameters("0", MediaKind.AUDIO, "mic", List.of(opus), List.of(),
                        List.of(new RtpEncoding(0x33330000 + i, 0))));
                connectOverTcp(loop, tcp, sub.transport(), keys, clients).discardSrtp = true;
            }
            publisherClient.discardSrtp = true;

            byte[] buf = new byte[MediaLoop.BUFFER_SIZE];
            int[] sequence = {0};
            // Warm-up: many small bursts, so that every call of the path (the wake-ups between media-tcp and the loop
            // included: a downcall allocates until it is compiled) is compiled before measuring.
            send(publisherClient, publisherOut, buf, sequence, 4 * PACKETS, 2, counters);
            long tcpThread = threadNamed("media-tcp");
            long loopBefore = loop.submit(mx::getCurrentThreadAllocatedBytes).get();
            long tcpBefore = mx.getThreadAllocatedBytes(tcpThread);
            long forwardedBefore = counters.rtpForwarded();
            send(publisherClient, publisherOut, buf, sequence, PACKETS, 16, counters);
            long loopAllocated = loop.submit(mx::getCurrentThreadAllocatedBytes).get() - loopBefore;
            long tcpAllocated = mx.getThreadAllocatedBytes(tcpThread) - tcpBefore;
            assertEquals((long) PACKETS * SUBSCRIBERS, counters.rtpForwarded() - forwardedBefore,
                    "every packet forwarded to everyone");
            assertEquals(0, counters.drops(DropReason.TCP_QUEUE_FULL) + counters.drops(DropReason.TCP_SEND_BUFFER_FULL));
            long allocated = loopAllocated + tcpAllocated;
            assertTrue(allocated < PACKETS, loopAllocated + " bytes allocated by the loop and " + tcpAllocated
                    + " by media-tcp for " + PACKETS
                    + " packets in and " + PACKETS * SUBSCRIBERS + " out over TCP");
        } finally {
            for (FramedTcpClient c : clients) c.close();
            control.close();
        }
    }

    /** A TCP connection that passes an ICE check for the transport, which is then keyed without DTLS. */
    private static FramedTcpClient connectOverTcp(MediaLoop loop, InetSocketAddress tcp, WebRtcTransport t, byte[] keys,
                                                  List<FramedTcpClient> clients) throws Exception {
        t.setRemote(CLIENT_ICE, new DtlsParameters("sha-256", "00"));
        FramedTcpClient client = new FramedTcpClient(tcp);
        clients.add(client);
        byte[] check = IceTcpTest.check(t.localIce(), new byte[12]);
        client.send(check, 0, check.length);
        byte[] answer = client.stun.poll(5, TimeUnit.SECONDS);
        assertTrue(answer != null && org.salotto.media.stun.StunMessage.parse(answer, 0, answer.length).type()
                == StunMessageType.BINDING_SUCCESS_RESPONSE);
        loop.submit(() -> {
            t.connectWithKeys(PROFILE, keys, t.selectedAddress());
            return null;
        }).get(5, TimeUnit.SECONDS);
        return client;
    }

    private static long threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name))
                .mapToLong(Thread::threadId).findFirst().orElseThrow(() -> new AssertionError("no thread " + name));
    }

    /** Sends n packets in bursts, each burst once the loop has taken the last one in. */
    private static void send(FramedTcpClient client, SrtpContext out, byte[] buf, int[] sequence, int n, int burst,
                             MediaCounters counters) throws Exception {
        for (int sent = 0; sent < n; ) {
            long target = counters.tcpFramesIn();
            java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream();
            for (int k = 0; k < burst && sent < n; k++, sent++) {
                int seq = sequence[0]++;
                int len = RtpPacket.writeHeader(buf, 0, false, 111, seq & 0xFFFF, seq * 960L, 0x11111111);
                len = out.protectRtp(buf, 0, len + 100);
                framed.write(len >>> 8);
                framed.write(len);
                framed.write(buf, 0, len);
                target++;
            }
            client.sendRaw(framed.toByteArray()); // a burst in one write: frames coalesced in TCP segments
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (counters.tcpFramesIn() < target && System.nanoTime() < deadline) Thread.onSpinWait();
        }
    }
}
