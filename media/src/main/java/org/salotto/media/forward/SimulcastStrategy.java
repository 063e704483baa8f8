package org.salotto.media.forward;

/**
 * One layer of a simulcast producer at a time: the smallest whose size covers the size the subscriber shows the video
 * at (the largest when none does, or when the subscriber has not said), among the layers the publisher is sending;
 * sizes as the producer knows them (VP8 keyframes, else estimated), so the offer's order of the rids does not matter.
 * A new target layer is asked for a keyframe, and the consumer keeps forwarding the layer it has until the target's
 * keyframe arrives: only then does it switch, so the decoder never gets a frame that refers to another layer's. Up
 * and down alike. A consumer that has shown nothing yet starts on the first keyframe of any layer, so that a target
 * the publisher has paused does not keep the subscriber waiting. The {@link BandwidthAllocator} may hold it to a
 * smaller layer ({@link #setAllocatedLayer}) or pause it; after a pause it starts again on the target's keyframe
 * only. Loop thread only; {@link #accept} allocates nothing.
 */
final class SimulcastStrategy implements ConsumerStrategy {
    /** How often the choice is looked at again when nothing else changed (a layer may have stopped). */
    static final long RECHECK_NANOS = 500_000_000L;
    /** While waiting for the target's keyframe, the request is repeated this often (the throttle may merge them). */
    static final long KEYFRAME_RETRY_NANOS = 1_000_000_000L;

    private final Producer producer;
    private final RtpRewriter rewriter;
    private int preferredWidth = Integer.MAX_VALUE;
    private int preferredHeight = Integer.MAX_VALUE;
    private int current = -1;
    private int target = -1;
    /** The allocator's layer, -1 for none (the wanted one is forwarded). */
    private int allocated = -1;
    /** What the allocator said last: whether it may move this consumer up, whether it paused it (for dynacast). */
    private boolean mayMoveUp;
    private boolean capBinding;
    private boolean suspended;
    /** After a pause: start again only on the target's keyframe. */
    private boolean resuming;
    private int seenLayout = -1;
    private long lastCheckNanos;
    private long lastAskNanos;
    private long switches;

    SimulcastStrategy(Producer producer, RtpRewriter rewriter) {
        this.producer = producer;
        this.rewriter = rewriter;
    }

    @Override
    public boolean accept(int layer, boolean keyframe, long nowNanos) {
        if (seenLayout != producer.layoutVersion() || nowNanos - lastCheckNanos >= RECHECK_NANOS) choose(nowNanos);
        if (current < 0 && keyframe && (!resuming || layer == target)) {
            resuming = false;
            // Nothing shown yet: start on the first keyframe of any layer rather than wait for the target's (which
            // may be paused at the publisher); the switch to the target follows on its keyframe.
            current = layer;
            switches++;
            rewriter.switchSource();
            return true;
        }
        if (layer == target && layer != current) {
            if (!keyframe) {
                if (nowNanos - lastAskNanos >= KEYFRAME_RETRY_NANOS) askTarget(nowNanos);
                return false;
            }
            current = target;
            switches++;
            rewriter.switchSource();
            return true;
        }
        return layer == current;
    }

    /** Picks the target layer; a new one is asked for a keyframe. */
    private void choose(long nowNanos) {
        seenLayout = producer.layoutVersion();
        lastCheckNanos = nowNanos;
        int wanted = allocated >= 0 && producer.isLayerActive(allocated, nowNanos) ? allocated : wantedLayer(nowNanos);
        if (wanted >= 0 && wanted != target) {
            target = wanted;
            if (target != current) askTarget(nowNanos);
        }
    }

    private void askTarget(long nowNanos) {
        lastAskNanos = nowNanos;
        producer.requestKeyframe(target, nowNanos);
    }

    /**
     * The smallest active layer that covers the preferred size, else the largest active one; -1 when no layer is
     * active. A layer counts as covering when both its width and its height reach the preferred ones.
     */
    @Override
    public int wantedLayer(long nowNanos) {
        return fittingLayer(nowNanos, true);
    }

