package org.salotto.rooms.domain;

import java.util.List;
import java.util.Set;

/**
 * What a live's comments were when its room was last open, read from the database when it opens again: the recent
 * visible comments (oldest first), the pinned one (or null), whether comments are off for everyone, and the
 * identities whose comments are off.
 */
public record CommentsState(List<LiveComment> recent, LiveComment pinned, boolean off, Set<String> offFor) {

    public static final CommentsState NONE = new CommentsState(List.of(), null, false, Set.of());

    public CommentsState {
        recent = List.copyOf(recent);
        offFor = Set.copyOf(offFor);
    }
}
