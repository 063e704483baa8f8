package org.salotto.media.forward;

import java.util.Arrays;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.rtcp.SenderReport;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;
import org.salotto.media.rtp.VideoPayloads;
import org.salotto.media.transport.MediaLoop;

/**
 * One subscriber's copy of a producer's track. Which packets go out is its {@link ConsumerStrategy}'s choice (every
 * packet of a one-stream track, one layer of a simulcast one); every packet that goes is copied into the loop's send
 * buffer and rewritten to what this subscriber negotiated: its SSRC, its payload types, its header extension ids, and
 * its sequence numbers and timestamps, made by one {@link RtpRewriter} so that a switch of layer shows no gap and no
 * jump (a consumer that never switches passes them through unchanged). RTX retransmissions get their own sequence.
 */
public final class Consumer {
    private final String id;
    private final Endpoint endpoint;
    /** The source: fixed, except on an audience slot (then null while the slot is silent). */
    private Producer producer;
    private final TrackParameters parameters;
    /** The audience slots this consumer is one of (loudest-N audio), or null. */
    private final AudienceSlots slots;
    /** The slot of {@link #slots} this consumer is for. */
    int slot;
    private final int ssrc;
    private final int rtxSsrc;
    /** producer payload type to ours; -1 for a payload type we do not forward (bytes: a consumer per listener). */
    private byte[] payloadTypes;
    private final int rtxPayloadType;
    /**
     * producer extension id to ours; ids we did not negotiate map to one the subscriber ignores. Null when every id
     * maps to itself (nothing to rewrite).
     */
    private byte[] extensionIds;
    private boolean hasExtensionMapping;
    /** The producer's shared map for extensionIds, set when the consumer is attached (loop thread). */
    private ExtensionIdMap extensionMap;
    private boolean paused;
    private boolean closed;
    private int rtxSequence;
    private final RtpRewriter rewriter;
    private final ConsumerStrategy strategy;
    /** Whether the VP8 frame counters are rewritten (a simulcast VP8 track: each layer counts its own frames). */
    private final boolean rewritesVp8;

    Consumer(String id, Endpoint endpoint, Producer producer, TrackParameters parameters) {
        this(id, endpoint, producer, parameters, null);
    }

    /**
     * A consumer on an audience's fixed slot ({@code slots} not null): {@code producer} is null, the slot's source
     * comes with {@link #switchSource}.
     */
    Consumer(String id, Endpoint endpoint, Producer producer, TrackParameters parameters, AudienceSlots slots) {
        if (parameters.encodings().isEmpty()) throw new IllegalArgumentException("a consumer needs an SSRC");
        this.id = id;
        this.endpoint = endpoint;
        this.producer = producer;
        this.parameters = parameters;
        this.slots = slots;
        this.ssrc = parameters.encodings().getFirst().ssrc();
        this.rtxSsrc = parameters.encodings().getFirst().rtxSsrc();
        this.rtxSequence = new java.util.Random().nextInt(0x10000);
        if (slots != null) {
            this.payloadTypes = new byte[128];
            Arrays.fill(payloadTypes, (byte) -1);
            this.rtxPayloadType = -1;
            this.rewriter = new RtpRewriter(parameters.codecs().getFirst().clockRate());
            this.strategy = new SlotStrategy();
            this.rewritesVp8 = false;
            return;
        }
        this.payloadTypes = payloadTypeMap(producer, parameters);
        int rtxPt = -1;
        for (RtpCodec theirs : producer.parameters().codecs()) {
            for (RtpCodec ours : parameters.codecs()) {
                if (ours.mimeType().equalsIgnoreCase(theirs.mimeType())) {
                    if (rtxPt < 0 && ours.hasRtx()) rtxPt = ours.rtxPayloadType();
                    break;
                }
            }
        }
        this.rtxPayloadType = rtxSsrc != 0 ? rtxPt : -1;
        byte[] ids = extensionIdMapping(producer, parameters);
        this.hasExtensionMapping = ids != null;
        this.extensionIds = ids;
        this.rewriter = new RtpRewriter(producer.clockRate());
        this.strategy = producer.isSimulcast() ? new SimulcastStrategy(producer, rewriter) : new SimpleStrategy(producer);
        this.rewritesVp8 = producer.isSimulcast() && producer.codec() == VideoPayloads.CODEC_VP8;
    }

