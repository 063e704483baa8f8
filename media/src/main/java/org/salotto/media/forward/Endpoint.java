package org.salotto.media.forward;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtcp.FullIntraRequest;
import org.salotto.media.rtcp.GenericNack;
import org.salotto.media.rtcp.PictureLossIndication;
import org.salotto.media.rtcp.ReceiverReport;
import org.salotto.media.rtcp.ReportBlock;
import org.salotto.media.rtcp.RtcpFeedback;
import org.salotto.media.rtcp.RtcpPacket;
import org.salotto.media.rtcp.SenderReport;
import org.salotto.media.rtcp.TransportCcFeedback;
import org.salotto.media.rtcp.TransportCcFeedbackBuilder;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.transport.DropReason;
import org.salotto.media.transport.MediaCounters;
import org.salotto.media.transport.MediaLoop;
import org.salotto.media.transport.PacketHandler;
import org.salotto.media.transport.WebRtcTransport;

/**
 * One transport's producers (what its peer publishes) and consumers (what its peer receives), and the RTCP between
 * them. Loop thread only, except the control methods, which post to the loop.
 *
 * <p>RTCP consumed: NACK (answered from the retransmission buffer), PLI and FIR (throttled and sent to the
 * publisher), SR (relayed to consumers for lip sync), transport-cc feedback from a subscriber (its downlink estimate,
 * {@link WebRtcTransport#availableBitrate()}). RTCP generated: receiver reports and transport-wide congestion
 * control feedback to publishers, PLI to publishers, generic NACKs to publishers for the video packets lost on the
 * way in (see {@link NackGenerator}; their RTX answers are unwrapped and forwarded as the originals), and padding-only
 * RTX to a subscriber while its {@link BandwidthAllocator} probes its downlink. Ignored: RR, SDES, BYE, REMB and feedback for streams we do not
 * know.
 */
public final class Endpoint implements PacketHandler {
    private static final long FEEDBACK_INTERVAL_NANOS = 50_000_000L;
    private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebRtcTransport transport;
    private final MediaLoop loop;
    private final MediaCounters counters;
    private final int rtcpSsrc = RANDOM.nextInt();

    private final IntObjectMap<Producer> producersBySsrc = new IntObjectMap<>();
    private final IntObjectMap<Consumer> consumersBySsrc = new IntObjectMap<>();
    private final List<Producer> producers = new ArrayList<>();
    private final List<Consumer> consumers = new ArrayList<>();
    /** The producers whose layers' SSRCs are learnt from RID elements (simulcast); empty for most endpoints. */
    private Producer[] ridProducers = new Producer[0];
    private boolean mayPublish = true;
    /** SSRCs of tracks refused or revoked by the publisher's grants: their RTP is counted apart (RTP_NOT_GRANTED). */
    private IntObjectMap<Boolean> notGranted;
    private int notGrantedCount;

    private int transportCcId;
    /** Made when the peer first sends transport-cc (a publisher): a listener never needs its 1.2 KB. */
    private TransportCcFeedbackBuilder feedback;
    private boolean feedbackStarted;
    private int feedbackCount;
    private int feedbackMediaSsrc;
    private long lastFeedbackNanos;
    private long lastReportNanos;
    /** Made at the first NACK: most audio listeners never send one. */
    private int[] lostScratch;
    private final NackSettings nackSettings;
    /** Dynacast: how long a simulcast layer nobody needs is still sent before its publisher is told to pause it. */
    private final long pauseDelayNanos;
    /** The sequence numbers of one NACK to a publisher; made with its first video producer that negotiated NACK. */
    private int[] nackScratch;
    /** Shares this subscriber's downlink among its consumers; made with its first video consumer. */
    private BandwidthAllocator allocator;

    public Endpoint(WebRtcTransport transport) {
        this(transport, NackSettings.DEFAULTS);
    }

    /** An endpoint whose producers ask for lost packets as {@code nackSettings} say. */
    public Endpoint(WebRtcTransport transport, NackSettings nackSettings) {
        this(transport, nackSettings, Producer.DEFAULT_PAUSE_DELAY);
    }

