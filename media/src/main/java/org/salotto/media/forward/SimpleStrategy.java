package org.salotto.media.forward;

/** A one-stream track: every packet goes out, the source never changes. */
final class SimpleStrategy implements ConsumerStrategy {
    private final Producer producer;

    SimpleStrategy(Producer producer) {
        this.producer = producer;
    }

    @Override
    public boolean accept(int layer, boolean keyframe, long nowNanos) {
        return true;
    }

    @Override
    public void requestKeyframe(long nowNanos) {
        producer.requestKeyframe(nowNanos);
    }

    @Override
    public int currentLayer() {
        return 0;
    }
}