    /** Producer payload type to ours, -1 where we do not forward it. */
    static byte[] payloadTypeMap(Producer producer, TrackParameters parameters) {
        byte[] map = new byte[128];
        Arrays.fill(map, (byte) -1);
        for (RtpCodec theirs : producer.parameters().codecs()) {
            for (RtpCodec ours : parameters.codecs()) {
                if (ours.mimeType().equalsIgnoreCase(theirs.mimeType())) {
                    map[theirs.payloadType()] = (byte) ours.payloadType();
                    break;
                }
            }
        }
        return map;
    }

    /** Producer extension id to ours (ids we did not negotiate to one we ignore); null when every id maps to itself. */
    static byte[] extensionIdMapping(Producer producer, TrackParameters parameters) {
        int unused = unusedExtensionId(parameters);
        byte[] ids = new byte[256];
        boolean mapping = false;
        for (int i = 0; i < ids.length; i++) ids[i] = (byte) i;
        for (RtpHeaderExtension theirs : producer.parameters().headerExtensions()) {
            int ours = parameters.extensionId(theirs.uri());
            int mapped = ours != 0 ? ours : unused;
            ids[theirs.id()] = (byte) mapped;
            if (mapped != theirs.id()) mapping = true;
        }
        return mapping ? ids : null;
    }

    /**
     * An audience slot's consumer takes a new source (loop thread; null: the slot falls silent): its payload types
     * and extension ids become those of the new producer (maps the slots made once for it, shared by every listener),
     * and the next packet starts a new segment of the rewriter, so that the listener's decoder sees one stream.
     */
    void switchSource(Producer next, byte[] payloadTypeMap, ExtensionIdMap extensionIdMap) {
        if (next == producer) return;
        producer = next;
        payloadTypes = payloadTypeMap != null ? payloadTypeMap : payloadTypes;
        extensionMap = extensionIdMap;
        extensionIds = extensionIdMap != null ? extensionIdMap.ids : null;
        hasExtensionMapping = extensionIdMap != null;
        ((SlotStrategy) strategy).source = next;
        rewriter.switchSource();
    }

    /** The audience slots this consumer is one of, or null for a consumer of one producer. */
    AudienceSlots slots() {
        return slots;
    }

    /** An id in 1-14 that the subscriber did not negotiate, so that it skips the element (RFC 8285 §4.2). */
    private static int unusedExtensionId(TrackParameters parameters) {
        for (int id = 14; id >= 1; id--) {
            boolean used = false;
            for (RtpHeaderExtension e : parameters.headerExtensions()) used |= e.id() == id;
            if (!used) return id;
        }
        return 14;
    }

    public String id() {
        return id;
    }

    public Producer producer() {
        return producer;
    }

    public int ssrc() {
        return ssrc;
    }

