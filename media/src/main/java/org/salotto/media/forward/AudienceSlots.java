package org.salotto.media.forward;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.salotto.media.params.TrackParameters;
import org.salotto.media.transport.MediaLoop;

/**
 * The fixed slots of a room's audience: every audience member's subscriber connection has the same number of
 * consumers of one kind, negotiated once, and this class decides which of the stage's producers feeds each slot. For
 * audio (loudest-N) the loudest, with hysteresis ({@link LoudestSelector}); for video ({@link #video}) the stage's
 * cameras, each on a slot of its own for as long as it exists ({@link StageOrderSelector}). A slot's consumers switch their source
 * ({@link Consumer#switchSource}) when the slot changes hands, so that promotions, demotions and who talks never
 * renegotiate a listener, and their sequence numbers and timestamps run on unbroken ({@link RtpRewriter}).
 *
 * <p>The cost per listener does not grow with the stage: a producer mapped to slot s forwards each packet to the
 * consumers of slot s ({@link Producer}'s slot feed), and a producer in no slot is not copied for the audience at all.
 * A slot without a source sends nothing.
 *
 * <p>A video slot's consumer keeps choosing its layer per viewer: on each switch it takes the strategy of the new
 * source (simulcast or one stream), with the tile size the viewer gave for the slot, and asks the new source for a
 * keyframe ({@link Consumer#switchSource}); its RTX, NACKs and the allocator's share work as for any video consumer.
 *
 * <p>Control methods (any thread) hand their work to the media loop and throw {@code MediaBusyException} when its
 * queue is full; the state is the loop's. Every listener of one room negotiates the same codecs and header extension
 * ids for its slots ({@code template}), so a source's payload type and extension id maps are made once for all of
 * them, when it becomes a source.
 */
public final class AudienceSlots {
    private final MediaLoop loop;
    private final TrackParameters template;
    private final SlotSelector selector;
    private final org.salotto.media.params.MediaKind kind;
    private final int slots;
    // Loop thread only.
    private Producer[] sources = new Producer[0];
    private byte[][] payloadTypeMaps = new byte[0][];
    private ExtensionIdMap[] extensionMaps = new ExtensionIdMap[0];
    private final Consumer[][] members;
    private final Producer[] fed;
    private final Runnable evaluateTask = () -> evaluateInLoop(nanoTime());
    /** The producer id in each slot (null: silent), published by the loop when it changes. */
    private volatile String[] mapping;
    private final AtomicLong switches = new AtomicLong();

    /**
     * @param slots         how many slots each audience member has
     * @param template      the codecs and header extensions every audience member negotiated for its slots
     * @param takeoverNanos how long a louder speaker must out-talk the quietest one in a slot to take it
     */
    public AudienceSlots(MediaLoop loop, int slots, TrackParameters template, long takeoverNanos) {
        this(loop, slots, template, new LoudestSelector(slots, takeoverNanos));
    }

    /**
     * A live's video slots: the stage's cameras ({@link #setSources}, in stage order), each on the first slot free when
     * it came, for as long as it exists.
     *
     * @param template the codecs (with RTX) and header extensions every viewer negotiated for its video slots
     */
    public static AudienceSlots video(MediaLoop loop, int slots, TrackParameters template) {
        return new AudienceSlots(loop, slots, template, new StageOrderSelector(slots));
    }

    private AudienceSlots(MediaLoop loop, int slots, TrackParameters template, SlotSelector selector) {
        this.loop = loop;
        this.kind = template.kind();
        this.slots = slots;
        this.template = template;
        this.selector = selector;
        this.members = new Consumer[slots][];
        for (int s = 0; s < slots; s++) members[s] = new Consumer[0];
        this.fed = new Producer[slots];
        this.mapping = new String[slots];
    }

    public int slots() {
        return slots;
    }

    /** Audio (the loudest speakers) or video (the stage's cameras). */
    public org.salotto.media.params.MediaKind kind() {
        return kind;
    }

    private long nanoTime() {
        return loop.nanoTime();
    }

    /** The stage's producers of this kind now, in stage order (a producer not listed stops being a source, its slot falls free). */
    public void setSources(List<Producer> producers) {
        Producer[] next = producers.toArray(new Producer[0]);
        loop.execute(() -> setSourcesInLoop(next));
    }

