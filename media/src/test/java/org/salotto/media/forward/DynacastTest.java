package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.dtls.DtlsIdentity;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.WebRtcTransport;

/**
 * Dynacast at the producer, on an injected clock (each packet and check is given its time): which layers its consumers
 * need, the pause after the delay, the lowest layer always sent, and a paused layer asked back when a tile grows, the
 * consumer switching to it on its first keyframe. The listener hears each change off the loop thread. Real endpoints
 * on a real loop, never connected (what the consumers send goes nowhere).
 */
class DynacastTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long DELAY = 4 * SECOND;
    private static final RtpCodec VP8 = new RtpCodec("video/VP8", 96, 90000, 1, "", List.of(), -1);
    private static final String[] RIDS = {"q", "h", "f"};
    private static final int[][] SIZES = {{320, 180}, {640, 360}, {1280, 720}};
    private static final TransportListener QUIET = new TransportListener() {
        @Override public void onConnected(WebRtcTransport t) { }
        @Override public void onClosed(WebRtcTransport t, String reason) { }
    };

    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private final BlockingQueue<List<String>> told = new LinkedBlockingQueue<>();
    private final BlockingQueue<Thread> toldOn = new LinkedBlockingQueue<>();
    private MediaLoop loop;
    private Thread loopThread;
    private Endpoint publisher;
    private Endpoint subscriber;
    private Producer producer;
    private final int[] seqs = new int[3];

    @BeforeEach
    void setUp() throws Exception {
        loop = new MediaLoop(new InetSocketAddress("127.0.0.1", 0), new MediaCounters());
        DtlsIdentity identity = DtlsIdentity.generate();
        publisher = new Endpoint(WebRtcTransport.create("pub", loop, identity, control, QUIET));
        subscriber = new Endpoint(WebRtcTransport.create("sub", loop, identity, control, QUIET));
        producer = new Producer("p", publisher, new TrackParameters("0", MediaKind.VIDEO, "camera", List.of(VP8),
                List.of(new RtpHeaderExtension(RtpHeaderExtension.RID, 5)),
                List.of(RtpEncoding.ofRid("q"), RtpEncoding.ofRid("h"), RtpEncoding.ofRid("f"))), DELAY);
        producer.setLayerListener(p -> {
            toldOn.add(Thread.currentThread());
            told.add(p.sendingRids());
        });
        loopThread = onLoop(Thread::currentThread);
    }

    @AfterEach
    void tearDown() {
        loop.close();
        control.close();
    }

    private <T> T onLoop(Supplier<T> work) throws Exception {
        return loop.submit(work).get(5, TimeUnit.SECONDS);
    }

    /** Runs on the loop and waits for it. */
    private void onLoop(Runnable work) throws Exception {
        onLoop(() -> {
            work.run();
            return null;
        });
    }

    /** A consumer of the producer on the subscriber's endpoint, fed from now on. */
    private Consumer consumer(int ssrc) throws Exception {
        Consumer c = new Consumer("c" + ssrc, subscriber, producer, new TrackParameters("0", MediaKind.VIDEO, "camera",
                List.of(VP8), List.of(), List.of(new RtpEncoding(ssrc, 0))));
        onLoop(() -> {
            c.attach();
            producer.addConsumer(c);
        });
        return c;
    }

    /** A packet of layer i at {@code now}: a keyframe of the layer's size, or a delta frame. Loop thread. */
    private void packet(int i, boolean keyframe, long now) {
        byte[] b = new byte[64];
        RtpPacket.writeHeader(b, 0, true, 96, seqs[i]++, 0, 0x100 + i);
        b[0] |= 0x10;
        int at = 12;
        b[at++] = (byte) 0xBE;
        b[at++] = (byte) 0xDE;
        b[at++] = 0;
        b[at++] = 1;
        b[at++] = (byte) (5 << 4);
        b[at++] = (byte) RIDS[i].charAt(0);
        b[at++] = 0;
        b[at++] = 0;
        b[at++] = 0x10; // VP8 payload descriptor: start of partition
        if (keyframe) {
            int w = SIZES[i][0];
            int h = SIZES[i][1];
            byte[] key = {0, 0, 0, (byte) 0x9d, 0x01, 0x2a, (byte) w, (byte) (w >> 8), (byte) h, (byte) (h >> 8)};
            System.arraycopy(key, 0, b, at, key.length);
            at += key.length;
        } else {
            b[at++] = 0x01;
        }
        if (producer.layerOf(0x100 + i) < 0 && !producer.learnSsrc(b, 0, at, 0x100 + i)) throw new AssertionError();
        producer.onRtp(b, 0, at, now);
    }

    /** A keyframe of every layer at {@code now}. */
    private void keyframes(long now) {
        for (int i = 0; i < 3; i++) packet(i, true, now);
    }

    private List<String> sending() {
        return producer.sendingRids();
    }

    @Test
    void aLayerRelayedToAnotherNodeStaysSentAndItsRelayCarriesThatLayerAlone() throws Exception {
        // The relay of f to another node (docs/scale.md "Audience relayed across nodes"): nobody here watches.
        Consumer relay = new Consumer("relay-f", subscriber, producer, new TrackParameters("0", MediaKind.VIDEO,
                "camera", List.of(VP8), List.of(), List.of(new RtpEncoding(7, 0))), null, 2);
        onLoop(() -> {
            relay.attach();
            producer.addConsumer(relay);
            keyframes(0);
            producer.checkDemand(0);
            producer.checkDemand(DELAY);
        });
        assertEquals(List.of("q", "f"), sending(), "h, relayed nowhere, is paused; f, relayed, is not");
        assertEquals(List.of("q", "f"), told.poll(5, TimeUnit.SECONDS));
        ConsumerStrategy s = relay.strategy();
        assertEquals(2, s.currentLayer());
        org.junit.jupiter.api.Assertions.assertTrue(s.accept(2, false, DELAY), "f's delta frames: no keyframe awaited");
        assertFalse(s.accept(0, true, DELAY), "q's keyframe is not the relay's");
        assertFalse(s.accept(1, false, DELAY));
    }

    @Test
    void withNobodyWatchingOnlyTheLowestLayerIsSentOnceTheDelayHasPassed() throws Exception {
        onLoop(() -> {
            keyframes(0);
            producer.checkDemand(0);
            producer.checkDemand(DELAY - 1);
        });
        assertEquals(List.of("q", "h", "f"), sending(), "nothing paused before the delay");
        onLoop(() -> producer.checkDemand(DELAY));
        assertEquals(List.of("q"), sending(), "the lowest layer is never paused, so a new subscriber never waits");
        assertEquals(List.of("q"), told.poll(5, TimeUnit.SECONDS));
        assertNotSame(loopThread, toldOn.poll(5, TimeUnit.SECONDS), "the listener is not called on the loop thread");
    }

    @Test
    void aSmallTileKeepsTheLowLayerAndTheOthersArePausedAfterTheDelay() throws Exception {
        Consumer small = consumer(1);
        small.setPreferredSize(300, 170);
        Consumer large = consumer(2);
        large.setPreferredSize(1280, 720);
        onLoop(() -> {
            keyframes(0);
            producer.checkDemand(0);
        });
        assertEquals(0, small.strategy().currentLayer());
        assertEquals(2, large.strategy().currentLayer());
        assertEquals(List.of("q", "h", "f"), sending(), "q and f are needed, h only waits out the delay");
        onLoop(() -> producer.checkDemand(DELAY));
        assertEquals(List.of("q", "f"), sending(), "h, which nobody receives, is paused");
        assertEquals(List.of("q", "f"), told.poll(5, TimeUnit.SECONDS));

        large.close(); // the large tile's subscriber goes: f is unneeded from now (5 s)
        onLoop(() -> {
            packet(0, false, 5 * SECOND);
            producer.checkDemand(5 * SECOND);
            producer.checkDemand(5 * SECOND + DELAY - 1);
        });
        assertEquals(List.of("q", "f"), sending(), "f waits out the delay from when it became unneeded");
        onLoop(() -> producer.checkDemand(5 * SECOND + DELAY));
        assertEquals(List.of("q"), sending());
        assertEquals(List.of("q"), told.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aTileThatGrowsGetsAPausedLayerBackAtOnceAndSwitchesOnItsFirstKeyframe() throws Exception {
        Consumer c = consumer(1);
        c.setPreferredSize(300, 170);
        onLoop(() -> {
            keyframes(0);
            producer.checkDemand(0);
            producer.checkDemand(DELAY);
        });
        assertEquals(List.of("q"), sending());
        assertEquals(List.of("q"), told.poll(5, TimeUnit.SECONDS));

        // Only q comes now, well past the window after which a silent layer counts as inactive.
        long t = DELAY + Producer.LAYER_INACTIVE_NANOS + SECOND;
        onLoop(() -> packet(0, false, t));
        assertFalse(producer.isLayerActive(2, t), "f was paused long enough to count as stopped");
        c.setPreferredSize(1280, 720); // the tile grows
        onLoop(() -> {
            packet(0, false, t);
            producer.checkDemand(t);
        });
        assertEquals(0, c.strategy().currentLayer(), "q goes on meanwhile: f sends nothing yet");
        assertEquals(List.of("q", "f"), sending(), "f is asked back at once, though inactive");
        assertEquals(List.of("q", "f"), told.poll(5, TimeUnit.SECONDS));

        onLoop(() -> packet(2, false, t + SECOND / 10));
        assertEquals(0, c.strategy().currentLayer(), "f's delta frames are no switch");
        onLoop(() -> packet(2, true, t + SECOND / 5));
        assertEquals(2, c.strategy().currentLayer(), "f's first keyframe: the switch");
        onLoop(() -> producer.checkDemand(t + 10 * DELAY));
        assertEquals(List.of("q", "f"), sending(), "f stays while the tile is large");
        assertNull(told.poll(), "and nothing more is said");
    }

    @Test
    void aPausedConsumerNeedsNothingAndANewConsumerGetsItsLayerAtOnce() throws Exception {
        Consumer c = consumer(1); // no size said: the largest layer
        onLoop(() -> {
            keyframes(0);
            producer.checkDemand(0);
        });
        c.setPaused(true);
        onLoop(() -> {
            producer.checkDemand(SECOND);
            producer.checkDemand(SECOND + DELAY);
        });
        assertEquals(List.of("q"), sending(), "a paused consumer receives nothing: nothing is needed for it");
        assertEquals(List.of("q"), told.poll(5, TimeUnit.SECONDS));
        consumer(2);
        onLoop(() -> producer.checkDemand(SECOND + DELAY + 1));
        assertEquals(List.of("q", "f"), sending(), "a new subscriber that shows the video large: f at once");
        assertEquals(List.of("q", "f"), told.poll(5, TimeUnit.SECONDS));
    }
}
