package org.salotto.media.bwe;

/** What the overuse detector concludes from the delay trend (draft-ietf-rmcat-gcc-02 §5.4). */
public enum BandwidthUsage {
    /** Queues are growing: the path carries less than we send. */
    OVERUSING,
    /** Neither growing nor draining. */
    NORMAL,
    /** Queues are draining. */
    UNDERUSING
}