    void setSourcesInLoop(Producer[] next) {
        for (int i = 0; i < sources.length; i++) {
            Producer p = sources[i];
            if (p != null && !Arrays.asList(next).contains(p)) {
                selector.remove(i);
                sources[i] = null;
                payloadTypeMaps[i] = null;
                extensionMaps[i] = null;
            }
        }
        for (Producer p : next) {
            if (p.isClosed() || Arrays.asList(sources).contains(p)) continue;
            int i = Arrays.asList(sources).indexOf(null);
            if (i < 0) {
                i = sources.length;
                sources = Arrays.copyOf(sources, i + 1);
                payloadTypeMaps = Arrays.copyOf(payloadTypeMaps, i + 1);
                extensionMaps = Arrays.copyOf(extensionMaps, i + 1);
            }
            sources[i] = p;
            payloadTypeMaps[i] = Consumer.payloadTypeMap(p, template);
            byte[] ids = Consumer.extensionIdMapping(p, template);
            extensionMaps[i] = ids == null ? null : p.extensionIdMap(ids);
            p.takeRecentLoudness(); // what it said before it was a source does not count
            selector.add(i);
        }
        evaluateInLoop(nanoTime());
    }

    /**
     * A consumer for one audience member's slot {@code slot}: {@code parameters} are what it negotiated (its SSRC, the
     * template's codecs and extensions). It starts on the slot's current source, if any.
     */
    public Consumer consume(Endpoint endpoint, int slot, String id, TrackParameters parameters) {
        if (slot < 0 || slot >= slots) throw new IllegalArgumentException("no slot " + slot);
        Consumer c = new Consumer(id, endpoint, null, parameters, this);
        c.slot = slot;
        loop.execute(() -> {
            endpoint.register(c, parameters);
            if (kind == org.salotto.media.params.MediaKind.VIDEO) endpoint.videoConsumerAdded();
            Consumer[] m = Arrays.copyOf(members[slot], members[slot].length + 1);
            m[m.length - 1] = c;
            members[slot] = m;
            Producer p = fed[slot];
            if (p != null) {
                int i = Arrays.asList(sources).indexOf(p);
                c.switchSource(p, payloadTypeMaps[i], extensionMaps[i]);
                p.slotFeed = m;
                p.demandChanged();
            }
        });
        return c;
    }

    /** Loop thread: a slot consumer closed. */
    void removeConsumer(Consumer c) {
        int s = c.slot;
        Consumer[] m = members[s];
        int at = Arrays.asList(m).indexOf(c);
        if (at < 0) return;
        Consumer[] next = new Consumer[m.length - 1];
        System.arraycopy(m, 0, next, 0, at);
        System.arraycopy(m, at + 1, next, at, m.length - at - 1);
        members[s] = next;
        if (fed[s] != null) {
            fed[s].slotFeed = next;
            fed[s].demandChanged();
        }
    }

    /** One interval of the selection: hands the work to the loop (the same task each time, nothing allocated). */
    public void evaluate() {
        loop.execute(evaluateTask);
    }

    /** Loop thread (tests call it with their clock): reads each source's recent loudness and reassigns the slots. */
    void evaluateInLoop(long nowNanos) {
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] != null) selector.sample(i, sources[i].takeRecentLoudness());
        }
        if (!selector.evaluate(nowNanos) && !changedSinceMapping()) return;
        String[] next = new String[slots];
        for (int s = 0; s < slots; s++) {
            int i = selector.sourceIn(s);
            Producer p = i == SlotSelector.NONE ? null : sources[i];
            if (p != fed[s]) {
                if (fed[s] != null && fed[s].slotFeed == members[s]) {
                    fed[s].slotFeed = null;
                    fed[s].demandChanged();
                }
                fed[s] = p;
                Consumer[] m = members[s];
                for (Consumer c : m) c.switchSource(p, p == null ? null : payloadTypeMaps[i], p == null ? null : extensionMaps[i]);
                if (p != null) {
                    p.slotFeed = m;
                    p.demandChanged();
                }
                switches.incrementAndGet();
            }
            next[s] = p == null ? null : p.id();
        }
        mapping = next;
    }

    /** Whether a slot's source was removed since the last mapping (its slot is free, nothing may have taken it). */
    private boolean changedSinceMapping() {
        for (int s = 0; s < slots; s++) {
            int i = selector.sourceIn(s);
            if ((i == SlotSelector.NONE ? null : sources[i]) != fed[s]) return true;
        }
        return false;
    }

    /** The id of the producer in each slot (null: silent), as the loop last decided. Any thread. */
    public String[] mapping() {
        return mapping.clone();
    }

    /** How many times a slot changed its source, since the start. Any thread. */
    public long switches() {
        return switches.get();
    }
}
