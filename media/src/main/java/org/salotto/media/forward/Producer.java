package org.salotto.media.forward;

import java.util.Arrays;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RedPayload;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.rtp.VideoPayloads;
import org.salotto.media.rtp.RtxPacket;
import org.salotto.media.transport.DropReason;

/**
 * One publisher's track as it arrives at the server: one RTP stream, or up to three simulcast layers (RFC 8853) named
 * by rid, each a {@link ProducerLayer} with its receive statistics and retransmission buffer; and the consumers it
 * feeds. A layer's SSRC is learnt from the RID header extension of its first packet ({@link #learnSsrc}). Each video
 * packet is looked at once, here, for whether it starts a keyframe (and a VP8 keyframe's size, which sizes the
 * layer), so that consumers choosing layers need not.
 *
 * <p>Dynacast: a simulcast producer works out which of its layers someone needs (see {@link #checkDemand}) and,
 * through a {@link LayerDemand}, which ones the publisher should send; when that changes, its
 * {@link LayerListener} hears of it off the loop thread, and the signaling side tells the publisher. Loop thread
 * only, except {@link #close()}, {@link #setLayerListener} and {@link #sendingRids()}.
 */
public final class Producer {
    /** A layer that has sent nothing for this long is not switched to (the publisher dropped it, say). */
    static final long LAYER_INACTIVE_NANOS = 2_000_000_000L;
    /** The width assumed for the top layer while no keyframe has told a layer's size (H.264, or none yet). */
    static final int ASSUMED_TOP_WIDTH = 1280;
    static final int ASSUMED_TOP_HEIGHT = 720;
    /** How often the layers needed are worked out again when nothing said they changed (a consumer switched, say). */
    static final long DEMAND_RECHECK_NANOS = 500_000_000L;
    /** How long a layer nobody needs is still sent before the publisher is told to pause it (media.dynacast-pause-delay). */
    public static final java.time.Duration DEFAULT_PAUSE_DELAY = java.time.Duration.ofSeconds(5);

    /**
     * Hears that the layers a simulcast producer wants its publisher to send changed. Called on the control executor
     * (never the loop thread), possibly several times for one change or out of order: read
     * {@link Producer#sendingRids()} then, which is always the latest.
     */
    public interface LayerListener {
        void onSendingLayersChanged(Producer producer);
    }

    private final String id;
    private final Endpoint endpoint;
    private final TrackParameters parameters;
    private final MediaKind kind;
    private final int ssrc;
    private final int rtxSsrc;
    private final int clockRate;
    private final int codec;
    /** The streams: one, or the simulcast layers in the offer's order (lowest first, as the web app sends them). */
    final ProducerLayer[] layers;
    private final boolean simulcast;
    private final int ridExtensionId;
    private final int repairedRidExtensionId;
    /** Changes when a layer's size or SSRC is learnt, so that consumers know to choose their layer again. */
    private int layoutVersion;
    final ReceiveStatistics statistics;
    final RetransmissionBuffer retransmissions;
    final KeyframeRequestThrottle keyframes;
    /** RTX payload type to the payload type it repairs (RFC 4588 apt), -1 where none: bytes, as Consumer's. */
    private final byte[] rtxApt = new byte[128];
    /** The RED (RFC 2198) payload type the publisher may wrap its audio in, -1 when RED was not negotiated. */
    private final int redPayloadType;
    /** The media codec's payload type: every RED block must carry it. */
    private final int mediaPayloadType;
    /** Audio only: the RFC 6464 levels the publisher sends, for the active-speaker detection. */
    private final AudioLevelMeter levels;
    private Consumer[] consumers = new Consumer[0];
    /**
     * The consumers of the audience slot this producer feeds now ({@link AudienceSlots}), or null: set by the slots
     * on the loop thread; a producer in no slot is not copied for the audience at all.
     */
    Consumer[] slotFeed;
    /** The distinct extension id maps of this producer's consumers (usually one or two). */
    private ExtensionIdMap[] extensionIdMaps = new ExtensionIdMap[0];
    /** Counts the packets forwarded, so that consumers can tell a packet from the last (ExtensionIdMap). */
    private long packetNumber;
    private int firSequence;
    private boolean closed;
    /** Dynacast, for a simulcast producer; null otherwise. */
    private final LayerDemand demand;
    /** Something the layers needed depend on changed (a consumer came, went or resized): look again on the tick. */
    private boolean demandChanged = true;
    private long nextDemandCheckNanos;
    /** {@link LayerDemand#sending()}, for the control side. */
    private volatile int sendingLayers;
    private volatile LayerListener layerListener;