    /**
     * The layers this consumer needs the publisher to send (dynacast), a bit per layer: the one it forwards, the one
     * it is switching to, and the one it would choose were every layer sent (a layer paused because nobody needed it
     * is inactive, so {@link #wantedLayer} alone would never ask for it back). When the {@link BandwidthAllocator}
     * holds it below that layer (its downlink has no room) and its feedback has shown loss since ({@link
     * #setCapBinding}), the allocator's layer instead, and the next wider one
     * only when the allocator would move up to it ({@link #setMayMoveUp}): that layer must be sent for the allocator to
     * move up to it, but the layers a subscriber's downlink cannot take are of no use to it. While the allocator has
     * paused it, none of its own (the lowest is always sent). Called on the producer's recheck, not per packet.
     */
    int neededLayers() {
        int needed = 0;
        int fitting = fittingLayer(0, false);
        if (suspended) return needed; // the lowest layer, which it resumes on, is sent anyway
        if (current >= 0) needed |= 1 << current;
        if (target >= 0) needed |= 1 << target;
        if (fitting < 0) return needed;
        if (capBinding && allocated >= 0 && producer.layerWidth(allocated) < producer.layerWidth(fitting)) {
            needed |= 1 << allocated;
            if (mayMoveUp) needed |= 1 << nextWider(allocated, fitting);
        } else {
            needed |= 1 << fitting;
        }
        return needed;
    }

    /** The narrowest layer wider than {@code from}, no wider than {@code upTo} ({@code upTo} when none is between). */
    private int nextWider(int from, int upTo) {
        int best = upTo;
        int fromWidth = producer.layerWidth(from);
        for (int i = 0; i < producer.layerCount(); i++) {
            int w = producer.layerWidth(i);
            if (w > fromWidth && w < producer.layerWidth(best)) best = i;
        }
        return best;
    }

    /**
     * The narrowest layer wider than {@code layer} that the tile still wants (no wider than the one it would take were
     * every layer sent), active or not; -1 when {@code layer} is already that wide. For the allocator's dynacast step.
     */
    int nextWiderThanAllocated(int layer) {
        int fitting = fittingLayer(0, false);
        if (layer < 0 || fitting < 0 || producer.layerWidth(layer) >= producer.layerWidth(fitting)) return -1;
        return nextWider(layer, fitting);
    }

    /**
     * The allocator says whether it would move this consumer up to the next wider layer were it sent: it may move up
     * (no move down within its hold time) and the estimate has room for that layer's last known bitrate. Dynacast
     * then asks the publisher for that layer ({@link #neededLayers}). Returns whether that changed.
     */
    boolean setMayMoveUp(boolean may) {
        if (mayMoveUp == may) return false;
        mayMoveUp = may;
        return true;
    }

    /**
     * The allocator says whether its cap on this consumer binds the publisher (loss was seen while capped): until it
     * does, the tile's layer stays needed as without a cap. Returns whether that changed.
     */
    boolean setCapBinding(boolean binding) {
        if (capBinding == binding) return false;
        capBinding = binding;
        return true;
    }

    /** The allocator paused (or resumed) this consumer: it needs no layer of its own while paused. */
    void setSuspended(boolean suspended) {
        this.suspended = suspended;
    }

    private int fittingLayer(long nowNanos, boolean activeOnly) {
        int n = producer.layerCount();
        int largest = -1;
        int smallestCovering = -1;
        for (int i = 0; i < n; i++) {
            if (activeOnly && !producer.isLayerActive(i, nowNanos)) continue;
            int width = producer.layerWidth(i);
            if (largest < 0 || width > producer.layerWidth(largest)) largest = i;
            boolean covers = width >= preferredWidth && producer.layerHeight(i) >= preferredHeight;
            if (covers && (smallestCovering < 0 || width < producer.layerWidth(smallestCovering))) smallestCovering = i;
        }
        return smallestCovering >= 0 ? smallestCovering : largest;
    }

    @Override
    public void setAllocatedLayer(int layer) {
        if (layer == allocated) return;
        allocated = layer;
        seenLayout = -1; // choose again on the next packet
    }

    @Override
    public void resume() {
        current = -1;
        resuming = true;
        seenLayout = -1;
    }

    @Override
    public void requestKeyframe(long nowNanos) {
        int layer = current >= 0 ? current : target;
        if (layer >= 0) producer.requestKeyframe(layer, nowNanos);
        else producer.requestKeyframe(nowNanos);
    }

    @Override
    public void setPreferredSize(int width, int height) {
        preferredWidth = width;
        preferredHeight = height;
        seenLayout = -1; // choose again on the next packet
    }

    @Override
    public int currentLayer() {
        return current;
    }

    int targetLayer() {
        return target;
    }

    long switches() {
        return switches;
    }
}
