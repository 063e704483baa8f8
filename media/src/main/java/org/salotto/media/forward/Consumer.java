package org.salotto.media.forward;

import java.util.Arrays;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.pacer.Pacer;
import org.salotto.media.rtcp.SenderReport;
import org.salotto.media.rtp.RedPayload;
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
 *
 * <p>RED (RFC 2198) from a publisher goes as it is, with our payload types inside too, to a subscriber that
 * negotiated RED; one that did not gets each packet's primary block alone, as plain Opus ({@link RedPayload#toPrimary}
 * in the send buffer: the producer checked the RED payload when it arrived).
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
    /** Our RTX payload type, -1 when none; a video slot's follows its source's codec. */
    private int rtxPayloadType;
    /**
     * The producer's RED payload type, -1 when it does not send RED (then nothing below matters). An audience slot's
     * changes with its source.
     */
    private int redFrom;
    /** Our RED payload type, -1 when we did not offer RED. */
    private final int redPayloadType;
    /** Our payload type of the media codec (the one inside RED), -1 when we have none. */
    private final int mediaPayloadType;
    /** Whether the blocks inside RED carry another payload type for us than for the producer (or slot source). */
    private boolean rewriteRedBlocks;
    /** Whether the subscriber's answer kept RED (until told: yes, as it was offered). */
    private boolean redNegotiated = true;
    /** Whether RED packets go out as their primary block only (the subscriber did not negotiate RED). */
    private boolean stripRed;
    /**
     * producer extension id to ours; ids we did not negotiate map to one the subscriber ignores. Null when every id
     * maps to itself (nothing to rewrite).
     */
    private byte[] extensionIds;
    private boolean hasExtensionMapping;
    /** The producer's shared map for extensionIds, set when the consumer is attached (loop thread). */
    private ExtensionIdMap extensionMap;
    private boolean paused;
    /** Paused by the {@link BandwidthAllocator}: the subscriber's downlink has no room for even the lowest layer. */
    private boolean suspended;
    /** {@link #suspended}, for the control side: the latest, whichever report reads it. */
    private volatile boolean suspendedForControl;
    private volatile SuspendListener suspendListener;
    private boolean closed;
    /** {@link #PRIORITY_NORMAL} or {@link #PRIORITY_SPEAKER}, as the signaling layer says; a screen share is above. */
    private int priority;
    /** The size the subscriber shows the video at; -1 until said (counted as the largest). */
    private int preferredWidth = -1;
    private int preferredHeight = -1;
    // The allocator's state for this consumer (loop thread): its layer (-1: none given), when it last moved down.
    int allocatedLayer = -1;
    long lastDownNanos = Long.MIN_VALUE;
    long lastUpNanos = Long.MIN_VALUE;
    /** How long after a move down this video waits before moving up: doubles after each move up that failed. */
    long upHoldNanos = BandwidthAllocator.UP_HOLD_NANOS;
    /** Whether loss was seen since the allocator began holding this video below its tile's layer (dynacast). */
    boolean capLossSeen;
    private int rtxSequence;
    private final RtpRewriter rewriter;
    /** Fixed, except on a video slot: the strategy of its current source (simulcast or one stream), made on a switch. */
    private ConsumerStrategy strategy;
    /**
     * Whether the VP8 frame counters are rewritten (a simulcast VP8 track: each layer counts its own frames; a video
     * slot whose source is VP8: each camera counts its own).
     */
    private boolean rewritesVp8;
    /** Whether this is a video slot's consumer (its strategy and RTX change with its source). */
    private final boolean videoSlot;
    /**
     * A video slot's source switches, counted: the rewriter's segments are tagged with it (above the layer), so that a
     * NACK for a packet of an earlier source is not answered from the current source's buffer.
     */
    private int sourceGeneration;
    /** Whether a packet has left for the subscriber yet (loop thread). */
    private boolean sentAny;
    /** Whether what goes out goes through the transport's pacer (video); audio goes at once. */
    private final boolean paced;

    Consumer(String id, Endpoint endpoint, Producer producer, TrackParameters parameters) {
        this(id, endpoint, producer, parameters, null, -1);
    }

    Consumer(String id, Endpoint endpoint, Producer producer, TrackParameters parameters, AudienceSlots slots) {
        this(id, endpoint, producer, parameters, slots, -1);
    }

    /**
     * A consumer on an audience's fixed slot ({@code slots} not null): {@code producer} is null, the slot's source
     * comes with {@link #switchSource}. {@code layer} 0 or more: one layer of a simulcast producer, always that one
     * ({@link LayerStrategy}, a relay to another node); -1: the strategy the producer calls for.
     */
    Consumer(String id, Endpoint endpoint, Producer producer, TrackParameters parameters, AudienceSlots slots, int layer) {
        if (parameters.encodings().isEmpty()) throw new IllegalArgumentException("a consumer needs an SSRC");
        this.id = id;
        this.endpoint = endpoint;
        this.producer = producer;
        this.parameters = parameters;
        this.slots = slots;
        this.ssrc = parameters.encodings().getFirst().ssrc();
        this.rtxSsrc = parameters.encodings().getFirst().rtxSsrc();
        this.rtxSequence = new java.util.Random().nextInt(0x10000);
        this.videoSlot = slots != null && parameters.kind() == MediaKind.VIDEO;
        this.paced = parameters.kind() == MediaKind.VIDEO;
        if (slots != null) {
            this.payloadTypes = new byte[128];
            Arrays.fill(payloadTypes, (byte) -1);
            this.rtxPayloadType = -1;
            this.rewriter = new RtpRewriter(parameters.codecs().getFirst().clockRate());
            this.strategy = new SlotStrategy();
            this.rewritesVp8 = false;
            // A slot forwards what its speaker sends, RED or Opus, under the slot's payload types (the slots' maps,
            // shared by every listener); whether RED goes whole is this listener's, from its answer (switchSource).
            this.redFrom = -1;
            RtpCodec ourRed = parameters.red();
            this.redPayloadType = ourRed == null ? -1 : ourRed.payloadType();
            this.mediaPayloadType = parameters.codecs().getFirst().payloadType();
            this.rewriteRedBlocks = false;
            this.stripRed = redPayloadType < 0;
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
        RtpCodec red = producer.kind() == MediaKind.AUDIO ? producer.parameters().red() : null;
        this.redFrom = red == null ? -1 : red.payloadType();
        RtpCodec ourRed = parameters.red();
        this.redPayloadType = ourRed == null ? -1 : ourRed.payloadType();
        this.mediaPayloadType = payloadTypes[producer.mediaPayloadType()];
        this.rewriteRedBlocks = mediaPayloadType >= 0 && mediaPayloadType != producer.mediaPayloadType();
        applyRed(true);
        byte[] ids = extensionIdMapping(producer, parameters);
        this.hasExtensionMapping = ids != null;
        this.extensionIds = ids;
        this.rewriter = new RtpRewriter(producer.clockRate());
        this.strategy = layer >= 0 ? new LayerStrategy(producer, layer)
                : producer.isSimulcast() ? new SimulcastStrategy(producer, rewriter)
                : new SimpleStrategy(producer, rewriter);
        // One layer alone counts its own frames unbroken: nothing to rewrite.
        this.rewritesVp8 = layer < 0 && producer.isSimulcast() && producer.codec() == VideoPayloads.CODEC_VP8;
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
        if (strategy instanceof SlotStrategy s) s.source = next;
        RtpCodec red = next == null ? null : next.parameters().red();
        redFrom = red == null ? -1 : red.payloadType();
        rewriteRedBlocks = next != null && next.mediaPayloadType() != mediaPayloadType;
        rewriter.switchSource();
        if (videoSlot) switchVideoSource(next);
    }

    /**
     * A video slot's new source: the strategy for it (a layer per this viewer's tile and downlink for a simulcast
     * camera, every packet of a one-stream one), starting on its keyframe, asked for now; RTX under our payload type
     * of its codec; the VP8 frame counters rewritten so that they run on across cameras. Loop thread; allocates a
     * strategy, once per switch.
     */
    private void switchVideoSource(Producer next) {
        sourceGeneration = (sourceGeneration + 1) & 0x3FFF;
        allocatedLayer = -1;
        if (next == null) {
            strategy = new SlotStrategy();
            rewritesVp8 = false;
            rtxPayloadType = -1;
            return;
        }
        if (next.isSimulcast()) {
            strategy = new SimulcastStrategy(next, rewriter);
        } else {
            strategy = new SimpleStrategy(next, rewriter);
            strategy.resume(); // the first packet forwarded is a keyframe: the decoder had another camera's frames
        }
        if (preferredWidth >= 0) strategy.setPreferredSize(preferredWidth, preferredHeight);
        rewritesVp8 = next.codec() == VideoPayloads.CODEC_VP8;
        int pt = payloadTypes[next.mediaPayloadType()];
        rtxPayloadType = -1;
        if (rtxSsrc != 0) {
            for (RtpCodec ours : parameters.codecs()) if (ours.payloadType() == pt && ours.hasRtx()) rtxPayloadType = ours.rtxPayloadType();
        }
        endpoint.videoConsumerAdded(); // the allocator and the tick, which a silent slot may have let stop
        long now = endpoint.loop().nanoTime();
        if (suspended) setSuspended(false, now); // the allocator decides again for the new source
        requestKeyframeInLoop(now);
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

    /**
     * Whether the subscriber's answer kept RED (RFC 2198): when it did not, the publisher's RED packets go out as their
     * primary block with the media codec's payload type. Until told, RED goes to a subscriber that was offered it.
     */
    public void setRedNegotiated(boolean negotiated) {
        if (redFrom < 0 && slots == null) return;
        endpoint.loop().execute(() -> applyRed(negotiated));
    }

    private void applyRed(boolean negotiated) {
        redNegotiated = negotiated;
        stripRed = !negotiated || redPayloadType < 0;
        // A slot's map is its source's, shared by every listener: forward() picks the payload type of RED itself.
        if (redFrom >= 0 && slots == null) payloadTypes[redFrom] = (byte) (stripRed ? mediaPayloadType : redPayloadType);
    }

    /** Pauses or resumes forwarding; takes effect on the next packet. A resumed consumer asks for a keyframe. */
    public void setPaused(boolean paused) {
        endpoint.loop().execute(() -> {
            boolean resumed = this.paused && !paused;
            this.paused = paused;
            if (producer != null) producer.demandChanged(); // an audience slot may be silent: no source
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
        endpoint.loop().execute(() -> setPreferredSizeInLoop(width, height));
    }

    void setPreferredSizeInLoop(int width, int height) {
        preferredWidth = width;
        preferredHeight = height;
        strategy.setPreferredSize(width, height);
        if (producer != null) producer.demandChanged(); // dynacast: the layer this tile takes may be one the publisher paused
    }

    /** Whether forwarding is paused ({@link #setPaused}). Loop thread. */
    boolean isPaused() {
        return paused;
    }

    /** The ordinary priority of a video in its subscriber's downlink. */
    public static final int PRIORITY_NORMAL = 0;
    /** The active speaker's camera: served before the others (after a screen share). */
    public static final int PRIORITY_SPEAKER = 1;
    /** A screen share: served first, whatever the signaling layer says (from the track's source). */
    static final int PRIORITY_SCREEN = 2;

    /**
     * How this video ranks when the subscriber's downlink cannot carry everything ({@link BandwidthAllocator}):
     * {@link #PRIORITY_SPEAKER} for the active speaker's camera, else {@link #PRIORITY_NORMAL}. A screen share ranks
     * first anyway. Takes effect at the next allocation.
     */
    public void setPriority(int priority) {
        if (priority != PRIORITY_NORMAL && priority != PRIORITY_SPEAKER) {
            throw new IllegalArgumentException("priority " + priority);
        }
        endpoint.loop().execute(() -> setPriorityInLoop(priority));
    }

    void setPriorityInLoop(int priority) {
        this.priority = priority;
    }

    /** The rank the allocator serves this consumer in: higher first. Loop thread. */
    int rank() {
        return "screen".equals(parameters.source()) ? PRIORITY_SCREEN : priority;
    }

    /** The area the subscriber shows the video at, for serving bigger tiles first; unknown counts as the largest. */
    long preferredArea() {
        return preferredWidth < 0 ? Long.MAX_VALUE : (long) preferredWidth * preferredHeight;
    }

    boolean isVideo() {
        return producer != null && producer.kind() == org.salotto.media.params.MediaKind.VIDEO;
    }

    /** Paused by the control side ({@link #setPaused}) or closed: the allocator counts nothing for it. */
    boolean isIdle() {
        return paused || closed;
    }

    boolean isSuspended() {
        return suspended;
    }

    /**
     * The allocator pauses this video (its downlink has no room for it) or lets it go again: it resumes on a keyframe,
     * asked for now. Loop thread.
     */
    void setSuspended(boolean suspended, long nowNanos) {
        if (this.suspended == suspended) return;
        this.suspended = suspended;
        suspendedForControl = suspended;
        SuspendListener listener = suspendListener;
        if (listener != null) endpoint.transport().control().execute(() -> listener.onSuspendedChanged(this));
        if (strategy instanceof SimulcastStrategy s) {
            s.setSuspended(suspended);
            producer.demandChanged(); // dynacast: a paused subscriber needs no layer of its own
        }
        if (!suspended) {
            strategy.resume();
            requestKeyframeInLoop(nowNanos);
        }
    }

    /**
     * Sends one padding-only RTX packet of {@code padding} bytes of padding (1-255) to the subscriber, to probe its
     * downlink (the allocator's probe: transport-cc numbers it like media). False when this consumer cannot carry it
     * (no RTX negotiated, nothing sent yet). Allocates nothing.
     */
    boolean canSendPadding() {
        return rtxPayloadType >= 0;
    }

    boolean sendPadding(int padding, long nowNanos) {
        if (rtxPayloadType < 0 || paused || closed || rewriter.highestTimestamp() == Long.MIN_VALUE) return false;
        byte[] out = endpoint.loop().sendScratch();
        RtpPacket.writeHeader(out, 0, false, rtxPayloadType, rtxSequence, rewriter.highestTimestamp() & 0xFFFF_FFFFL,
                rtxSsrc);
        out[0] |= 0x20; // P: the payload is all padding
        java.util.Arrays.fill(out, RtpPacket.FIXED_HEADER_LENGTH, RtpPacket.FIXED_HEADER_LENGTH + padding - 1, (byte) 0);
        out[RtpPacket.FIXED_HEADER_LENGTH + padding - 1] = (byte) padding;
        rtxSequence = (rtxSequence + 1) & 0xFFFF;
        return endpoint.transport().sendPaced(out, 0, RtpPacket.FIXED_HEADER_LENGTH + padding, Pacer.PADDING, nowNanos);
    }

    /**
     * Hears when the {@link BandwidthAllocator} pauses this video for want of bandwidth, or lets it go again: on
     * the transport's control executor, off the loop thread, once per change (never per allocation round). A report
     * may overtake another: read {@link #isSuspendedByAllocator()} for the latest.
     */
    public interface SuspendListener {
        void onSuspendedChanged(Consumer consumer);
    }

    /** Sets who hears of pauses for bandwidth ({@link SuspendListener}); null for nobody. Any thread. */
    public void setSuspendListener(SuspendListener listener) {
        this.suspendListener = listener;
    }

    /** Whether the allocator has paused this video now (its subscriber's downlink has no room for it). Any thread. */
    public boolean isSuspendedByAllocator() {
        return suspendedForControl;
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
     * A video that starts on a keyframe (a simulcast track, a video slot's camera) and has sent nothing yet starts
     * again on that keyframe: its strategy may have started on one that went nowhere (the transport could not send
     * it), and the subscriber's decoder must not begin on the frames after it.
     */
    void onTransportConnected(long nowNanos) {
        if (closed || paused) return;
        if (!sentAny && (strategy instanceof SimulcastStrategy || videoSlot)) strategy.resume();
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
        if (paused || suspended) return;
        int from = RtpPacket.payloadType(buf, off);
        int pt = payloadTypes[from];
        if (pt < 0) return;
        if (!strategy.accept(layer, keyframe, nowNanos)) return;
        MediaLoop loop = endpoint.loop();
        byte[] out = loop.sendScratch();
        System.arraycopy(buf, off, out, 0, len);
        if (!rewriter.rewrite(out, 0, sourceGeneration << 2 | layer, nowNanos)) return;
        if (rewritesVp8) {
            int header = RtpPacket.headerLength(out, 0, len);
            rewriter.rewriteVp8(out, header, len - header - RtpPacket.paddingLength(out, 0, len));
        }
        RtpPacket.setSsrc(out, 0, ssrc);
        if (from == redFrom) {
            RtpPacket.setPayloadType(out, 0, stripRed ? mediaPayloadType : redPayloadType);
            // A probe of padding alone (Producer#onPaddingOnly) has no blocks: it goes on as it is, numbered.
            if (RtpPacket.payloadLength(out, 0, len) > 0) {
                if (stripRed) len = RedPayload.toPrimary(out, 0, len, RedPayload.ANY_PAYLOAD_TYPE);
                else if (rewriteRedBlocks) RedPayload.setBlockPayloadTypes(out, 0, len, mediaPayloadType);
                if (len < 0) return;
            }
        } else {
            RtpPacket.setPayloadType(out, 0, pt);
        }
        if (extensionMap != null && RtpPacket.hasExtension(out, 0)) extensionMap.apply(out, len, producer.packetNumber());
        boolean sent = paced ? endpoint.transport().sendPaced(out, 0, len, Pacer.MEDIA, nowNanos)
                : endpoint.transport().sendRtp(out, 0, len);
        if (sent) {
            endpoint.counters().addForwarded();
            sentAny = true;
        }
    }

    /**
     * Answers a NACK for our sequence number {@code outSeq}: finds the layer and sequence number it was sent from,
     * and resends the stored packet if it is still there.
     */
    void onNack(int outSeq, long nowNanos) {
        if (producer == null) return;
        long from = rewriter.sourceOf(outSeq);
        if (from < 0) return;
        int tag = (int) (from >>> 16);
        if (tag >>> 2 != sourceGeneration) return; // sent from a camera this slot no longer carries
        int layer = tag & 3;
        if (layer >= producer.layers.length) return;
        RetransmissionBuffer cache = producer.layers[layer].retransmissions;
        if (cache == null) return;
        int slot = cache.find((int) (from & 0xFFFF), nowNanos);
        if (slot >= 0) retransmit(cache.packet(slot), cache.length(slot), outSeq, nowNanos);
    }

    /**
     * Resends a stored packet for a NACK, with our sequence number {@code outSeq} and the timestamp it went out with:
     * as RTX (RFC 4588 §4: new SSRC and sequence, the original sequence number in front of the payload) when
     * negotiated, else as the original packet.
     */
    void retransmit(byte[] stored, int len, int outSeq, long nowNanos) {
        if (paused || suspended) return;
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
        boolean sent = paced ? endpoint.transport().sendPaced(out, 0, len, Pacer.RETRANSMISSION, nowNanos)
                : endpoint.transport().sendRtp(out, 0, len);
        if (sent) endpoint.counters().addRtxSent();
    }

    /**
     * Relays the publisher's sender report (for lip sync) with our SSRC, our timestamps and without its report
     * blocks; only the report of the layer forwarded now (its RTP timestamp maps through that layer's offset).
     */
    void forwardSenderReport(byte[] buf, int off, int len, int layer) {
        if (paused || suspended || layer != strategy.currentLayer() || rewriter.isSwitching() && producer.isSimulcast()) return;
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
