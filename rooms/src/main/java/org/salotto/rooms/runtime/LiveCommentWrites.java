package org.salotto.rooms.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.domain.LiveComment;
import org.salotto.rooms.domain.RoomEvent;
import org.salotto.rooms.domain.RoomModel;
import org.salotto.rooms.store.CommentReport;
import org.salotto.rooms.store.CommentWrites;
import org.salotto.rooms.store.ModerationAction;
import org.salotto.rooms.store.ModerationAction.Action;
import org.salotto.rooms.store.StoredComment;

/**
 * What one decision of a live changes of its comments, gathered event by event for {@link RoomWrites}: comments
 * posted and hidden, the live's settings, whose comments are off, and an entry of the host's moderation review for
 * each thing the host or the moderator did (and each report).
 */
final class LiveCommentWrites {
    private final RoomModel model;
    private final String roomId;
    private final Instant at;
    private final List<StoredComment> posted = new ArrayList<>();
    private final List<CommentWrites.Hide> hidden = new ArrayList<>();
    private final List<CommentWrites.MemberSetting> members = new ArrayList<>();
    private final List<ModerationAction> actions = new ArrayList<>();
    private final List<CommentReport> reports = new ArrayList<>();
    private boolean settingsChanged;

    /** {@code model}: the room after the decision. */
    LiveCommentWrites(RoomModel model, Instant at) {
        this.model = model;
        this.roomId = model.room().id();
        this.at = at;
    }

    /** {@code seq}: the event's outbox sequence number; every event here has one. */
    void add(RoomEvent event, long seq) {
        switch (event) {
            case RoomEvent.CommentPosted e -> {
                LiveComment c = e.comment();
                posted.add(new StoredComment(roomId, seq, c.id(), c.participantId(), c.identity(), c.name(), c.text(), c.at(), c.badge(),
                        false, null, null));
            }
            case RoomEvent.CommentHidden e -> {
                hidden.add(new CommentWrites.Hide(e.commentId(), e.byIdentity(), at));
                action(seq, e.byIdentity(), e.byName(), Action.HIDE, null, null, e.commentId(), null);
            }
            case RoomEvent.CommentPinned e -> {
                settingsChanged = true;
                if (e.comment() != null) {
                    action(seq, e.byIdentity(), e.byName(), Action.PIN, e.comment().identity(), e.comment().name(),
                            e.comment().id(), null);
                } else {
                    action(seq, e.byIdentity(), e.byName(), Action.UNPIN, null, null, e.unpinnedId(), null);
                }
            }
            case RoomEvent.CommentsChanged e -> {
                settingsChanged = true;
                action(seq, e.byIdentity(), e.byName(), e.off() ? Action.COMMENTS_OFF : Action.COMMENTS_ON, null, null, null, null);
            }
            case RoomEvent.MemberCommentsChanged e -> {
                members.add(new CommentWrites.MemberSetting(e.identity(), e.off(), at));
                action(seq, e.byIdentity(), e.byName(), e.off() ? Action.MEMBER_COMMENTS_OFF : Action.MEMBER_COMMENTS_ON,
                        e.identity(), e.name(), null, null);
            }
            case RoomEvent.CommentReported e -> {
                reports.add(new CommentReport(roomId, e.commentId(), e.byIdentity(), e.byName(), e.reason(), at));
                action(seq, e.byIdentity(), e.byName(), Action.REPORT, null, null, e.commentId(), e.reason());
            }
            case RoomEvent.Removed e -> {
                // A live's review lists the viewers removed; their name is the one their membership kept.
                if (model.room().kind() == RoomKind.LIVE) {
                    String by = model.memberByIdentity(e.byIdentity()).map(m -> m.displayName()).orElse("the host");
                    action(seq, e.byIdentity(), by, Action.REMOVE, e.identity(), null, null, null);
                }
            }
            default -> {
                // Nothing of the comments.
            }
        }
    }

    private void action(long seq, String actorIdentity, String actorName, Action action, String targetIdentity,
                        String targetName, String commentId, String detail) {
        if (seq == 0) throw new IllegalStateException("a moderation event without an outbox sequence number: " + action);
        actions.add(new ModerationAction(roomId, seq, at, actorIdentity, actorName, action, targetIdentity, targetName,
                commentId, detail, null));
    }

    CommentWrites writes() {
        if (posted.isEmpty() && hidden.isEmpty() && !settingsChanged && members.isEmpty() && actions.isEmpty()
                && reports.isEmpty()) {
            return CommentWrites.NONE;
        }
        CommentWrites.Settings settings = settingsChanged
                ? new CommentWrites.Settings(model.commentsOff(), model.pinned() == null ? null : model.pinned().id())
                : null;
        return new CommentWrites(posted, hidden, settings, members, actions, reports);
    }
}
