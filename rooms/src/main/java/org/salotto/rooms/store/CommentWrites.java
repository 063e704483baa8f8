package org.salotto.rooms.store;

import java.time.Instant;
import java.util.List;

/**
 * What one decision of a live changes of its comments, part of its {@link UnitOfWork}: comments posted and hidden,
 * the live's comment settings (null: unchanged), whose comments went off or on, moderation entries and reports.
 */
public record CommentWrites(List<StoredComment> posted, List<Hide> hidden, Settings settings, List<MemberSetting> members,
                            List<ModerationAction> actions, List<CommentReport> reports) {

    public static final CommentWrites NONE = new CommentWrites(List.of(), List.of(), null, List.of(), List.of(), List.of());

    /** A comment hidden by {@code byIdentity}. */
    public record Hide(String commentId, String byIdentity, Instant at) {
    }

    /** The live's settings after the decision: comments off for everyone, the pinned comment's id (or null). */
    public record Settings(boolean commentsOff, String pinnedCommentId) {
    }

    /** One person's comments off, or on again. */
    public record MemberSetting(String identity, boolean off, Instant at) {
    }

    public CommentWrites {
        posted = List.copyOf(posted);
        hidden = List.copyOf(hidden);
        members = List.copyOf(members);
        actions = List.copyOf(actions);
        reports = List.copyOf(reports);
    }

    public boolean isEmpty() {
        return posted.isEmpty() && hidden.isEmpty() && settings == null && members.isEmpty() && actions.isEmpty()
                && reports.isEmpty();
    }
}
