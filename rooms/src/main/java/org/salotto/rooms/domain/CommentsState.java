package org.salotto.rooms.domain;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a live's comments were when its room was last open, read from the database when it opens again: the recent
 * visible comments (oldest first), the pinned one (or null), whether comments are off for everyone, and the
 * identities whose comments are off, and the hearts of the best badge each identity bought in this live (for the
 * ledger's purchases to fill: the badge a buyer's comments show).
 */
public record CommentsState(List<LiveComment> recent, LiveComment pinned, boolean off, Set<String> offFor,
                            Map<String, Integer> badges) {

    public static final CommentsState NONE = new CommentsState(List.of(), null, false, Set.of(), Map.of());

    public CommentsState(List<LiveComment> recent, LiveComment pinned, boolean off, Set<String> offFor) {
        this(recent, pinned, off, offFor, Map.of());
    }

    public CommentsState {
        recent = List.copyOf(recent);
        offFor = Set.copyOf(offFor);
        badges = Map.copyOf(badges);
    }
}
