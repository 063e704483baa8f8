package org.salotto.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.media.rtcp.FullIntraRequest;
import org.salotto.media.rtcp.PictureLossIndication;
import org.salotto.media.rtcp.RtcpPacket;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;
import org.salotto.signaling.sdp.SdpParser;
import org.salotto.signaling.sdp.SessionDescription;

/**
 * A subscriber that never asks for a keyframe still gets one as soon as its connection is up. The real server, and
 * clients built on our own ICE, DTLS and SRTP (nothing of a browser's habits): in each of 10 live rooms a host
 * publishes VP8 whose only keyframes are the ones the server asks for (PLI or FIR; delta frames otherwise), and a
 * viewer that sends no RTCP at all joins 3 s later. Each viewer must decrypt a keyframe (VP8 payload header P bit 0
 * on a frame's first packet) within 1 s of its DTLS handshake ending.
 */
class LateSubscriberKeyframeTest {
    private static final int RUNS = 10;
    private static final long LATE_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long WITHIN_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long CONNECT_DELAY_MILLIS = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    @Timeout(90)
    void aViewerThatNeverSendsPliDecodesAKeyframeWithinOneSecondOfConnecting() throws Exception {
        try (SalottoServer server = SalottoServer.start(ServerConfig.forTests());
             MediaReceiver receiver = new MediaReceiver(1, new Metrics(), false)) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            ClientIdentity identity = ClientIdentity.generate();
            List<CompletableFuture<Long>> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                LoadTestConfig config = LoadTest.parse(new String[] {"--url", server.baseUrl(), "--kind", "live",
                        "--room", "late-subscriber-" + i});
                SalottoRoom room = SalottoRoom.create(http, config);
                CompletableFuture<Long> run = new CompletableFuture<>();
                Thread.ofVirtual().name("run-" + i).start(() -> {
                    try {
                        run.complete(new Run(http, room, receiver, identity).play());
                    } catch (Throwable e) {
                        run.completeExceptionally(e);
                    }
                });
                runs.add(run);
            }
            int ok = 0;
            List<String> outcomes = new ArrayList<>();
            for (CompletableFuture<Long> run : runs) {
                long nanos = run.get(60, TimeUnit.SECONDS);
                outcomes.add(nanos < 0 ? "no keyframe" : String.format("%.0f ms", nanos / 1e6));
                if (nanos >= 0 && nanos <= WITHIN_NANOS) ok++;
            }
            System.out.println("late subscribers, keyframe after connecting: " + outcomes);
            assertEquals(RUNS, ok, "keyframe after the viewer's connection came up, per run: " + outcomes);
        }
    }

    /** One room: the host publishing, the viewer joining 3 s later. */
    private static final class Run {
        private final HttpClient http;
        private final SalottoRoom room;
        private final MediaReceiver receiver;
        private final ClientIdentity identity;
        private final Metrics metrics = new Metrics();
        private final CompletableFuture<Long> connectedAt = new CompletableFuture<>();
        private final CompletableFuture<Long> keyframeAt = new CompletableFuture<>();
        private volatile boolean keyframeWanted;
        private volatile boolean sending = true;
        private volatile Signaling viewer;
        private volatile ClientConnection viewerConnection;

        Run(HttpClient http, SalottoRoom room, MediaReceiver receiver, ClientIdentity identity) {
            this.http = http;
            this.room = room;
            this.receiver = receiver;
            this.identity = identity;
        }

        /** Nanoseconds from the viewer's connection coming up to its first keyframe; -1 when none came in 2 s. */
        long play() throws Exception {
            Signaling host = new SignalingClient(http, room, events("host"));
            ClientConnection publisher = new ClientConnection(receiver.open(InetAddress.getByName("127.0.0.1")), true,
                    false, ServerKind.SALOTTO.srtpProfiles);
            Thread sender = null;
            try {
                host.join("host", true);
                int ssrc = ssrc();
                String offer = ClientSdp.publisherOffer(publisher, identity, "host", ServerKind.SALOTTO.publisherSetup,
                        0, ssrc, ssrc());
                RemoteTransport remote = RemoteTransport.read(SdpParser.parse(host.publish(offer, false, true)));
                publisher.setRemote(remote, this::onPublisherRtcp);
                receiver.register(publisher);
                publisher.connect(identity, remote.fingerprintSha256(), 10_000);
                RtpWriter writer = new RtpWriter(publisher, metrics, ClientSdp.VP8_PT, ssrc, false);
                sender = Thread.ofPlatform().name("vp8-" + ssrc).start(() -> sendVideo(writer));

                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(LATE_NANOS)); // the scenario: the viewer comes 3 s late
                viewer = new SignalingClient(http, room, events("viewer"));
                viewer.join("viewer", false);
                long connected = connectedAt.get(15, TimeUnit.SECONDS);
                try {
                    return keyframeAt.get(2, TimeUnit.SECONDS) - connected;
                } catch (java.util.concurrent.TimeoutException e) {
                    return -1;
                }
            } finally {
                sending = false;
                if (sender != null) sender.join();
                Signaling v = viewer;
                if (v != null) v.close();
                host.close();
                publisher.close();
                ClientConnection c = viewerConnection;
                if (c != null) c.close();
            }
        }

        private Signaling.Events events(String who) {
            return new Signaling.Events() {
                @Override
                public void onSubscribeOffer(String sdp, long version) {
                    if (who.equals("viewer")) onViewerOffer(sdp, version);
                    // the host has nothing to receive: the server sends it no offer, and it would be ignored here
                }

                @Override
                public void onFailure(String why) {
                    connectedAt.completeExceptionally(new IOException(who + ": " + why));
                }
            };
        }

        /** The viewer answers its one offer and connects; it sends no RTCP, so no PLI, ever. */
        private void onViewerOffer(String sdp, long version) {
            if (viewerConnection != null) return;
            try {
                SessionDescription offer = SdpParser.parse(sdp);
                ClientConnection c = new ClientConnection(receiver.open(InetAddress.getByName("127.0.0.1")), true,
                        false, ServerKind.SALOTTO.srtpProfiles);
                viewerConnection = c;
                RemoteTransport remote = RemoteTransport.read(offer);
                c.setRemote(remote, this::onViewerSrtp);
                receiver.register(c);
                viewer.answer(ClientSdp.subscriberAnswer(offer, c, identity), version);
                Thread.ofVirtual().start(() -> {
                    try {
                        // A browser's first check comes a while after its answer; a keyframe asked for when the
                        // offer went out would be gone by then.
                        Thread.sleep(CONNECT_DELAY_MILLIS);
                        c.connect(identity, remote.fingerprintSha256(), 10_000);
                        connectedAt.complete(System.nanoTime());
                    } catch (IOException | InterruptedException | RuntimeException e) {
                        connectedAt.completeExceptionally(e);
                    }
                });
            } catch (Exception e) {
                connectedAt.completeExceptionally(e);
            }
        }

        /** Decrypts every packet and looks for the start of a VP8 keyframe (RFC 7741 sections 4.2 and 4.3). */
        private void onViewerSrtp(ClientConnection c, byte[] buf, int off, int len, long nowNanos) {
            if (ClientConnection.isRtcp(buf, off) || keyframeAt.isDone()) return;
            int clear = c.srtpIn.unprotectRtp(buf, off, len);
            if (clear < 0) return;
            int payload = off + RtpPacket.headerLength(buf, off, clear);
            if (payload + 2 > off + clear) return;
            int descriptor = buf[payload] & 0xFF;
            boolean startOfFrame = (descriptor & 0x10) != 0 && (descriptor & 0x07) == 0;
            boolean extended = (descriptor & 0x80) != 0;
            if (startOfFrame && !extended && (buf[payload + 1] & 0x01) == 0) keyframeAt.complete(nowNanos);
        }

        /** The host's side: a PLI or FIR from the server asks for the next frame to be a keyframe. */
        private void onPublisherRtcp(ClientConnection c, byte[] buf, int off, int len, long nowNanos) {
            if (!ClientConnection.isRtcp(buf, off)) return;
            int clear = c.srtpIn.unprotectRtcp(buf, off, len);
            if (clear < 0) return;
            int end = off + clear;
            for (int p = off; p + RtcpPacket.HEADER_LENGTH <= end; ) {
                int length = RtcpPacket.packetLength(buf, p);
                if (length <= 0 || p + length > end) return;
                int fmt = RtcpPacket.count(buf, p);
                if (RtcpPacket.packetType(buf, p) == RtcpPacket.PSFB
                        && (fmt == PictureLossIndication.FMT || fmt == FullIntraRequest.FMT)) {
                    keyframeWanted = true;
                }
                p += length;
            }
        }

        /** 30 frames a second: delta frames of 1,000 bytes, a 3,000-byte keyframe only when asked. */
        private void sendVideo(RtpWriter writer) {
            long timestamp = RANDOM.nextInt() & 0xFFFFFFFFL;
            long next = System.nanoTime();
            while (sending) {
                boolean key = keyframeWanted;
                if (key) keyframeWanted = false;
                int remaining = key ? 3000 : 1000;
                byte[] buf = writer.buffer();
                int at = writer.payloadOffset();
                for (boolean first = true; remaining > 0; first = false) {
                    int size = Math.min(1200, remaining);
                    remaining -= size;
                    buf[at] = (byte) (first ? 0x10 : 0x00); // S on the frame's first packet, partition 0
                    buf[at + 1] = (byte) (key ? 0x00 : 0x01); // VP8 payload header: P=0 is a keyframe
                    writer.send(timestamp, remaining == 0, size);
                }
                timestamp = (timestamp + 3000) & 0xFFFFFFFFL;
                next += 33_333_333L;
                long wait = next - System.nanoTime();
                if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }

        private static int ssrc() {
            int s;
            do s = RANDOM.nextInt(); while (s == 0);
            return s;
        }
    }
}
