package org.salotto.media.forward;

/**
 * One layer of a simulcast producer, always that one, every packet of it: what a node relays to another (docs/scale.md
 * "Audience relayed across nodes"), each layer of a camera on a stream of its own, so that the other node chooses a
 * layer per viewer as this one does. No keyframe wait: the receiving node's consumers start each viewer on a keyframe
 * themselves; its keyframe requests for the stream ask the publisher for this layer's. Loop thread only; {@link
 * #accept} allocates nothing.
 */
final class LayerStrategy implements ConsumerStrategy {
    private final Producer producer;
    /** The producer's layer this consumer carries. */
    final int layer;

    LayerStrategy(Producer producer, int layer) {
        if (layer < 0 || layer >= producer.layerCount()) throw new IllegalArgumentException("no layer " + layer);
        this.producer = producer;
        this.layer = layer;
    }

    @Override
    public boolean accept(int layer, boolean keyframe, long nowNanos) {
        return layer == this.layer;
    }

    @Override
    public void requestKeyframe(long nowNanos) {
        producer.requestKeyframe(layer, nowNanos);
    }

    @Override
    public int wantedLayer(long nowNanos) {
        return layer;
    }

    /** Never paused by an allocator (a link between nodes has no estimate), so never resumed. */
    @Override
    public void resume() {
    }

    @Override
    public int currentLayer() {
        return layer;
    }
}
