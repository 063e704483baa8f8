package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.forward.Endpoint;
import org.salotto.media.forward.Producer;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.srtp.SrtpProfile;

/**
 * Only transports with timed work are ticked every 10 ms: a publisher's endpoint is, a listener's is not, and neither
 * is a bare transport until its handler asks. Consent is still enforced for every transport.
 */
class TickTest {
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private static final TransportListener QUIET = new TransportListener() {
        @Override public void onConnected(WebRtcTransport t) { }
        @Override public void onClosed(WebRtcTransport t, String reason) { }
    };
    private MediaLoop loop;

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters());
    }

    @AfterEach
    void tearDown() {
        loop.close();
    }

    private WebRtcTransport connected(String id, int port) throws Exception {
        WebRtcTransport t = WebRtcTransport.create(id, loop, IDENTITY, Executors.newVirtualThreadPerTaskExecutor(), QUIET);
        SrtpProfile p = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        byte[] keys = new byte[2 * (p.keyLength() + p.saltLength())];
        loop.submit(() -> {
            t.connectWithKeys(p, keys, new InetSocketAddress("127.0.0.1", port));
            return null;
        }).get();
        return t;
    }

    @Test
    void aHandlerIsTickedOnlyWhileItAsks() throws Exception {
        WebRtcTransport t = connected("t", 40001);
        AtomicInteger ticks = new AtomicInteger();
        t.setPacketHandler(new PacketHandler() {
            @Override public void onRtp(byte[] buf, int off, int len, long nowNanos) { }
            @Override public void onRtcp(byte[] buf, int off, int len, long nowNanos) { }
            @Override public void onTick(long nowNanos) { ticks.incrementAndGet(); }
        });
        Thread.sleep(100);
        assertEquals(0, ticks.get(), "ticked without asking");
        loop.submit(() -> {
            t.setTicking(true);
            return null;
        }).get();
        Thread.sleep(200);
        int asked = ticks.get();
        assertTrue(asked >= 5, "only " + asked + " ticks in 200 ms");
        loop.submit(() -> {
            t.setTicking(false);
            return null;
        }).get();
        int stopped = ticks.get();
        Thread.sleep(100);
        assertEquals(stopped, ticks.get(), "ticked after it stopped asking");
    }

    @Test
    void publishersAreTickedAndListenersAreNot() throws Exception {
        RtpCodec opus = new RtpCodec("audio/opus", 111, 48000, 2, "", List.of(), -1);
        Endpoint publisher = new Endpoint(connected("pub", 40002));
        Producer producer = publisher.produce("mic", new TrackParameters("0", MediaKind.AUDIO, "mic", List.of(opus),
                List.of(), List.of(new RtpEncoding(0x1111, 0))));
        for (int i = 0; i < 20; i++) {
            Endpoint listener = new Endpoint(connected("l" + i, 41000 + i));
            listener.consume("c" + i, producer, new TrackParameters("0", MediaKind.AUDIO, "mic", List.of(opus),
                    List.of(), List.of(new RtpEncoding(0x2000 + i, 0))));
        }
        Thread.sleep(50);
        assertEquals(1, loop.submit(loop::tickingCount).get(), "only the publisher is ticked");
        producer.close();
        Thread.sleep(50);
        assertEquals(0, loop.submit(loop::tickingCount).get(), "a publisher with nothing left stops ticking");
    }

    @Test
    void consentStillExpiresForTransportsThatAreNotTicked() throws Exception {
        loop.setConsentTimeout(java.time.Duration.ofMillis(300));
        WebRtcTransport t = connected("quiet", 40003);
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (t.state() != WebRtcTransport.State.CLOSED && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(WebRtcTransport.State.CLOSED, t.state());
        assertEquals(0, loop.submit(loop::tickingCount).get());
    }
}
