package org.salotto.media.forward;

/**
 * What a consumer forwards of its producer: which packets go out, and when the source changes (a switch makes the
 * consumer's {@link RtpRewriter} start a new segment, so that the subscriber sees one unbroken stream). The
 * strategies: {@link SimpleStrategy} (every packet of a one-stream track), {@link SimulcastStrategy} (one layer at
 * a time, switching on keyframes) and {@link SlotStrategy} (an audience slot whose source changes). A relay to another
 * server, or a recorder, would be another. Loop thread only;
 * {@link #accept} is on the per-packet path and must not allocate.
 */
sealed interface ConsumerStrategy permits SimpleStrategy, SimulcastStrategy, SlotStrategy {
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

    /** The layer forwarded now, -1 before the first; 0 for a one-stream track. */
    int currentLayer();
}