    Producer(String id, Endpoint endpoint, TrackParameters parameters) {
        this(id, endpoint, parameters, endpoint == null ? DEFAULT_PAUSE_DELAY.toNanos() : endpoint.pauseDelayNanos());
    }

    /** As the other, with the dynacast pause delay given (tests, with no endpoint). */
    Producer(String id, Endpoint endpoint, TrackParameters parameters, long pauseDelayNanos) {
        if (parameters.encodings().isEmpty()) throw new IllegalArgumentException("a producer needs an SSRC");
        if (parameters.codecs().isEmpty()) throw new IllegalArgumentException("a producer needs a codec");
        this.id = id;
        this.endpoint = endpoint;
        this.parameters = parameters;
        this.kind = parameters.kind();
        RtpEncoding encoding = parameters.encodings().getFirst();
        this.simulcast = encoding.rid() != null;
        if (simulcast) {
            if (kind != MediaKind.VIDEO || parameters.encodings().size() > 3) {
                throw new IllegalArgumentException("simulcast is for video, with up to three layers");
            }
            this.ridExtensionId = parameters.extensionId(RtpHeaderExtension.RID);
            if (ridExtensionId == 0) throw new IllegalArgumentException("simulcast needs the rtp-stream-id extension");
            this.repairedRidExtensionId = parameters.extensionId(RtpHeaderExtension.REPAIRED_RID);
        } else {
            if (encoding.ssrc() == 0) throw new IllegalArgumentException("a producer needs an SSRC");
            this.ridExtensionId = 0;
            this.repairedRidExtensionId = 0;
        }
        this.ssrc = encoding.ssrc();
        this.rtxSsrc = encoding.rtxSsrc();
        this.clockRate = parameters.codecs().getFirst().clockRate();
        this.codec = VideoPayloads.codecOf(parameters.codecs().getFirst().mimeType());
        this.mediaPayloadType = parameters.codecs().getFirst().payloadType();
        RtpCodec red = kind == MediaKind.AUDIO ? parameters.red() : null;
        this.redPayloadType = red == null ? -1 : red.payloadType();
        Arrays.fill(rtxApt, (byte) -1);
        for (RtpCodec c : parameters.codecs()) if (c.hasRtx()) rtxApt[c.rtxPayloadType() & 0x7F] = (byte) c.payloadType();
        boolean nack = kind == MediaKind.VIDEO && parameters.codecs().getFirst().hasFeedback("nack");
        int n = simulcast ? parameters.encodings().size() : 1;
        this.layers = new ProducerLayer[n];
        for (int i = 0; i < n; i++) {
            RtpEncoding e = parameters.encodings().get(i);
            layers[i] = new ProducerLayer(i, e.rid(), e.ssrc(), e.rtxSsrc(), kind, clockRate,
                    nack ? endpoint.nackSettings() : null);
        }
        this.statistics = layers[0].statistics;
        this.retransmissions = layers[0].retransmissions;
        this.keyframes = layers[0].keyframes;
        this.levels = kind == MediaKind.AUDIO
                ? new AudioLevelMeter(parameters.extensionId(RtpHeaderExtension.AUDIO_LEVEL)) : null;
        this.demand = simulcast ? new LayerDemand(n, pauseDelayNanos) : null;
        this.sendingLayers = (1 << n) - 1;
    }

