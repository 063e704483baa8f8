package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.junit.jupiter.api.Test;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.pacer.Pacer;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.srtp.SrtpProfile;

/**
 * A subscriber transport's pacer on the real loop and socket, the loop's clock moved by hand: a video burst leaves
 * partly at once and the rest on the following ticks, an audio packet sent after the burst overtakes what waits, and
 * transport-cc numbers the packets in the order they really leave.
 */
class PacedSendTest {
    private static final SrtpProfile PROFILE = SrtpProfile.AES128_CM_HMAC_SHA1_80;
    private static final int TRANSPORT_CC = 3;
    private static final int VIDEO_SSRC = 0x1111;
    private static final int AUDIO_SSRC = 0x2222;

    private final ManualClock clock = new ManualClock();
    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private MediaLoop loop;
    private DatagramChannel peer;

    @AfterEach
    void tearDown() throws Exception {
        if (loop != null) loop.close();
        if (peer != null) peer.close();
        control.close();
    }

    @Test
    void videoIsPacedAndAudioGoesAtOnce() throws Exception {
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters(), UdpIo.AUTO,
                MediaLoop.DEFAULT_QUEUE_CAPACITY, clock);
        peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        byte[] keys = new byte[2 * (PROFILE.keyLength() + PROFILE.saltLength())];
        new java.util.Random(3).nextBytes(keys);
        WebRtcTransport t = WebRtcTransport.create("sub", loop, DtlsIdentity.generate(), control,
                new TransportListener() {
                    @Override public void onConnected(WebRtcTransport x) { }
                    @Override public void onClosed(WebRtcTransport x, String reason) { }
                });
        InetSocketAddress to = (InetSocketAddress) peer.getLocalAddress();
        int queued = loop.submit(() -> {
            t.connectWithKeys(PROFILE, keys, to);
            t.enableTransportCc(TRANSPORT_CC); // the estimate starts at 1 Mbit/s: paced at 2.5 Mbit/s
            t.setTicking(true);
            long now = loop.nanoTime();
            byte[] out = loop.sendScratch();
            for (int i = 0; i < 20; i++) { // a keyframe's burst: 24 KB, about 77 ms at the pacing rate
                RtpPacket.writeHeader(out, 0, false, 96, i, 90_000, VIDEO_SSRC);
                assertTrue(t.sendPaced(out, 0, 1200, Pacer.MEDIA, now));
            }
            RtpPacket.writeHeader(out, 0, false, 111, 0, 48_000, AUDIO_SSRC);
            assertTrue(t.sendRtp(out, 0, 100));
            return t.pacer().queued();
        }).get(2, TimeUnit.SECONDS);
        // 20 ms of budget at 2.5 Mbit/s (6,250 bytes): six packets at once, fourteen wait.
        assertEquals(14, queued);

        List<Integer> ssrcs = new ArrayList<>();
        List<Integer> transportSequence = new ArrayList<>();
        receive(7, ssrcs, transportSequence);
        assertEquals(List.of(VIDEO_SSRC, VIDEO_SSRC, VIDEO_SSRC, VIDEO_SSRC, VIDEO_SSRC, VIDEO_SSRC, AUDIO_SSRC), ssrcs,
                "the audio packet does not wait behind the queued video");

        int ticks = 0;
        while (loop.submit(() -> t.pacer().queued()).get(2, TimeUnit.SECONDS) > 0) {
            clock.advance(Duration.ofMillis(10));
            ticks++;
            assertTrue(ticks < 20, "the queue did not drain on the ticks");
            // Wait until the loop has passed its tick (a task after it runs after the whole pass).
            loop.submit(() -> null).get(2, TimeUnit.SECONDS);
        }
        receive(14, ssrcs, transportSequence);
        assertTrue(ticks >= 4, "14 packets at 312 bytes a millisecond need more than 40 ms, left after " + ticks + " ticks");
        for (int i = 1; i < transportSequence.size(); i++) {
            assertEquals(transportSequence.get(i - 1) + 1, transportSequence.get(i), "numbered as they leave");
        }
    }

    private void receive(int n, List<Integer> ssrcs, List<Integer> transportSequence) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(2048);
        for (int i = 0; i < n; i++) {
            assertNotNull(Datagrams.receive(peer, in, Duration.ofSeconds(5)), "datagram " + i + " did not come");
            byte[] b = in.array();
            ssrcs.add(RtpPacket.ssrc(b, 0));
            int seq = RtpHeaderExtensions.transportWideSequence(b, 0, in.limit(), TRANSPORT_CC);
            assertTrue(seq >= 0, "numbered for transport-cc");
            transportSequence.add(seq);
        }
    }
}
