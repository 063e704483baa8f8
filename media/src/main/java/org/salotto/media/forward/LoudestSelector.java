package org.salotto.media.forward;

import java.util.Arrays;

/**
 * Which of a stage's audio sources fill an audience's fixed slots: the loudest ones, with hysteresis so that the
 * slots do not flap between two people talking at once. Sources are numbered by the caller (0 to capacity-1); each
 * interval the caller gives every source its mean loudness ({@link #sample}) and asks {@link #evaluate}.
 *
 * <p>The rules:
 * <ul>
 * <li>each source's score is a moving average of its loudness (0 silence to 127 at 0 dBov, as
 * {@link AudioLevelMeter#loudness}), half old and half new each interval; an interval without packets counts as
 * silence;</li>
 * <li>a free slot is taken at once by the loudest source that has none (a stage of N or fewer never switches);</li>
 * <li>a source without a slot takes the slot of the quietest source that has one when it has been louder than it by
 * {@link #MARGIN} for {@code takeoverNanos} in a row, and that source has held its slot for {@code takeoverNanos}
 * at least;</li>
 * <li>a source that goes ({@link #remove}) frees its slot, filled on the next evaluation.</li>
 * </ul>
 * Loop thread only; {@link #sample} and {@link #evaluate} allocate nothing.
 */
final class LoudestSelector implements SlotSelector {
    /** How much louder (in loudness units, about dB) a challenger must be than the quietest holder of a slot. */
    static final int MARGIN = 6;
    private static final long NEVER = Long.MIN_VALUE;

    private final int slots;
    private final long takeoverNanos;
    /** Per source: present, score, the slot it holds (or NONE), since when it holds it or has been louder. */
    private boolean[] present = new boolean[0];
    private int[] score = new int[0];
    private int[] slotOf = new int[0];
    private long[] heldSince = new long[0];
    private long[] louderSince = new long[0];
    /** Per slot: the source in it, or NONE. */
    private final int[] sourceIn;

    LoudestSelector(int slots, long takeoverNanos) {
        if (slots < 1) throw new IllegalArgumentException("at least one slot");
        this.slots = slots;
        this.takeoverNanos = takeoverNanos;
        this.sourceIn = new int[slots];
        Arrays.fill(sourceIn, NONE);
    }

    @Override
    public int slots() {
        return slots;
    }

    /** Makes source {@code i} a candidate (silent so far). May allocate: not on the per-packet path. */
    @Override
    public void add(int i) {
        if (i >= present.length) {
            int n = Math.max(i + 1, present.length * 2);
            int old = present.length;
            present = Arrays.copyOf(present, n);
            score = Arrays.copyOf(score, n);
            slotOf = Arrays.copyOf(slotOf, n);
            heldSince = Arrays.copyOf(heldSince, n);
            louderSince = Arrays.copyOf(louderSince, n);
            Arrays.fill(slotOf, old, n, NONE);
        }
        present[i] = true;
        score[i] = 0;
        slotOf[i] = NONE;
        louderSince[i] = NEVER;
    }

    /** Source {@code i} is gone: its slot, if any, is free until the next evaluation. */
    @Override
    public void remove(int i) {
        if (i >= present.length || !present[i]) return;
        present[i] = false;
        if (slotOf[i] != NONE) sourceIn[slotOf[i]] = NONE;
        slotOf[i] = NONE;
    }

    /** One interval of source i: its mean loudness, 0 to 127 (0 when it sent nothing). */
    @Override
    public void sample(int i, int loudness) {
        if (i < present.length && present[i]) score[i] = (score[i] + Math.clamp(loudness, 0, 127) + 1) >> 1;
    }

    /** The source in slot {@code s}, or {@link #NONE}. */
    @Override
    public int sourceIn(int s) {
        return sourceIn[s];
    }

    /** The slot source i holds, or {@link #NONE}. */
    int slotOf(int i) {
        return i < slotOf.length ? slotOf[i] : NONE;
    }

    int score(int i) {
        return score[i];
    }

    /** Applies the rules at {@code nowNanos}; true when some slot changed its source. */
    @Override
    public boolean evaluate(long nowNanos) {
        boolean changed = false;
        // Free slots first: the loudest sources without one.
        for (int s = 0; s < slots; s++) {
            if (sourceIn[s] != NONE) continue;
            int best = loudestWithoutSlot();
            if (best == NONE) break;
            assign(best, s, nowNanos);
            changed = true;
        }
        // Then challengers, at most one switch per slot per evaluation.
        for (int round = 0; round < slots; round++) {
            int quietest = quietestHolder();
            if (quietest == NONE) break;
            int bar = score[quietest] + MARGIN;
            int best = NONE;
            for (int i = 0; i < present.length; i++) {
                if (!present[i] || slotOf[i] != NONE) continue;
                if (score[i] >= bar) {
                    if (louderSince[i] == NEVER) louderSince[i] = nowNanos;
                    if (nowNanos - louderSince[i] >= takeoverNanos && (best == NONE || score[i] > score[best])) best = i;
                } else {
                    louderSince[i] = NEVER;
                }
            }
            if (best == NONE || nowNanos - heldSince[quietest] < takeoverNanos) break;
            int s = slotOf[quietest];
            slotOf[quietest] = NONE;
            louderSince[quietest] = NEVER;
            assign(best, s, nowNanos);
            changed = true;
        }
        return changed;
    }

    private void assign(int i, int s, long nowNanos) {
        sourceIn[s] = i;
        slotOf[i] = s;
        heldSince[i] = nowNanos;
        louderSince[i] = NEVER;
    }

    private int loudestWithoutSlot() {
        int best = NONE;
        for (int i = 0; i < present.length; i++) {
            if (present[i] && slotOf[i] == NONE && (best == NONE || score[i] > score[best])) best = i;
        }
        return best;
    }

    private int quietestHolder() {
        int q = NONE;
        for (int s = 0; s < slots; s++) {
            int i = sourceIn[s];
            if (i != NONE && (q == NONE || score[i] < score[q])) q = i;
        }
        return q;
    }
}
