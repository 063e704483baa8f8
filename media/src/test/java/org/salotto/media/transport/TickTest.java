package org.salotto.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>The loop runs on a {@link ManualClock}: each step moves it on by one tick, and a witness transport that always
 * asks for ticks tells when the loop has ticked, so that counts are exact and nothing waits for the wall clock.
 */
class TickTest {
    private static final DtlsIdentity IDENTITY = DtlsIdentity.generate();
    private static final TransportListener QUIET = new TransportListener() {
        @Override public void onConnected(WebRtcTransport t) { }
        @Override public void onClosed(WebRtcTransport t, String reason) { }
    };
    private final ManualClock clock = new ManualClock();
    private final Semaphore witnessTicks = new Semaphore(0);
    private MediaLoop loop;

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters(), UdpIo.AUTO,
                MediaLoop.DEFAULT_QUEUE_CAPACITY, clock);
    }

    /** A connected transport that always asks for ticks and counts them in {@link #witnessTicks}. */
    private void startWitness() throws Exception {
        WebRtcTransport w = connected("witness", 40100);
        w.setPacketHandler(new PacketHandler() {
            @Override public void onRtp(byte[] buf, int off, int len, long nowNanos) { }
            @Override public void onRtcp(byte[] buf, int off, int len, long nowNanos) { }
            @Override public void onTick(long nowNanos) { witnessTicks.release(); }
        });
        loop.submit(() -> {
            w.setTicking(true);
            return null;
        }).get();
    }

    /**
     * Moves the clock on by one tick and waits until the loop has ticked; the loop has then finished that tick for
     * every transport, since whatever the caller runs on the loop next runs after it.
     */
    private void tick() throws Exception {
        clock.advance(Duration.ofNanos(MediaLoop.TICK_NANOS));
        assertTrue(witnessTicks.tryAcquire(5, TimeUnit.SECONDS), "the loop did not tick");
    }

    private int onLoop(AtomicInteger counter) throws Exception {
        return loop.submit(counter::get).get();
    }

    @AfterEach
    void tearDown() {
        loop.close();
    }

    private WebRtcTransport connected(String id, int port) throws Exception {
        WebRtcTransport t = WebRtcTransport.create(id, loop, IDENTITY, Executors.newVirtualThreadPerTaskExecutor(), QUIET);
        connectWithKeys(t, port);
        return t;
    }

    private void connectWithKeys(WebRtcTransport t, int port) throws Exception {
        SrtpProfile p = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        byte[] keys = new byte[2 * (p.keyLength() + p.saltLength())];
        loop.submit(() -> {
            t.connectWithKeys(p, keys, new InetSocketAddress("127.0.0.1", port));
            return null;
        }).get();
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
        startWitness();
        for (int i = 0; i < 5; i++) tick();
        assertEquals(0, onLoop(ticks), "ticked without asking");
        loop.submit(() -> {
            t.setTicking(true);
            return null;
        }).get();
        for (int i = 0; i < 5; i++) tick();
        assertEquals(5, onLoop(ticks), "one tick per step while it asks");
        loop.submit(() -> {
            t.setTicking(false);
            return null;
        }).get();
        for (int i = 0; i < 5; i++) tick();
        assertEquals(5, onLoop(ticks), "ticked after it stopped asking");
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
        startWitness(); // after the endpoints: the loop has taken in all of the above when it ticks the witness
        tick();
        assertEquals(2, loop.submit(loop::tickingCount).get(), "only the publisher (and the witness) is ticked");
        producer.close();
        tick(); // the publisher's endpoint stops asking on its first tick with nothing published
        assertEquals(1, loop.submit(loop::tickingCount).get(), "a publisher with nothing left stops ticking");
    }

    @Test
    void consentStillExpiresForTransportsThatAreNotTicked() throws Exception {
        loop.setConsentTimeout(Duration.ofMillis(300));
        CompletableFuture<String> closed = new CompletableFuture<>();
        WebRtcTransport t = WebRtcTransport.create("quiet", loop, IDENTITY, Executors.newVirtualThreadPerTaskExecutor(),
                new TransportListener() {
                    @Override public void onConnected(WebRtcTransport x) { }
                    @Override public void onClosed(WebRtcTransport x, String reason) { closed.complete(reason); }
                });
        connectWithKeys(t, 40003);
        startWitness();
        for (int i = 0; i < 30; i++) tick(); // 300 ms: still within the timeout
        assertEquals(WebRtcTransport.State.CONNECTED, loop.submit(t::state).get());
        assertTrue(!closed.isDone());
        clock.advance(Duration.ofMillis(100)); // past it, and the next sweep is due
        assertEquals("ICE consent expired", closed.get(5, TimeUnit.SECONDS));
        assertEquals(WebRtcTransport.State.CLOSED, loop.submit(t::state).get());
        assertEquals(0, loop.submit(loop::tickingCount).get());
    }
}
