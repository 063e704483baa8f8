package org.salotto.media.forward;

import java.util.Arrays;

/**
 * The video slots of a live's viewers: each of the stage's cameras holds a slot for as long as it exists, the first
 * free slot when it came, in the order the cameras came (the stage's order: the caller adds them so); nobody loses a
 * slot to anybody. A camera that goes frees its slot, which stays silent until a camera waiting for one (more cameras
 * than slots) or the next one to come takes it. So a viewer's tiles do not move when someone else joins or leaves the
 * stage. Loop thread only; {@link #evaluate} allocates nothing.
 */
final class StageOrderSelector implements SlotSelector {
    private final int slots;
    private final int[] sourceIn;
    private boolean[] present = new boolean[0];
    private int[] slotOf = new int[0];
    /** When each source came (a counter): the waiting one that came first takes the next free slot. */
    private long[] cameAt = new long[0];
    private long arrivals;

    StageOrderSelector(int slots) {
        if (slots < 1) throw new IllegalArgumentException("at least one slot");
        this.slots = slots;
        this.sourceIn = new int[slots];
        Arrays.fill(sourceIn, NONE);
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public void add(int i) {
        if (i >= present.length) {
            int n = Math.max(i + 1, present.length * 2);
            int old = present.length;
            present = Arrays.copyOf(present, n);
            slotOf = Arrays.copyOf(slotOf, n);
            cameAt = Arrays.copyOf(cameAt, n);
            Arrays.fill(slotOf, old, n, NONE);
        }
        present[i] = true;
        slotOf[i] = NONE;
        cameAt[i] = arrivals++;
    }

    @Override
    public void remove(int i) {
        if (i >= present.length || !present[i]) return;
        present[i] = false;
        if (slotOf[i] != NONE) sourceIn[slotOf[i]] = NONE;
        slotOf[i] = NONE;
    }

    /** A camera's place does not depend on anything it sends. */
    @Override
    public void sample(int i, int loudness) {
    }

    @Override
    public boolean evaluate(long nowNanos) {
        boolean changed = false;
        for (int s = 0; s < slots; s++) {
            if (sourceIn[s] != NONE) continue;
            int first = NONE;
            for (int i = 0; i < present.length; i++) {
                if (present[i] && slotOf[i] == NONE && (first == NONE || cameAt[i] < cameAt[first])) first = i;
            }
            if (first == NONE) break;
            sourceIn[s] = first;
            slotOf[first] = s;
            changed = true;
        }
        return changed;
    }

    @Override
    public int sourceIn(int s) {
        return sourceIn[s];
    }
}
