package org.salotto.rooms.store;

import java.util.List;

/**
 * What a live's room needs of its comments when it opens again: the last visible ones (oldest first), the pinned
 * one (or null, also when it has been hidden since), whether comments are off for everyone, and for whom they are off.
 */
public record StoredCommentState(List<StoredComment> recent, StoredComment pinned, boolean commentsOff,
                                 List<String> offFor) {
}