    /**
     * An endpoint whose producers ask for lost packets as {@code nackSettings} say, and whose simulcast producers have
     * a layer nobody needs paused after {@code pauseDelay} (dynacast).
     */
    public Endpoint(WebRtcTransport transport, NackSettings nackSettings, java.time.Duration pauseDelay) {
        if (pauseDelay.isNegative()) throw new IllegalArgumentException("negative pause delay");
        this.nackSettings = nackSettings;
        this.pauseDelayNanos = pauseDelay.toNanos();
        this.transport = transport;
        this.loop = transport.loop();
        this.counters = loop.counters();
        transport.setPacketHandler(this);
    }

    public WebRtcTransport transport() {
        return transport;
    }

    /**
     * What this peer's downlink is estimated to carry, in bits per second, from its transport-cc feedback; -1 when it
     * negotiated no transport-cc on what it receives. Any thread. See {@link WebRtcTransport#availableBitrate()}.
     */
    public long availableBitrate() {
        return transport.availableBitrate();
    }

    MediaLoop loop() {
        return loop;
    }

    MediaCounters counters() {
        return counters;
    }

    NackSettings nackSettings() {
        return nackSettings;
    }

    long pauseDelayNanos() {
        return pauseDelayNanos;
    }

    /** Loop thread only: where a producer's tick collects the sequence numbers of its NACK. */
    int[] nackScratch() {
        if (nackScratch == null) nackScratch = new int[256];
        return nackScratch;
    }

    // ---- control side: each method throws MediaBusyException when the loop's queue is full ----

    /** Starts receiving a track the peer publishes. */
    public Producer produce(String id, TrackParameters parameters) {
        Producer p = new Producer(id, this, parameters);
        loop.execute(() -> {
            if (notGranted != null) {
                notGranted.remove(p.ssrc());
                if (p.rtxSsrc() != 0) notGranted.remove(p.rtxSsrc());
            }
            producers.add(p);
            // Each stream whose SSRCs are known now (one, or a relayed camera's layers); a browser's simulcast layers
            // are learnt from their RID elements instead.
            for (ProducerLayer l : p.layers) {
                if (l.ssrc != 0) producersBySsrc.put(l.ssrc, p);
                if (l.rtxSsrc != 0) producersBySsrc.put(l.rtxSsrc, p);
            }
            if (p.isSimulcast()) {
                ridProducers = java.util.Arrays.copyOf(ridProducers, ridProducers.length + 1);
                ridProducers[ridProducers.length - 1] = p;
            }
            int id2 = parameters.extensionId(RtpHeaderExtension.TRANSPORT_CC);
            if (id2 != 0) transportCcId = id2;
            transport.setTicking(true);
        });
        return p;
    }

    /** Starts sending a producer's track to this endpoint's peer, with the parameters the peer negotiated. */
    public Consumer consume(String id, Producer producer, TrackParameters parameters) {
        Consumer c = new Consumer(id, this, producer, parameters);
        loop.execute(() -> {
            if (producer.isClosed()) return;
            register(c, parameters);
            c.attach();
            if (c.isVideo()) videoConsumerAdded();
            producer.addConsumer(c);
            // Before this transport connects, a keyframe would be lost on the way: connecting asks for one instead.
            c.requestKeyframeInLoop(System.nanoTime());
        });
        return c;
    }

    /**
     * Starts sending one layer of a simulcast producer to this endpoint's peer, every packet of it and nothing else,
     * with {@code parameters} (its own SSRC): a node relaying a camera to another, each layer on a stream of its own
     * ({@link LayerStrategy}). The layer is always needed while this consumer lasts (dynacast keeps it sent).
     */
    public Consumer consumeLayer(String id, Producer producer, int layer, TrackParameters parameters) {
        if (!producer.isSimulcast()) throw new IllegalArgumentException("not simulcast: " + producer);
        Consumer c = new Consumer(id, this, producer, parameters, null, layer);
        loop.execute(() -> {
            if (producer.isClosed()) return;
            register(c, parameters);
            c.attach();
            videoConsumerAdded();
            producer.addConsumer(c);
            c.requestKeyframeInLoop(System.nanoTime());
        });
        return c;
    }