    int rtxSsrc() {
        return rtxSsrc;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Pauses or resumes forwarding; takes effect on the next packet. A resumed consumer asks for a keyframe. */
    public void setPaused(boolean paused) {
        endpoint.loop().execute(() -> {
            boolean resumed = this.paused && !paused;
            this.paused = paused;
            if (resumed) requestKeyframeInLoop(System.nanoTime());
        });
    }

    /**
     * Asks the publisher for a keyframe for this subscriber (its peer has just learnt of the stream, say). Nothing
     * happens while the subscriber's transport is not connected: connecting asks for it then.
     */
    public void requestKeyframe() {
        endpoint.loop().execute(() -> requestKeyframeInLoop(System.nanoTime()));
    }

    void requestKeyframeInLoop(long nowNanos) {
        if (!closed && !paused && endpoint.transport().isConnected()) strategy.requestKeyframe(nowNanos);
    }

    /**
     * The size, in pixels, the subscriber shows this video at: a simulcast consumer forwards the smallest layer that
     * covers it. 0 by 0: not shown (the lowest layer). Ignored for a one-stream track.
     */
    public void setPreferredSize(int width, int height) {
        if (width < 0 || height < 0) throw new IllegalArgumentException("negative size");
        endpoint.loop().execute(() -> strategy.setPreferredSize(width, height));
    }

    /** The subscriber's PLI or FIR for this consumer's stream. */
    void onKeyframeRequest(long nowNanos) {
        if (!closed) strategy.requestKeyframe(nowNanos);
    }

    ConsumerStrategy strategy() {
        return strategy;
    }

    RtpRewriter rewriter() {
        return rewriter;
    }

    /**
     * This subscriber's transport has just connected: a keyframe now, and a second one a throttle interval later.
     * The first can reach the peer while its own end of the handshake is still finishing (it has no keys yet and
     * drops it); a peer that never sends PLI would then wait for the publisher's next periodic keyframe, if any.
     */
    void onTransportConnected(long nowNanos) {
        if (closed || paused) return;
        strategy.requestKeyframe(nowNanos);
        if (producer != null) producer.requestKeyframeLater();
    }

    /** Control methods here throw {@code MediaBusyException} when the loop's queue is full. */
    public void close() {
        endpoint.loop().execute(this::closeInLoop);
    }

    void closeInLoop() {
        if (closed) return;
        closed = true;
        if (slots != null) slots.removeConsumer(this);
        else producer.removeConsumer(this);
        endpoint.removeConsumer(this);
    }

    /** On the loop thread, before the producer's first packet reaches this consumer: share the producer's id map. */
    void attach() {
        if (hasExtensionMapping) {
            extensionMap = producer.extensionIdMap(extensionIds);
            extensionIds = extensionMap.ids; // one array for all the consumers that map alike
        }
    }

    /**
     * The per-packet path: ask the strategy, copy into the loop's send buffer, rewrite, protect and send.
     *
     * @param layer    the producer's layer the packet is from (0 for a one-stream track)
     * @param keyframe whether it starts a keyframe
     */
    void forward(byte[] buf, int off, int len, int layer, boolean keyframe, long nowNanos) {
        if (paused) return;
        int pt = payloadTypes[RtpPacket.payloadType(buf, off)];
        if (pt < 0) return;
        if (!strategy.accept(layer, keyframe, nowNanos)) return;
        MediaLoop loop = endpoint.loop();
        byte[] out = loop.sendScratch();
        System.arraycopy(buf, off, out, 0, len);
        if (!rewriter.rewrite(out, 0, layer, nowNanos)) return;
        if (rewritesVp8) {
            int header = RtpPacket.headerLength(out, 0, len);
            rewriter.rewriteVp8(out, header, len - header - RtpPacket.paddingLength(out, 0, len));
        }
        RtpPacket.setSsrc(out, 0, ssrc);
        RtpPacket.setPayloadType(out, 0, pt);
        if (extensionMap != null && RtpPacket.hasExtension(out, 0)) extensionMap.apply(out, len, producer.packetNumber());
        if (endpoint.transport().sendRtp(out, 0, len)) endpoint.counters().addForwarded();
    }

    /**
     * Answers a NACK for our sequence number {@code outSeq}: finds the layer and sequence number it was sent from,
     * and resends the stored packet if it is still there.
     */
    void onNack(int outSeq, long nowNanos) {
        if (producer == null) return;
        long from = rewriter.sourceOf(outSeq);
        if (from < 0) return;
        int layer = (int) (from >>> 16);
        if (layer >= producer.layers.length) return;
        RetransmissionBuffer cache = producer.layers[layer].retransmissions;
        if (cache == null) return;
        int slot = cache.find((int) (from & 0xFFFF), nowNanos);
        if (slot >= 0) retransmit(cache.packet(slot), cache.length(slot), outSeq);
    }

    /**
     * Resends a stored packet for a NACK, with our sequence number {@code outSeq} and the timestamp it went out with:
     * as RTX (RFC 4588 §4: new SSRC and sequence, the original sequence number in front of the payload) when
     * negotiated, else as the original packet.
     */
    void retransmit(byte[] stored, int len, int outSeq) {
        if (paused) return;
        int pt = payloadTypes[RtpPacket.payloadType(stored, 0)];
        if (pt < 0) return;
        byte[] out = endpoint.loop().sendScratch();
        long outTs = rewriter.outputTimestamp(outSeq, RtpPacket.timestamp(stored, 0));
        if (rtxPayloadType >= 0) {
            int header = RtpPacket.headerLength(stored, 0, len);
            if (header < 0) return;
            int padding = RtpPacket.hasPadding(stored, 0) ? RtpPacket.paddingLength(stored, 0, len) : 0;
            int payload = len - header - padding;
            System.arraycopy(stored, 0, out, 0, header);
            out[0] &= (byte) 0xDF; // the padding is dropped, so is its bit
            RtpPacket.setTimestamp(out, 0, outTs);
            out[header] = (byte) (outSeq >>> 8);
            out[header + 1] = (byte) outSeq;
            System.arraycopy(stored, header, out, header + 2, payload);
            if (rewritesVp8) rewriter.rewriteVp8Stored(out, header + 2, payload, outSeq);
            len = header + 2 + payload;
            RtpPacket.setSsrc(out, 0, rtxSsrc);
            RtpPacket.setPayloadType(out, 0, rtxPayloadType);
            RtpPacket.setSequenceNumber(out, 0, rtxSequence);
            rtxSequence = (rtxSequence + 1) & 0xFFFF;
        } else {
            System.arraycopy(stored, 0, out, 0, len);
            if (rewritesVp8) {
                int header = RtpPacket.headerLength(out, 0, len);
                if (header < 0) return;
                rewriter.rewriteVp8Stored(out, header, len - header - RtpPacket.paddingLength(out, 0, len), outSeq);
            }
            RtpPacket.setSequenceNumber(out, 0, outSeq);
            RtpPacket.setTimestamp(out, 0, outTs);
            RtpPacket.setSsrc(out, 0, ssrc);
            RtpPacket.setPayloadType(out, 0, pt);
        }
        if (hasExtensionMapping && RtpPacket.hasExtension(out, 0)) RtpHeaderExtensions.remapIds(out, 0, len, extensionIds);
        if (endpoint.transport().sendRtp(out, 0, len)) endpoint.counters().addRtxSent();
    }

    /**
     * Relays the publisher's sender report (for lip sync) with our SSRC, our timestamps and without its report
     * blocks; only the report of the layer forwarded now (its RTP timestamp maps through that layer's offset).
     */
    void forwardSenderReport(byte[] buf, int off, int len, int layer) {
        if (paused || layer != strategy.currentLayer() || rewriter.isSwitching() && producer.isSimulcast()) return;
        byte[] out = endpoint.loop().sendScratch();
        long rtpTs = rewriter.currentTimestamp(SenderReport.rtpTimestamp(buf, off));
        int n = SenderReport.write(out, 0, ssrc, SenderReport.ntpTimestamp(buf, off), rtpTs,
                SenderReport.packetCount(buf, off), SenderReport.octetCount(buf, off), 0);
        endpoint.transport().sendRtcp(out, 0, n);
    }

    @Override
    public String toString() {
        return "Consumer[" + id + " of " + (producer == null ? "a silent slot" : producer.id()) + " ssrc=" + Integer.toUnsignedString(ssrc) + "]";
    }
}
