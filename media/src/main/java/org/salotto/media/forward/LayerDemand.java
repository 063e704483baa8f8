package org.salotto.media.forward;

/**
 * Dynacast's memory for one simulcast producer: which of its layers the publisher is to send, from which ones are
 * needed now (a bit per layer, as {@link Producer} works them out from its consumers). A layer needed is sent again at
 * once; a layer no longer needed is paused only after it has gone unneeded for the whole pause delay, so that a tile
 * resized back and forth, or a subscriber that leaves and comes back, does not make the publisher's encoder stop and
 * start. Every layer is sent at first (what a browser does before it is told otherwise). Loop thread only; allocates
 * nothing.
 */
final class LayerDemand {
    /** No deadline. */
    static final long NEVER = Long.MAX_VALUE;

    private final int layerCount;
    private final int allLayers;
    private final long pauseDelayNanos;
    /** The layers the publisher is to send (a bit per layer). */
    private int sending;
    /** Per layer: since when it has been unneeded while still sent; meaningful while {@link #unneeded} has its bit. */
    private final long[] unneededSince;
    private int unneeded;

    LayerDemand(int layerCount, long pauseDelayNanos) {
        if (layerCount < 1 || layerCount > 3) throw new IllegalArgumentException("one to three layers");
        if (pauseDelayNanos < 0) throw new IllegalArgumentException("negative pause delay");
        this.layerCount = layerCount;
        this.allLayers = (1 << layerCount) - 1;
        this.pauseDelayNanos = pauseDelayNanos;
        this.sending = allLayers;
        this.unneededSince = new long[layerCount];
    }

    /**
     * Takes the layers needed now; returns whether the layers to send changed (a needed layer that was paused, or a
     * layer unneeded for the pause delay).
     */
    boolean update(int needed, long nowNanos) {
        needed &= allLayers;
        int before = sending;
        sending |= needed;
        unneeded &= ~needed;
        for (int i = 0; i < layerCount; i++) {
            int bit = 1 << i;
            if ((needed & bit) != 0 || (sending & bit) == 0) continue;
            if ((unneeded & bit) == 0) {
                unneeded |= bit;
                unneededSince[i] = nowNanos;
            }
            if (nowNanos - unneededSince[i] >= pauseDelayNanos) {
                sending &= ~bit;
                unneeded &= ~bit;
            }
        }
        return sending != before;
    }

    /** The layers the publisher is to send, a bit per layer (bit i: layer i). */
    int sending() {
        return sending;
    }

    /** When a layer sent but unneeded will have waited out the pause delay; {@link #NEVER} when none waits. */
    long nextDeadline() {
        long next = NEVER;
        for (int i = 0; i < layerCount; i++) {
            if ((unneeded & 1 << i) != 0) next = Math.min(next, unneededSince[i] + pauseDelayNanos);
        }
        return next;
    }
}
