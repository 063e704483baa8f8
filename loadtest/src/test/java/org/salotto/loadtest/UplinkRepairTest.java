package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.media.rtcp.FullIntraRequest;
import org.salotto.media.rtcp.GenericNack;
import org.salotto.media.rtcp.PictureLossIndication;
import org.salotto.media.rtcp.RtcpFeedback;
import org.salotto.media.rtcp.RtcpPacket;
import org.salotto.media.rtp.Bytes;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.transport.MediaCounters;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;
import org.salotto.signaling.sdp.SdpParser;

/**
 * Repair on the way in, end to end: the real server, a live room's host and a viewer on our own ICE, DTLS and SRTP,
 * the host's offer with VP8, RTX and {@code a=ssrc-group:FID} as a browser's. Once the viewer receives, the host leaves
 * out one packet in 20 of its video (5 % loss on its uplink: the kernel here has no netem, so the loss is in the
 * sender), for 200 packets. The server's NACKs must name exactly the packets left out; the host answers each with
 * RTX (RFC 4588) once; the viewer, which never NACKs, must end up with every packet, each once.
 */
class UplinkRepairTest {
    private static final int LOSSY_PACKETS = 200;
    private static final int DROP_EVERY = 20;
    private static final int TAIL_PACKETS = 30;

    @Test
    @Timeout(90)
    void packetsLostOnTheWayInAreNackedAndTheirRtxReachesTheViewer() throws Exception {
        try (SalottoServer server = SalottoServer.start(ServerConfig.forTests());
             MediaReceiver receiver = new MediaReceiver(1, new Metrics(), false)) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            ClientIdentity identity = ClientIdentity.generate();
            LoadTestConfig config = LoadTest.parse(new String[] {"--url", server.baseUrl(), "--kind", "live",
                    "--room", "uplink-repair"});
            SalottoRoom room = SalottoRoom.create(http, config);
            Received received = new Received();
            CompletableFuture<Void> hostFailed = new CompletableFuture<>();
            try (LossyHost host = new LossyHost(http, room, receiver, identity, hostFailed);
                 Viewer viewer = new Viewer(http, room, receiver, identity, () -> { },
                         (buf, payload, end, now) -> received.add(Bytes.u16(buf, payload + 2))).join("viewer")) {
                viewer.connectedAt.get(15, TimeUnit.SECONDS);
                received.awaitAny(10_000);
                int first = host.startLoss(LOSSY_PACKETS, DROP_EVERY, TAIL_PACKETS);
                int last = host.awaitLossDone(30_000);
                Set<Integer> missing = received.awaitAll(first, last, 15_000);
                assertEquals(Set.of(), missing, "packets the viewer never received (of " + first + ".." + last + ")");
                assertEquals(LOSSY_PACKETS / DROP_EVERY, host.dropped.size());
                // Only the packets left out were asked for (a NACK may repeat one, not name another).
                assertEquals(new TreeSet<>(host.dropped), new TreeSet<>(host.nacked), "the sequence numbers NACKed");
                assertEquals(Set.of(), received.duplicates, "packets the viewer received twice");
                assertTrue(hostFailed.getNow(null) == null);
            }
            MediaCounters counters = server.media().counters();
            System.out.printf("uplink repair: NACKs sent %d naming %d sequence numbers, RTX received %d, recovered %d,"
                    + " given up %d%n", counters.nacksSent(), counters.nackedPackets(), counters.rtxReceived(),
                    counters.rtxRecovered(), counters.nackGivenUp());
            assertTrue(counters.rtxRecovered() >= LOSSY_PACKETS / DROP_EVERY, "recovered " + counters.rtxRecovered());
            assertTrue(counters.nacksSent() >= 1);
        }
    }

    /** What the viewer received, by the sequence number the host wrote into each payload. */
    private static final class Received {
        private final Set<Integer> seen = new TreeSet<>();
        final Set<Integer> duplicates = ConcurrentHashMap.newKeySet();

        synchronized void add(int seq) {
            if (!seen.add(seq)) duplicates.add(seq);
            notifyAll();
        }

        synchronized void awaitAny(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (seen.isEmpty()) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) throw new AssertionError("the viewer received nothing");
                wait(left);
            }
        }

        /** Waits until every sequence number in first..last (mod 2^16) came; returns those still missing. */
        synchronized Set<Integer> awaitAll(int first, int last, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (true) {
                Set<Integer> missing = new TreeSet<>();
                for (int s = first; s != ((last + 1) & 0xFFFF); s = (s + 1) & 0xFFFF) if (!seen.contains(s)) missing.add(s);
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (missing.isEmpty() || left <= 0) return missing;
                wait(left);
            }
        }
    }

    /**
     * The room's host: VP8 at 30 frames a second, one 1,000-byte packet a frame (three for a keyframe, sent when the
     * server asks), each payload carrying its own sequence number after the VP8 descriptor. During the lossy stretch it
     * leaves out one packet in {@code dropEvery}; it answers each sequence number a NACK names with one RTX packet, from
     * its sending thread (the SRTP context is that thread's).
     */
    private static final class LossyHost implements AutoCloseable {
        private static final int PAYLOAD_OFFSET = RtpPacket.FIXED_HEADER_LENGTH + 8;
        private final Signaling signaling;
        private final ClientConnection publisher;
        private final int ssrc = Vp8Host.ssrc();
        private final int rtxSsrc = Vp8Host.ssrc();
        private final Thread sender;
        private final byte[][] sent = new byte[65536][];
        private final ConcurrentLinkedQueue<Integer> toResend = new ConcurrentLinkedQueue<>();
        final Set<Integer> dropped = ConcurrentHashMap.newKeySet();
        final Set<Integer> nacked = ConcurrentHashMap.newKeySet();
        private final Set<Integer> answered = ConcurrentHashMap.newKeySet();
        private final CompletableFuture<Void> failed;
        private volatile boolean keyframeWanted;
        private volatile boolean sending = true;
        private int sequence = Vp8Host.RANDOM.nextInt(65536);
        private int rtxSequence = Vp8Host.RANDOM.nextInt(65536);
        /** The lossy stretch (guarded by this): packets left to send in it, and its first and last sequence numbers. */
        private int lossyLeft = -1;
        private int tailLeft;
        private int dropEvery;
        private int lossFirst = -1;
        private int lossLast = -1;

        LossyHost(HttpClient http, SalottoRoom room, MediaReceiver receiver, ClientIdentity identity,
                  CompletableFuture<Void> failed) throws Exception {
            this.failed = failed;
            signaling = new SignalingClient(http, room, new Signaling.Events() {
                @Override
                public void onSubscribeOffer(String sdp, long version) {
                }

                @Override
                public void onFailure(String why) {
                    failed.completeExceptionally(new java.io.IOException("host: " + why));
                }
            });
            publisher = new ClientConnection(receiver.open(InetAddress.getByName("127.0.0.1")), true, false,
                    ServerKind.SALOTTO.srtpProfiles);
            signaling.join("host", true);
            String offer = ClientSdp.publisherOffer(publisher, identity, "host", ServerKind.SALOTTO.publisherSetup, 0,
                    ssrc, rtxSsrc);
            RemoteTransport remote = RemoteTransport.read(SdpParser.parse(signaling.publish(offer, false, true)));
            publisher.setRemote(remote, this::onRtcp);
            receiver.register(publisher);
            publisher.connect(identity, remote.fingerprintSha256(), 10_000);
            sender = Thread.ofPlatform().name("lossy-vp8").start(this::sendVideo);
        }

        /** Starts the lossy stretch; returns its first sequence number. */
        synchronized int startLoss(int packets, int every, int tail) {
            dropEvery = every;
            tailLeft = tail;
            lossyLeft = packets;
            lossFirst = sequence;
            return lossFirst;
        }

        /** Waits for the lossy stretch and its tail to be sent; returns the last sequence number of the tail. */
        synchronized int awaitLossDone(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (lossLast < 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) throw new AssertionError("the host did not send its lossy stretch in time");
                wait(left);
            }
            return lossLast;
        }

        private void onRtcp(ClientConnection c, byte[] buf, int off, int len, long nowNanos) {
            if (!ClientConnection.isRtcp(buf, off)) return;
            int clear = c.srtpIn.unprotectRtcp(buf, off, len);
            if (clear < 0) return;
            int end = off + clear;
            int[] lost = new int[512];
            for (int p = off; p + RtcpPacket.HEADER_LENGTH <= end; ) {
                int length = RtcpPacket.packetLength(buf, p);
                if (length <= 0 || p + length > end) return;
                int type = RtcpPacket.packetType(buf, p);
                int fmt = RtcpPacket.count(buf, p);
                if (type == RtcpPacket.PSFB && (fmt == PictureLossIndication.FMT || fmt == FullIntraRequest.FMT)) {
                    keyframeWanted = true;
                } else if (type == RtcpPacket.RTPFB && fmt == GenericNack.FMT && RtcpFeedback.mediaSsrc(buf, p) == ssrc) {
                    int n = GenericNack.lostSequences(buf, p, lost);
                    for (int i = 0; i < n; i++) {
                        nacked.add(lost[i]);
                        toResend.add(lost[i]);
                    }
                }
                p += length;
            }
        }

        private void sendVideo() {
            long timestamp = Vp8Host.RANDOM.nextInt() & 0xFFFFFFFFL;
            long next = System.nanoTime();
            byte[] buf = new byte[1500];
            while (sending) {
                for (Integer seq; (seq = toResend.poll()) != null; ) {
                    if (sent[seq] != null && answered.add(seq)) sendRtx(buf, sent[seq]);
                }
                boolean key = keyframeWanted;
                if (key) keyframeWanted = false;
                int packets = key ? 3 : 1;
                for (int i = 0; i < packets; i++) {
                    int seq = sequence;
                    sequence = (sequence + 1) & 0xFFFF;
                    int len = build(buf, seq, timestamp, i == packets - 1, i == 0, key);
                    sent[seq] = java.util.Arrays.copyOf(buf, len);
                    if (leaveOut(seq)) continue;
                    protectAndSend(buf, len);
                }
                timestamp = (timestamp + 3000) & 0xFFFFFFFFL;
                next += 33_333_333L;
                long wait = next - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
            }
        }

        /** Whether this packet is left out, and the lossy stretch's bookkeeping. */
        private synchronized boolean leaveOut(int seq) {
            if (lossyLeft > 0) {
                lossyLeft--;
                if (((seq - lossFirst) & 0xFFFF) % dropEvery == dropEvery / 2) {
                    dropped.add(seq);
                    return true;
                }
            } else if (lossyLeft == 0 && tailLeft > 0 && --tailLeft == 0) {
                lossLast = seq;
                notifyAll();
            }
            return false;
        }

        private int build(byte[] buf, int seq, long timestamp, boolean marker, boolean first, boolean key) {
            RtpPacket.writeHeader(buf, 0, marker, ClientSdp.VP8_PT, seq, timestamp, ssrc);
            buf[0] |= 0x10; // a one-byte header extension block: the transport-wide sequence number
            int p = RtpPacket.FIXED_HEADER_LENGTH;
            Bytes.put16(buf, p, RtpHeaderExtensions.ONE_BYTE_PROFILE);
            Bytes.put16(buf, p + 2, 1);
            buf[p + 4] = (byte) (ClientSdp.TRANSPORT_CC_ID << 4 | 1);
            Bytes.put16(buf, p + 5, publisher.transportSequence);
            publisher.transportSequence = (publisher.transportSequence + 1) & 0xFFFF;
            buf[p + 7] = 0;
            int at = PAYLOAD_OFFSET;
            buf[at] = (byte) (first ? 0x10 : 0x00); // S on the frame's first packet, partition 0
            buf[at + 1] = (byte) (key ? 0x00 : 0x01); // P=0: a keyframe
            Bytes.put16(buf, at + 2, seq); // what the viewer reads
            for (int i = 4; i < 1000; i++) buf[at + i] = (byte) (seq + i);
            return at + 1000;
        }

        /** RFC 4588 §4: the RTX SSRC, PT and sequence, a fresh transport-wide number, the OSN before the payload. */
        private void sendRtx(byte[] buf, byte[] original) {
            int header = PAYLOAD_OFFSET;
            System.arraycopy(original, 0, buf, 0, header);
            RtpPacket.setSsrc(buf, 0, rtxSsrc);
            RtpPacket.setPayloadType(buf, 0, ClientSdp.RTX_PT);
            RtpPacket.setSequenceNumber(buf, 0, rtxSequence);
            rtxSequence = (rtxSequence + 1) & 0xFFFF;
            Bytes.put16(buf, RtpPacket.FIXED_HEADER_LENGTH + 5, publisher.transportSequence);
            publisher.transportSequence = (publisher.transportSequence + 1) & 0xFFFF;
            buf[header] = original[2];
            buf[header + 1] = original[3];
            System.arraycopy(original, header, buf, header + 2, original.length - header);
            protectAndSend(buf, original.length + 2);
        }

        private void protectAndSend(byte[] buf, int len) {
            int n = publisher.srtpOut.protectRtp(buf, 0, len);
            if (n > 0) publisher.send(buf, 0, n);
        }

        @Override
        public void close() throws InterruptedException {
            sending = false;
            sender.join();
            signaling.close();
            publisher.close();
        }
    }
}
