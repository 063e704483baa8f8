package org.salotto.media.forward;

import java.util.Arrays;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.rtp.RtxPacket;
import org.salotto.media.transport.DropReason;

/**
 * One publisher's track as it arrives at the server: one RTP stream (simulcast comes later), its receive statistics
 * and retransmission buffer, and the consumers it feeds. Loop thread only, except {@link #close()}.
 */
public final class Producer {
    private final String id;
    private final Endpoint endpoint;
    private final TrackParameters parameters;
    private final MediaKind kind;
    private final int ssrc;
    private final int rtxSsrc;
    private final int clockRate;
    final ReceiveStatistics statistics;
    final RetransmissionBuffer retransmissions;
    final KeyframeRequestThrottle keyframes = new KeyframeRequestThrottle();
    /** Asks the publisher for lost packets: video whose codec negotiated {@code nack}; null otherwise. */
    final NackGenerator nacks;
    /** RTX payload type to the payload type it repairs (RFC 4588 apt), -1 where none: bytes, as Consumer's. */
    private final byte[] rtxApt = new byte[128];
    /** Audio only: the RFC 6464 levels the publisher sends, for the active-speaker detection. */
    private final AudioLevelMeter levels;
    private Consumer[] consumers = new Consumer[0];
    /** The distinct extension id maps of this producer's consumers (usually one or two). */
    private ExtensionIdMap[] extensionIdMaps = new ExtensionIdMap[0];
    /** Counts the packets forwarded, so that consumers can tell a packet from the last (ExtensionIdMap). */
    private long packetNumber;
    private int firSequence;
    private boolean closed;

    Producer(String id, Endpoint endpoint, TrackParameters parameters) {
        if (parameters.encodings().isEmpty()) throw new IllegalArgumentException("a producer needs an SSRC");
        if (parameters.codecs().isEmpty()) throw new IllegalArgumentException("a producer needs a codec");
        this.id = id;
        this.endpoint = endpoint;
        this.parameters = parameters;
        this.kind = parameters.kind();
        RtpEncoding encoding = parameters.encodings().getFirst();
        this.ssrc = encoding.ssrc();
        this.rtxSsrc = encoding.rtxSsrc();
        this.clockRate = parameters.codecs().getFirst().clockRate();
        this.statistics = new ReceiveStatistics(clockRate);
        this.retransmissions = kind == MediaKind.VIDEO ? new RetransmissionBuffer(1500) : null;
        Arrays.fill(rtxApt, (byte) -1);
        for (RtpCodec c : parameters.codecs()) if (c.hasRtx()) rtxApt[c.rtxPayloadType() & 0x7F] = (byte) c.payloadType();
        boolean nack = kind == MediaKind.VIDEO && parameters.codecs().getFirst().hasFeedback("nack");
        this.nacks = nack ? new NackGenerator(endpoint.nackSettings()) : null;
        this.levels = kind == MediaKind.AUDIO
                ? new AudioLevelMeter(parameters.extensionId(RtpHeaderExtension.AUDIO_LEVEL)) : null;
    }

    /** The audio levels of this track; null for video. Its sums are taken by one reader (the room's detector). */
    public AudioLevelMeter audioLevels() {
        return levels;
    }

    public String id() {
        return id;
    }

    public TrackParameters parameters() {
        return parameters;
    }

    public MediaKind kind() {
        return kind;
    }

    public int ssrc() {
        return ssrc;
    }