    /** Loop thread: a video goes to this subscriber, whose downlink the allocator shares on the tick. */
    void videoConsumerAdded() {
        if (allocator == null) allocator = new BandwidthAllocator(loop.bandwidthSettings());
        transport.setTicking(true); // the allocator runs on the tick
    }

    /** Loop thread: a consumer of this endpoint's, found by its SSRCs for the peer's RTCP. */
    void register(Consumer c, TrackParameters parameters) {
        consumers.add(c);
        consumersBySsrc.put(c.ssrc(), c);
        if (c.rtxSsrc() != 0) consumersBySsrc.put(c.rtxSsrc(), c);
        transport.enableTransportCc(parameters.extensionId(RtpHeaderExtension.TRANSPORT_CC));
    }

    /** Whether RTP from this peer is forwarded at all (the audience may not publish: its packets are dropped). */
    public void setMayPublish(boolean allowed) {
        loop.execute(() -> mayPublish = allowed);
    }

    /**
     * Marks SSRCs whose track the publisher may not send (refused in an offer, or revoked): RTP on them is dropped as
     * any unknown SSRC's, but counted as {@link DropReason#RTP_NOT_GRANTED}. Keeps the last 64 at most.
     */
    public void markNotGranted(int... ssrcs) {
        int[] copy = ssrcs.clone();
        loop.execute(() -> {
            if (notGranted == null || notGrantedCount + copy.length > 64) {
                notGranted = new IntObjectMap<>();
                notGrantedCount = 0;
            }
            for (int s : copy) {
                if (s != 0 && producersBySsrc.get(s) == null) {
                    notGranted.put(s, Boolean.TRUE);
                    notGrantedCount++;
                }
            }
        });
    }

    /** Closes every producer and consumer and the transport. */
    public void close() {
        loop.execute(() -> {
            for (Producer p : List.copyOf(producers)) p.closeInLoop();
            // A consumer left on another endpoint's producer would be fed (and kept) until that producer ends.
            for (Consumer c : List.copyOf(consumers)) c.closeInLoop();
            transport.close();
        });
    }

    void removeProducer(Producer p) {
        producers.remove(p);
        if (p.ssrc() != 0) producersBySsrc.remove(p.ssrc());
        if (p.rtxSsrc() != 0) producersBySsrc.remove(p.rtxSsrc());
        if (p.isSimulcast()) {
            ridProducers = java.util.Arrays.stream(ridProducers).filter(x -> x != p).toArray(Producer[]::new);
        }
    }

    /** Forgets SSRCs a simulcast producer learnt (0 is skipped). */
    void forgetSsrcs(int ssrc, int rtxSsrc) {
        if (ssrc != 0) producersBySsrc.remove(ssrc);
        if (rtxSsrc != 0) producersBySsrc.remove(rtxSsrc);
    }

    void removeConsumer(Consumer c) {
        consumers.remove(c);
        consumersBySsrc.remove(c.ssrc());
        if (c.rtxSsrc() != 0) consumersBySsrc.remove(c.rtxSsrc());
    }

    // ---- loop thread: packets in ----

    /**
     * The transport can carry media (DTLS connected, or back after an ICE restart). As a subscriber: each consumer
     * needs a keyframe now, whatever the order the two sides connected in (and one more soon after, see
     * {@link Consumer#onTransportConnected}). As a publisher: subscribers that waited
     * for this publisher to connect need one too (their requests were also kept pending by the producers).
     */
    @Override
    public void onConnected(long nowNanos) {
        for (int i = 0; i < consumers.size(); i++) consumers.get(i).onTransportConnected(nowNanos);
        for (int i = 0; i < producers.size(); i++) {
            Producer p = producers.get(i);
            if (p.consumerCount() > 0) p.requestKeyframe(nowNanos);
        }
    }

