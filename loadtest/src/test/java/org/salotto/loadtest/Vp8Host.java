package org.salotto.loadtest;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.concurrent.locks.LockSupport;
import org.salotto.media.rtcp.FullIntraRequest;
import org.salotto.media.rtcp.PictureLossIndication;
import org.salotto.media.rtcp.RtcpPacket;
import org.salotto.signaling.sdp.SdpParser;

/**
 * A room's host on our own ICE, DTLS and SRTP (no browser habits): joins as the host, publishes VP8 at 30 frames a
 * second, delta frames of 1,000 bytes and a 3,000-byte keyframe only when the server asks (PLI or FIR). The tests'
 * publisher.
 */
final class Vp8Host implements AutoCloseable {
    static final SecureRandom RANDOM = new SecureRandom();

    private final Signaling signaling;
    private final ClientConnection publisher;
    private final Thread sender;
    private volatile boolean keyframeWanted;
    private volatile boolean sending = true;
    /** Frames sent so far (guarded by this). */
    private long framesSent;

    /** Joins {@code room} as its host, publishes, connects (up to 10 s) and starts sending. */
    Vp8Host(HttpClient http, SalottoRoom room, MediaReceiver receiver, ClientIdentity identity,
            Signaling.Events events) throws Exception {
        signaling = new SignalingClient(http, room, events);
        publisher = new ClientConnection(receiver.open(InetAddress.getByName("127.0.0.1")), true, false,
                ServerKind.SALOTTO.srtpProfiles);
        int ssrc = ssrc();
        try {
            signaling.join("host", true);
            String offer = ClientSdp.publisherOffer(publisher, identity, "host", ServerKind.SALOTTO.publisherSetup, 0,
                    ssrc, ssrc());
            RemoteTransport remote = RemoteTransport.read(SdpParser.parse(signaling.publish(offer, false, true)));
            publisher.setRemote(remote, this::onRtcp);
            receiver.register(publisher);
            publisher.connect(identity, remote.fingerprintSha256(), 10_000);
        } catch (Exception e) {
            signaling.close();
            publisher.close();
            throw e;
        }
        RtpWriter writer = new RtpWriter(publisher, new Metrics(), ClientSdp.VP8_PT, ssrc, false);
        sender = Thread.ofPlatform().name("vp8-" + ssrc).start(() -> sendVideo(writer));
    }

    static int ssrc() {
        int s;
        do s = RANDOM.nextInt(); while (s == 0);
        return s;
    }

    /** A PLI or FIR from the server asks for the next frame to be a keyframe. */
    private void onRtcp(ClientConnection c, byte[] buf, int off, int len, long nowNanos) {
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
            synchronized (this) {
                framesSent++;
                notifyAll();
            }
            timestamp = (timestamp + 3000) & 0xFFFFFFFFL;
            next += 33_333_333L;
            long wait = next - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
        }
    }

    /**
     * Waits until {@code frames} more frames have been sent than now (at 30 a second): the test's clock is the
     * publisher's video, so a slow machine stretches the wait instead of shortening the scenario.
     */
    void awaitFrames(long frames, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (this) {
            long target = framesSent + frames;
            while (framesSent < target) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) throw new AssertionError("the host sent " + (frames - (target - framesSent)) + " of " + frames + " frames in time");
                wait(left);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        sending = false;
        sender.join();
        signaling.close();
        publisher.close();
    }
}