    public int rtxSsrc() {
        return rtxSsrc;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    boolean isClosed() {
        return closed;
    }

    /** Stops the track: its consumers stop too. Throws {@code MediaBusyException} when the loop's queue is full. */
    public void close() {
        endpoint.loop().execute(this::closeInLoop);
    }

    void closeInLoop() {
        if (closed) return;
        closed = true;
        endpoint.removeProducer(this);
        for (Consumer c : consumers) c.closeInLoop();
        consumers = new Consumer[0];
    }

    long packetNumber() {
        return packetNumber;
    }

    /** The shared map equal to {@code ids}, made on first use. Loop thread only. */
    ExtensionIdMap extensionIdMap(byte[] ids) {
        for (ExtensionIdMap m : extensionIdMaps) if (Arrays.equals(m.ids, ids)) return m;
        ExtensionIdMap m = new ExtensionIdMap(ids);
        extensionIdMaps = Arrays.copyOf(extensionIdMaps, extensionIdMaps.length + 1);
        extensionIdMaps[extensionIdMaps.length - 1] = m;
        return m;
    }

    void addConsumer(Consumer c) {
        consumers = Arrays.copyOf(consumers, consumers.length + 1);
        consumers[consumers.length - 1] = c;
    }

    void removeConsumer(Consumer c) {
        for (int i = 0; i < consumers.length; i++) {
            if (consumers[i] == c) {
                Consumer[] next = new Consumer[consumers.length - 1];
                System.arraycopy(consumers, 0, next, 0, i);
                System.arraycopy(consumers, i + 1, next, i, consumers.length - i - 1);
                consumers = next;
                return;
            }
        }
    }

    int consumerCount() {
        return consumers.length;
    }

    /** The per-packet path: record (a gap is noted for NACKs), keep for retransmission, and send to every consumer. */
    void onRtp(byte[] buf, int off, int len, long nowNanos) {
        int seq = RtpPacket.sequenceNumber(buf, off);
        if (nacks != null) nacks.onPacket(seq, nowNanos);
        statistics.onPacket(seq, RtpPacket.timestamp(buf, off), nowNanos);
        keepAndForward(buf, off, len, seq, nowNanos);
    }

    private void keepAndForward(byte[] buf, int off, int len, int seq, long nowNanos) {
        if (retransmissions != null) retransmissions.store(buf, off, len, seq, nowNanos);
        if (levels != null) levels.onPacket(buf, off, len);
        packetNumber++;
        Consumer[] cs = consumers;
        for (int i = 0; i < cs.length; i++) cs[i].forward(buf, off, len);
    }

    /**
     * A packet on the publisher's RTX SSRC (RFC 4588): unwrapped in place to the original and, when it fills a gap
     * the server asked for, handled as a late original (received, kept, forwarded to every consumer: their own
     * rewriting sees the original's sequence number). Padding-only packets (bandwidth probes) and retransmissions of
     * packets already received are dropped; malformed ones are dropped and counted.
     */
    void onRtx(byte[] buf, int off, int len, long nowNanos) {
        var counters = endpoint.counters();
        counters.addRtxReceived();
        int apt = rtxApt[RtpPacket.payloadType(buf, off)];
        int n = apt >= 0 ? RtxPacket.unwrap(buf, off, len, ssrc, apt)
                : RtpPacket.payloadLength(buf, off, len) == 0 ? RtxPacket.PADDING_ONLY : RtxPacket.MALFORMED;
        if (n == RtxPacket.PADDING_ONLY) {
            counters.addRtxPadding();
            return;
        }
        if (n == RtxPacket.MALFORMED) {
            counters.drop(DropReason.RTX_MALFORMED, endpoint.transport());
            return;
        }
        int at = off + RtxPacket.OSN_LENGTH;
        int seq = RtpPacket.sequenceNumber(buf, at);
        if (nacks == null || !nacks.onRetransmission(seq, nowNanos)) return;
        counters.addRtxRecovered();
        statistics.onRecovered();
        keepAndForward(buf, at, n, seq, nowNanos);
    }

    /** On the tick: NACKs for the packets due, and a keyframe request for those given up on. */
    private void sendNacks(long nowNanos) {
        if (consumers.length == 0) { // nobody to repair for: no NACK, and no keyframe for giving up
            nacks.forget();
            return;
        }
        int n = nacks.collectDue(nowNanos, endpoint.nackScratch());
        if (n > 0) endpoint.sendNack(this, n);
        int lost = nacks.takeGivenUp();
        if (lost > 0) endpoint.counters().addNackGivenUp(lost);
        if (nacks.takeKeyframeWanted()) requestKeyframe(nowNanos);
    }

    /**
     * A subscriber needs a keyframe: ask the publisher, at most once per throttle interval. A request the publisher
     * cannot take yet (its transport is not connected) stays pending and goes up on its first tick once connected.
     */
    void requestKeyframe(long nowNanos) {
        if (kind != MediaKind.VIDEO || closed) return;
        if (!endpoint.transport().isConnected()) {
            keyframes.defer();
        } else if (keyframes.request(nowNanos)) {
            if (!endpoint.sendKeyframeRequest(this)) keyframes.defer();
        } else {
            endpoint.counters().addKeyframeRequestThrottled();
        }
    }

    /** Keeps one keyframe request pending: it goes up when the throttle interval after the last one has passed. */
    void requestKeyframeLater() {
        if (kind == MediaKind.VIDEO && !closed) keyframes.defer();
    }

    int nextFirSequence() {
        return firSequence++ & 0xFF;
    }

    void onSenderReport(byte[] buf, int off, int len, long ntp, long nowNanos) {
        statistics.onSenderReport(ntp, nowNanos);
        Consumer[] cs = consumers;
        for (int i = 0; i < cs.length; i++) cs[i].forwardSenderReport(buf, off, len);
    }

    /** Every 10 ms while the publisher is connected: a pending keyframe request goes up when the throttle allows. */
    void onTick(long nowNanos) {
        if (nacks != null) sendNacks(nowNanos);
        if (keyframes.due(nowNanos) && !endpoint.sendKeyframeRequest(this)) keyframes.defer();
    }

    @Override
    public String toString() {
        return "Producer[" + id + " " + kind + " ssrc=" + Integer.toUnsignedString(ssrc) + "]";
    }
}