    /** The mean loudness since the last call, for the audience slots (loop thread); 0 for video. */
    int takeRecentLoudness() {
        return levels == null ? 0 : levels.takeRecentLoudness();
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

    /** Whether this track arrives as simulcast layers named by rid. */
    /** The video codec as {@link VideoPayloads} numbers it ({@code CODEC_OTHER} for audio). */
    int codec() {
        return codec;
    }

    public boolean isSimulcast() {
        return simulcast;
    }

    /** The publisher's payload type of the media codec (inside RED too). */
    int mediaPayloadType() {
        return mediaPayloadType;
    }

    int clockRate() {
        return clockRate;
    }

    /** The streams: 1, or the simulcast layers (2 or 3). */
    public int layerCount() {
        return layers.length;
    }

    int layoutVersion() {
        return layoutVersion;
    }

    /** The layer of a media SSRC, or -1 (an RTX SSRC, or unknown). At most three compares. */
    int layerOf(int ssrc) {
        ProducerLayer[] ls = layers;
        for (int i = 0; i < ls.length; i++) if (ls[i].ssrc == ssrc && ssrc != 0) return i;
        return -1;
    }

    /** Whether RTP on this SSRC is media to forward (not the publisher's RTX). */
    boolean isMediaSsrc(int ssrc) {
        return layerOf(ssrc) >= 0;
    }

    /**
     * A packet on an SSRC no producer knows yet: when it carries this producer's RID (or repaired RID) element naming
     * one of its layers, that layer takes the SSRC. Once per layer, so it may allocate.
     *
     * @return true when the SSRC is now this producer's
     */
    boolean learnSsrc(byte[] buf, int off, int len, int ssrc) {
        if (!simulcast || closed) return false;
        long rid = RtpHeaderExtensions.locate(buf, off, len, ridExtensionId);
        boolean repaired = false;
        if (rid < 0 && repairedRidExtensionId != 0) {
            rid = RtpHeaderExtensions.locate(buf, off, len, repairedRidExtensionId);
            repaired = true;
        }
        if (rid < 0) return false;
        int at = (int) (rid >>> 16);
        int n = (int) (rid & 0xFFFF);
        for (ProducerLayer l : layers) {
            if (!l.ridMatches(buf, at, n)) continue;
            if (repaired) {
                if (l.rtxSsrc != 0) return false;
                l.rtxSsrc = ssrc;
            } else {
                if (l.ssrc != 0) return false; // the layer has its SSRC: another one naming it is not taken
                l.ssrc = ssrc;
                layoutVersion++;
            }
            return true;
        }
        return false;
    }

    /**
     * The width of layer i: from its last keyframe, else estimated from a layer whose size is known (each layer twice
     * the one below, as the web app sends them), else from {@link #ASSUMED_TOP_WIDTH}.
     */
    int layerWidth(int i) {
        return layerSize(i, true);
    }

    int layerHeight(int i) {
        return layerSize(i, false);
    }

    private int layerSize(int i, boolean width) {
        ProducerLayer l = layers[i];
        if (l.width > 0) return width ? l.width : l.height;
        for (int j = layers.length - 1; j >= 0; j--) {
            ProducerLayer k = layers[j];
            if (k.width > 0) {
                int v = width ? k.width : k.height;
                return j > i ? v >> (j - i) : v << (i - j);
            }
        }
        int top = width ? ASSUMED_TOP_WIDTH : ASSUMED_TOP_HEIGHT;
        return top >> (layers.length - 1 - i);
    }

    /** What layer i brings in, bits per second (see {@link ProducerLayer#bitrate}). Loop thread. */
    long layerBitrate(int i, long nowNanos) {
        return layers[i].bitrate(nowNanos);
    }

    /** What layer i brought in when it was last sent, bits per second; 0 when never measured. Loop thread. */
    long layerKnownBitrate(int i) {
        return layers[i].knownBitrate();
    }

    /** Whether layer i has sent within {@link #LAYER_INACTIVE_NANOS}. */
    boolean isLayerActive(int i, long nowNanos) {
        return layers[i].isActive(nowNanos, LAYER_INACTIVE_NANOS);
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
        if (simulcast) {
            for (ProducerLayer l : layers) endpoint.forgetSsrcs(l.ssrc, l.rtxSsrc);
        }
        for (Consumer c : consumers) c.closeInLoop();
        consumers = new Consumer[0];
        slotFeed = null;
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
        demandChanged = true;
    }

    void removeConsumer(Consumer c) {
        for (int i = 0; i < consumers.length; i++) {
            if (consumers[i] == c) {
                Consumer[] next = new Consumer[consumers.length - 1];
                System.arraycopy(consumers, 0, next, 0, i);
                System.arraycopy(consumers, i + 1, next, i, consumers.length - i - 1);
                consumers = next;
                demandChanged = true;
                return;
            }
        }
    }

    int consumerCount() {
        return consumers.length;
    }

    /**
     * The per-packet path: record (a gap is noted for NACKs), keep for retransmission, and send to every consumer. A
     * RED packet is checked here, once, so that consumers may take its primary block out without checking again.
     */
    void onRtp(byte[] buf, int off, int len, long nowNanos) {
        int layer = simulcast ? layerOf(RtpPacket.ssrc(buf, off)) : 0;
        if (layer < 0) return;
        if (RtpPacket.hasPadding(buf, off) && RtpPacket.payloadLength(buf, off, len) == 0) {
            onPaddingOnly(layer, buf, off, len, nowNanos);
            return;
        }
        if (RtpPacket.payloadType(buf, off) == redPayloadType && !RedPayload.isValid(buf, off, len, mediaPayloadType)) {
            endpoint.counters().drop(DropReason.RED_MALFORMED, endpoint.transport());
            return;
        }
        ProducerLayer l = layers[layer];
        int seq = RtpPacket.sequenceNumber(buf, off);
        if (l.nacks != null) l.nacks.onPacket(seq, nowNanos);
        l.statistics.onPacket(seq, RtpPacket.timestamp(buf, off), nowNanos);
        keepAndForward(layer, buf, off, len, seq, nowNanos);
    }

    /**
     * A packet of padding alone on a media SSRC: a bandwidth probe (Chromium's pacer probes on the microphone's SSRC
     * when nothing else can carry padding, with the last payload type it sent, RED's for a RED microphone). Not
     * malformed and not media: its sequence number is noted (no NACK for it, no loss in our reports), and it goes on
     * cut to one byte of padding, so that every subscriber's numbering stays without a gap (a receiver takes an empty
     * packet for what it is: libwebrtc's NetEq notes its number). Not kept for retransmission, not a layer's sign of
     * life, no audio level.
     */
    private void onPaddingOnly(int layer, byte[] buf, int off, int len, long nowNanos) {
        ProducerLayer l = layers[layer];
        int seq = RtpPacket.sequenceNumber(buf, off);
        if (l.nacks != null) l.nacks.onPacket(seq, nowNanos);
        l.statistics.onPacket(seq, RtpPacket.timestamp(buf, off), nowNanos);
        int header = len - RtpPacket.paddingLength(buf, off, len);
        buf[off + header] = 1;
        Consumer[] cs = consumers;
        for (int i = 0; i < cs.length; i++) cs[i].forward(buf, off, header + 1, layer, false, nowNanos);
        Consumer[] slot = slotFeed;
        if (slot != null) for (int i = 0; i < slot.length; i++) slot[i].forward(buf, off, header + 1, layer, false, nowNanos);
    }

    private void keepAndForward(int layer, byte[] buf, int off, int len, int seq, long nowNanos) {
        ProducerLayer l = layers[layer];
        if (l.retransmissions != null) l.retransmissions.store(buf, off, len, seq, nowNanos);
        if (levels != null) levels.onPacket(buf, off, len);
        // A layer back after a pause (dynacast's, or the publisher's own): consumers choose again on this packet, so
        // that one waiting for it switches on its first keyframe.
        if (l.received && nowNanos - l.lastPacketNanos > LAYER_INACTIVE_NANOS) layoutVersion++;
        l.lastPacketNanos = nowNanos;
        l.received = true;
        l.bytes += len;
        boolean keyframe = kind == MediaKind.VIDEO && isKeyframe(l, buf, off, len);
        packetNumber++;
        Consumer[] cs = consumers;
        for (int i = 0; i < cs.length; i++) cs[i].forward(buf, off, len, layer, keyframe, nowNanos);
        Consumer[] slot = slotFeed;
        if (slot != null) for (int i = 0; i < slot.length; i++) slot[i].forward(buf, off, len, layer, keyframe, nowNanos);
    }

    /** Whether the packet starts a keyframe; a VP8 keyframe's size is kept as its layer's. */
    private boolean isKeyframe(ProducerLayer l, byte[] buf, int off, int len) {
        int header = RtpPacket.headerLength(buf, off, len);
        int payload = len - header - RtpPacket.paddingLength(buf, off, len);
        if (header < 0 || payload <= 0) return false;
        if (!VideoPayloads.isKeyframeStart(codec, buf, off + header, payload)) return false;
        if (codec == VideoPayloads.CODEC_VP8) {
            int size = VideoPayloads.vp8KeyframeSize(buf, off + header, payload);
            if (size > 0 && (size >>> 16 != l.width || (size & 0xFFFF) != l.height)) {
                l.width = size >>> 16;
                l.height = size & 0xFFFF;
                layoutVersion++;
            }
        }
        return true;
    }

    /**
     * A packet on one of the publisher's RTX SSRCs (RFC 4588), {@code rtxSsrc}: unwrapped in place to the original of
     * its layer and, when it fills a gap the server asked for, handled as a late original (received, kept, forwarded to
     * every consumer: their own rewriting sees the original's sequence number). Padding-only packets (bandwidth
     * probes) and retransmissions of packets already received are dropped; malformed ones, and RTX of a layer whose
     * RTX SSRC is not known, are dropped and counted.
     */
    void onRtx(byte[] buf, int off, int len, int rtxSsrc, long nowNanos) {
        var counters = endpoint.counters();
        counters.addRtxReceived();
        int layer = layerOfRtx(rtxSsrc);
        int apt = rtxApt[RtpPacket.payloadType(buf, off)];
        int n = layer < 0 ? RtxPacket.MALFORMED
                : apt >= 0 ? RtxPacket.unwrap(buf, off, len, layers[layer].ssrc, apt)
                : RtpPacket.payloadLength(buf, off, len) == 0 ? RtxPacket.PADDING_ONLY : RtxPacket.MALFORMED;
        if (n == RtxPacket.PADDING_ONLY) {
            counters.addRtxPadding();
            return;
        }
        if (n == RtxPacket.MALFORMED) {
            counters.drop(DropReason.RTX_MALFORMED, endpoint.transport());
            return;
        }
        ProducerLayer l = layers[layer];
        int at = off + RtxPacket.OSN_LENGTH;
        int seq = RtpPacket.sequenceNumber(buf, at);
        if (l.nacks == null || !l.nacks.onRetransmission(seq, nowNanos)) return;
        counters.addRtxRecovered();
        l.statistics.onRecovered();
        keepAndForward(layer, buf, at, n, seq, nowNanos);
    }

    /** The layer whose RTX SSRC this is, or -1. At most three compares. */
    private int layerOfRtx(int rtxSsrc) {
        ProducerLayer[] ls = layers;
        for (int i = 0; i < ls.length; i++) if (ls[i].rtxSsrc == rtxSsrc && rtxSsrc != 0) return i;
        return -1;
    }

    /** On the tick, for one layer: NACKs for the packets due, and a keyframe request for those given up on. */
    private void sendNacks(ProducerLayer l, long nowNanos) {
        if (consumers.length == 0 && slotFeed == null || l.ssrc == 0) { // nobody to repair for: no NACK, and no keyframe for giving up
            l.nacks.forget();
            return;
        }
        int n = l.nacks.collectDue(nowNanos, endpoint.nackScratch());
        if (n > 0) endpoint.sendNack(l.ssrc, n);
        int lost = l.nacks.takeGivenUp();
        if (lost > 0) endpoint.counters().addNackGivenUp(lost);
        if (l.nacks.takeKeyframeWanted()) requestKeyframe(l.index, nowNanos);
    }

    /**
     * A subscriber needs a keyframe: ask the publisher, at most once per throttle interval. A request the publisher
     * cannot take yet (its transport is not connected) stays pending and goes up on its first tick once connected.
     * For simulcast, every layer whose SSRC is known is asked.
     */
    void requestKeyframe(long nowNanos) {
        for (int i = 0; i < layers.length; i++) requestKeyframe(i, nowNanos);
    }

    /** As {@link #requestKeyframe(long)} for one layer (a simulcast consumer switching to it). */
    void requestKeyframe(int layer, long nowNanos) {
        if (kind != MediaKind.VIDEO || closed) return;
        ProducerLayer l = layers[layer];
        if (!endpoint.transport().isConnected() || l.ssrc == 0) {
            l.keyframes.defer();
        } else if (l.keyframes.request(nowNanos)) {
            if (!endpoint.sendKeyframeRequest(l.ssrc)) l.keyframes.defer();
        } else {
            endpoint.counters().addKeyframeRequestThrottled();
        }
    }

    /** Keeps one keyframe request pending: it goes up when the throttle interval after the last one has passed. */
    void requestKeyframeLater() {
        if (kind == MediaKind.VIDEO && !closed) {
            for (ProducerLayer l : layers) l.keyframes.defer();
        }
    }

    int nextFirSequence() {
        return firSequence++ & 0xFF;
    }

    void onSenderReport(byte[] buf, int off, int len, int senderSsrc, long ntp, long nowNanos) {
        int layer = layerOf(senderSsrc);
        if (layer < 0) return;
        layers[layer].statistics.onSenderReport(ntp, nowNanos);
        Consumer[] cs = consumers;
        for (int i = 0; i < cs.length; i++) cs[i].forwardSenderReport(buf, off, len, layer);
        Consumer[] slot = slotFeed;
        if (slot != null) for (int i = 0; i < slot.length; i++) slot[i].forwardSenderReport(buf, off, len, layer);
    }

    /** Every 10 ms while the publisher is connected: a pending keyframe request goes up when the throttle allows. */
    void onTick(long nowNanos) {
        for (ProducerLayer l : layers) {
            if (l.nacks != null) sendNacks(l, nowNanos);
            if (l.ssrc != 0 && l.keyframes.due(nowNanos) && !endpoint.sendKeyframeRequest(l.ssrc)) l.keyframes.defer();
        }
        if (demand != null && (demandChanged || nowNanos - nextDemandCheckNanos >= 0)) checkDemand(nowNanos);
    }

    // ---- dynacast ----

    /**
     * Who hears that the layers to send changed (the signaling side, which tells the publisher); null for nobody.
     * Any thread.
     */
    public void setLayerListener(LayerListener listener) {
        this.layerListener = listener;
    }

    /**
     * The rids of the layers the publisher should send now, in the offer's order (all of them until dynacast paused
     * one); empty for a producer that is not simulcast. Any thread.
     */
    public java.util.List<String> sendingRids() {
        int mask = sendingLayers;
        java.util.List<String> out = new java.util.ArrayList<>(layers.length);
        for (int i = 0; i < layers.length; i++) if ((mask & 1 << i) != 0 && layers[i].rid != null) out.add(layers[i].rid);
        return out;
    }

    /** The layers the publisher should send, a bit per layer (bit i: layer i). Any thread. */
    int sendingLayers() {
        return sendingLayers;
    }

    /** Something the layers needed depend on changed (a consumer's tile size, a consumer paused): look on the tick. */
    void demandChanged() {
        demandChanged = true;
    }

    /**
     * Works out the layers needed now and hands them to the {@link LayerDemand}; tells the listener when the layers to
     * send changed. Needed: the lowest layer, always, so that a new subscriber starts at once (it starts on the first
     * keyframe of any layer) and a subscriber whose layer was just paused has something to fall back on; and, for each
     * consumer not paused, the layer it forwards, the one it switches to, and the one its tile would take were every
     * layer sent. On the tick when something changed, else every {@link #DEMAND_RECHECK_NANOS} or at the pause
     * delay's next deadline; never per packet. Allocates nothing unless the layers to send change.
     */
    void checkDemand(long nowNanos) {
        demandChanged = false;
        if (closed) return;
        int needed = 1 << lowestLayer();
        Consumer[] cs = consumers;
        for (int i = 0; i < cs.length; i++) {
            if (cs[i].isPaused()) continue;
            if (cs[i].strategy() instanceof SimulcastStrategy s) needed |= s.neededLayers();
            else if (cs[i].strategy() instanceof LayerStrategy l) needed |= 1 << l.layer; // relayed to another node
        }
        Consumer[] slot = slotFeed; // a live's viewers on a video slot this camera holds
        if (slot != null) {
            for (int i = 0; i < slot.length; i++) {
                if (!slot[i].isPaused() && slot[i].strategy() instanceof SimulcastStrategy s) needed |= s.neededLayers();
            }
        }
        if (demand.update(needed, nowNanos)) {
            sendingLayers = demand.sending();
            LayerListener listener = layerListener;
            if (listener != null) {
                if (endpoint == null) listener.onSendingLayersChanged(this);
                else endpoint.transport().control().execute(() -> listener.onSendingLayersChanged(this));
            }
        }
        long deadline = demand.nextDeadline();
        nextDemandCheckNanos = nowNanos + (deadline == LayerDemand.NEVER ? DEMAND_RECHECK_NANOS
                : Math.min(DEMAND_RECHECK_NANOS, Math.max(0, deadline - nowNanos)));
    }

    /** The narrowest layer, as the producer knows the sizes (the first in the offer's order on a tie). */
    private int lowestLayer() {
        int lowest = 0;
        for (int i = 1; i < layers.length; i++) if (layerWidth(i) < layerWidth(lowest)) lowest = i;
        return lowest;
    }

    @Override
    public String toString() {
        return "Producer[" + id + " " + kind + " ssrc=" + Integer.toUnsignedString(ssrc)
                + (simulcast ? " layers=" + layers.length : "") + "]";
    }
}
