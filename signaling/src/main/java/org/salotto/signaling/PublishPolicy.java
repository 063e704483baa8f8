package org.salotto.signaling;

/**
 * What one participant may publish, decided by the layer above (the rooms' kinds and roles). Asked for each track of
 * each offer, so a rule that depends on the room (screen share only in small calls) is checked when it matters.
 */
@FunctionalInterface
public interface PublishPolicy {
    /** Nobody may publish anything: the audience. */
    PublishPolicy NOTHING = source -> "you may not publish in this room";
    /** Anything: mic, camera and screen. */
    PublishPolicy EVERYTHING = source -> null;

    /**
     * Why {@code source} ({@code mic}, {@code camera} or {@code screen}) may not be published now, as a sentence for
     * the person; null when it may.
     */
    String refusal(String source);

    /** True if nothing at all may be published. */
    default boolean refusesAll() {
        return refusal("mic") != null && refusal("camera") != null && refusal("screen") != null;
    }
}
