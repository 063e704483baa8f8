package org.salotto.media.forward;

/**
 * Which of a stage's sources fill an audience's fixed slots ({@link AudienceSlots}). Sources are numbered by the
 * caller (0 to capacity-1) and given in stage order; each interval the caller gives every source its mean loudness
 * ({@link #sample}) and asks {@link #evaluate}. Two rules: the loudest speakers for audio ({@link LoudestSelector}),
 * the stage's cameras in the order they came for video ({@link StageOrderSelector}). Loop thread only;
 * {@link #sample} and {@link #evaluate} allocate nothing.
 */
sealed interface SlotSelector permits LoudestSelector, StageOrderSelector {
    int NONE = -1;

    int slots();

    /** Makes source {@code i} a candidate. May allocate: not on the per-packet path. */
    void add(int i);

    /** Source {@code i} is gone: its slot, if any, is free until the next evaluation. */
    void remove(int i);

    /** One interval of source i: its mean loudness, 0 to 127 (0 when it sent nothing). */
    void sample(int i, int loudness);

    /** Applies the rules at {@code nowNanos}; true when some slot changed its source. */
    boolean evaluate(long nowNanos);

    /** The source in slot {@code s}, or {@link #NONE}. */
    int sourceIn(int s);
}
