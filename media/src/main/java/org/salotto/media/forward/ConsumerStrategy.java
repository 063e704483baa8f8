package org.salotto.media.forward;

/**
 * What a consumer forwards of its producer: which packets go out, and when the source changes (a switch makes the
 * consumer's {@link RtpRewriter} start a new segment, so that the subscriber sees one unbroken stream). The
 * strategies: {@link SimpleStrategy} (every packet of a one-stream track), {@link SimulcastStrategy} (one layer at
 * a time, switching on keyframes) and {@link SlotStrategy} (an audience's audio slot whose source changes; a live's video slot takes the strategy of
 * each camera it carries, anew on each switch) and {@link LayerStrategy} (one layer, always, to another node). A
 * recorder would be another. Loop thread only;
 * {@link #accept} is on the per-packet path and must not allocate.
 */
sealed interface ConsumerStrategy permits SimpleStrategy, SimulcastStrategy, SlotStrategy, LayerStrategy {
    /**
     * Whether the producer's packet of layer {@code layer} goes to the subscriber. A strategy that switches sources
     * here calls {@link RtpRewriter#switchSource()} before returning true for the new source's first packet.
     *
     * @param keyframe whether the packet starts a keyframe (the producer looked, once for all consumers)
     */
    boolean accept(int layer, boolean keyframe, long nowNanos);

    /** The subscriber asks for a keyframe (a PLI or FIR, or it has just connected). */
    void requestKeyframe(long nowNanos);

    /** The size the subscriber shows the video at, in pixels; 0 by 0 when it does not show it. */
    default void setPreferredSize(int width, int height) {
    }

    /**
     * The layer the subscriber's tile size asks for, among those the publisher sends (-1 when none is active); 0 for
     * a one-stream track. The {@link BandwidthAllocator} gives it, or a smaller one.
     */
    int wantedLayer(long nowNanos);

    /**
     * The layer the subscriber's bandwidth allows ({@link BandwidthAllocator}), which the strategy forwards instead of
     * {@link #wantedLayer}; -1: none given (the wanted one). Taken on the next packet: a new layer is asked for a
     * keyframe then, and switched to on it. Ignored by a one-stream track (it is paused or not as a whole).
     */
    default void setAllocatedLayer(int layer) {
    }

    /**
     * Forwarding starts again after a pause of the allocator's: the next packet forwarded starts a keyframe (of the
     * layer wanted), in a new segment of the rewriter, so the decoder gets neither a gap nor a frame that refers to
     * one it never had.
     */
    void resume();

    /** The layer forwarded now, -1 before the first; 0 for a one-stream track. */
    int currentLayer();
}
