package org.salotto.media.forward;

/**
 * A one-stream track: every packet goes out, the source never changes; after a pause of the allocator's it starts
 * again on a keyframe, in a new segment of the rewriter (the sequence numbers go on from the last sent).
 */
final class SimpleStrategy implements ConsumerStrategy {
    private final Producer producer;
    private final RtpRewriter rewriter;
    private boolean awaitingKeyframe;

    SimpleStrategy(Producer producer, RtpRewriter rewriter) {
        this.producer = producer;
        this.rewriter = rewriter;
    }

    @Override
    public boolean accept(int layer, boolean keyframe, long nowNanos) {
        if (!awaitingKeyframe) return true;
        if (!keyframe) return false;
        awaitingKeyframe = false;
        rewriter.switchSource();
        return true;
    }

    @Override
    public void requestKeyframe(long nowNanos) {
        producer.requestKeyframe(nowNanos);
    }

    @Override
    public int wantedLayer(long nowNanos) {
        return 0;
    }

    @Override
    public void resume() {
        // Audio is never paused by the allocator; a video restarts on its next keyframe (the consumer asks for one).
        awaitingKeyframe = producer.kind() == org.salotto.media.params.MediaKind.VIDEO;
    }

    @Override
    public int currentLayer() {
        return 0;
    }
}
