package org.salotto.media.forward;

/**
 * An audience's fixed audio slot ({@link AudienceSlots}), or a video slot while it is silent: the source changes when
 * the slots are reassigned, and the slots hand this consumer only the packets of its current source, so every packet
 * that reaches it goes. The switch itself ({@link Consumer#switchSource}) starts a new segment of the consumer's
 * rewriter: Opus needs no keyframe. A video slot with a source takes that source's own strategy (simulcast or one
 * stream) instead, which starts on a keyframe.
 */
final class SlotStrategy implements ConsumerStrategy {
    /** The producer feeding the slot now, null while it is silent. Loop thread. */
    Producer source;

    @Override
    public boolean accept(int layer, boolean keyframe, long nowNanos) {
        return true;
    }

    @Override
    public void requestKeyframe(long nowNanos) {
        Producer p = source;
        if (p != null) p.requestKeyframe(nowNanos);
    }

    @Override
    public int currentLayer() {
        return 0;
    }

    /** One stream: layer 0 (the allocator counts an audio slot, it never picks a layer for it). */
    @Override
    public int wantedLayer(long nowNanos) {
        return 0;
    }

    /** Audio is never paused by the allocator, so it is never resumed. */
    @Override
    public void resume() {
    }
}