    @Override
    public void onRtp(byte[] buf, int off, int len, long nowNanos) {
        if (RtpPacket.validate(buf, off, len) < 0) {
            counters.drop(DropReason.RTP_MALFORMED, transport);
            return;
        }
        if (transportCcId != 0) recordArrival(buf, off, len, nowNanos);
        if (!mayPublish) {
            counters.drop(DropReason.RTP_NOT_ALLOWED, transport);
            return;
        }
        int ssrc = RtpPacket.ssrc(buf, off);
        Producer p = producersBySsrc.get(ssrc);
        if (p == null && ridProducers.length > 0) p = learnSsrc(buf, off, len, ssrc);
        if (p == null) {
            boolean refused = notGranted != null && notGranted.get(ssrc) != null;
            counters.drop(refused ? DropReason.RTP_NOT_GRANTED : DropReason.RTP_UNKNOWN_SSRC, transport);
            return;
        }
        if (p.isMediaSsrc(ssrc)) p.onRtp(buf, off, len, nowNanos);
        else p.onRtx(buf, off, len, ssrc, nowNanos); // answers to our NACKs, or padding to probe bandwidth
    }

    /** A new SSRC that may be a simulcast layer's, named by its RID element: the producer that takes it, or null. */
    private Producer learnSsrc(byte[] buf, int off, int len, int ssrc) {
        for (Producer p : ridProducers) {
            if (p.learnSsrc(buf, off, len, ssrc)) {
                producersBySsrc.put(ssrc, p);
                return p;
            }
        }
        return null;
    }

    private void recordArrival(byte[] buf, int off, int len, long nowNanos) {
        int seq = RtpHeaderExtensions.transportWideSequence(buf, off, len, transportCcId);
        if (seq < 0) return;
        if (!feedbackStarted) {
            if (feedback == null) feedback = new TransportCcFeedbackBuilder();
            transport.setTicking(true); // the feedback goes out on a tick
            feedbackMediaSsrc = RtpPacket.ssrc(buf, off);
            feedback.reset(rtcpSsrc, feedbackMediaSsrc, feedbackCount);
            feedbackStarted = true;
        }
        if (!feedback.add(seq, nowNanos / 1000)) {
            sendFeedback(nowNanos);
            feedback.reset(rtcpSsrc, feedbackMediaSsrc, feedbackCount);
            feedbackStarted = true;
            feedback.add(seq, nowNanos / 1000);
        }
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len, long nowNanos) {
        if (!RtcpPacket.validateCompound(buf, off, len)) {
            counters.drop(DropReason.RTCP_MALFORMED, transport);
            return;
        }
        int end = off + len;
        for (int p = off; p >= 0 && p < end; p = RtcpPacket.next(buf, p, end)) {
            int type = RtcpPacket.packetType(buf, p);
            int fmt = RtcpPacket.count(buf, p);
            int plen = RtcpPacket.packetLength(buf, p);
            switch (type) {
                case RtcpPacket.SR -> onSenderReport(buf, p, plen, nowNanos);
                case RtcpPacket.RTPFB -> {
                    if (fmt == GenericNack.FMT) onNack(buf, p, plen, nowNanos);
                    else if (fmt == TransportCcFeedback.FMT) transport.onTransportCcFeedback(buf, p, plen);
                }
                case RtcpPacket.PSFB -> {
                    if (fmt == PictureLossIndication.FMT) onKeyframeRequest(RtcpFeedback.mediaSsrc(buf, p), nowNanos);
                    else if (fmt == FullIntraRequest.FMT) {
                        for (int i = 0; i < FullIntraRequest.entryCount(buf, p); i++) {
                            onKeyframeRequest(FullIntraRequest.entrySsrc(buf, p, i), nowNanos);
                        }
                    }
                }
                default -> {
                    // RR, SDES, BYE, APP, REMB: nothing to do yet.
                }
            }
        }
    }

    private void onSenderReport(byte[] buf, int off, int len, long nowNanos) {
        Producer p = producersBySsrc.get(SenderReport.senderSsrc(buf, off));
        if (p != null && mayPublish) {
            p.onSenderReport(buf, off, len, SenderReport.senderSsrc(buf, off), SenderReport.ntpTimestamp(buf, off), nowNanos);
        }
    }

    private void onKeyframeRequest(int mediaSsrc, long nowNanos) {
        Consumer c = consumersBySsrc.get(mediaSsrc);
        if (c != null) c.onKeyframeRequest(nowNanos);
    }

    private void onNack(byte[] buf, int off, int len, long nowNanos) {
        Consumer c = consumersBySsrc.get(RtcpFeedback.mediaSsrc(buf, off));
        if (c == null || c.producer() == null || c.producer().retransmissions == null) return;
        if (lostScratch == null) lostScratch = new int[256];
        int lost = GenericNack.lostSequences(buf, off, lostScratch);
        for (int k = 0; k < lost; k++) c.onNack(lostScratch[k], nowNanos);
    }

    // ---- loop thread: packets out ----

    /** Sends a PLI for a publisher's stream; false when the transport cannot send (the caller keeps it pending). */
    boolean sendKeyframeRequest(int mediaSsrc) {
        byte[] out = loop.sendScratch();
        int n = PictureLossIndication.write(out, 0, rtcpSsrc, mediaSsrc);
        if (!transport.sendRtcp(out, 0, n)) return false;
        counters.addKeyframeRequestSent();
        return true;
    }

    /** Sends a generic NACK for a stream naming the first {@code count} sequence numbers of {@link #nackScratch}. */
    void sendNack(int mediaSsrc, int count) {
        byte[] out = loop.sendScratch();
        int n = GenericNack.write(out, 0, rtcpSsrc, mediaSsrc, nackScratch, count);
        if (transport.sendRtcp(out, 0, n)) counters.addNackSent(count);
    }

    @Override
    public void onTick(long nowNanos) {
        if (feedbackStarted && nowNanos - lastFeedbackNanos >= FEEDBACK_INTERVAL_NANOS) {
            sendFeedback(nowNanos);
        }
        if (nowNanos - lastReportNanos >= REPORT_INTERVAL_NANOS && !producers.isEmpty()) {
            lastReportNanos = nowNanos;
            sendReceiverReports(nowNanos);
        }
        for (int i = 0; i < producers.size(); i++) producers.get(i).onTick(nowNanos);
        if (allocator != null) {
            var estimator = transport.bandwidthEstimator();
            allocator.onTick(consumers, transport.availableBitrate(),
                    estimator == null ? -1 : estimator.acknowledgedBitrate(), estimator == null ? 0 : estimator.lastLoss(),
                    nowNanos);
            transport.setPacingEstimate(allocator.estimate()); // drained right after this tick, at the new rate
        }
        // Nothing published, no feedback pending, no video to share the downlink among: stop ticking (an audio
        // listener's endpoint never starts).
        if (producers.isEmpty() && !feedbackStarted && (allocator == null || !hasVideoConsumer())
                && transport.pacerIdle()) {
            transport.setTicking(false);
        }
    }

    private boolean hasVideoConsumer() {
        for (int i = 0; i < consumers.size(); i++) if (consumers.get(i).isVideo()) return true;
        return false;
    }

    /** The allocator of this subscriber's downlink, or null before its first video consumer (tests, diagnostics). */
    BandwidthAllocator allocator() {
        return allocator;
    }

    private void sendFeedback(long nowNanos) {
        lastFeedbackNanos = nowNanos;
        if (!feedbackStarted) return;
        byte[] out = loop.sendScratch();
        int n = feedback.write(out, 0);
        feedbackStarted = false;
        if (n > 0) {
            feedbackCount = (feedbackCount + 1) & 0xFF;
            transport.sendRtcp(out, 0, n);
        }
    }

    private void sendReceiverReports(long nowNanos) {
        byte[] out = loop.sendScratch();
        int blocks = 0;
        int at = ReceiverReport.HEADER_LENGTH;
        for (int i = 0; i < producers.size() && blocks < 31; i++) {
            Producer p = producers.get(i);
            for (int j = 0; j < p.layers.length && blocks < 31; j++) {
                ReceiveStatistics s = p.layers[j].statistics;
                if (!s.hasData()) continue;
                at += ReportBlock.write(out, at, p.layers[j].ssrc, s.takeFractionLost(), s.cumulativeLost(),
                        s.extendedHighestSequence(), s.jitter(), s.lastSrMiddleNtp(), s.delaySinceLastSr(nowNanos));
                blocks++;
            }
        }
        if (blocks == 0) return;
        ReceiverReport.write(out, 0, rtcpSsrc, blocks);
        transport.sendRtcp(out, 0, at);
    }
}
