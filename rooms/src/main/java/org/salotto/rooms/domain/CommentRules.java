package org.salotto.rooms.domain;

import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * The rules of a live's comments, decided for {@link RoomMachine} (which holds the model and emits): who may write,
 * and what the host and the moderator may do to comments. Calls and spaces have no comments.
 */
final class CommentRules {
    private final RoomMachine machine;
    private final RoomModel model;

    CommentRules(RoomMachine machine) {
        this.machine = machine;
        this.model = machine.model();
    }

    void comment(Command.Comment c) throws RoomException {
        requireLive();
        MemberState m = machine.self(c.actor());
        if (model.commentsOffFor(m.identity)) {
            throw new RoomException(ErrorCode.COMMENTS_OFF, "the host turned your comments off in this live");
        }
        if (model.commentsOff() && !moderates(m.role)) {
            throw new RoomException(ErrorCode.COMMENTS_OFF, "comments are off in this live");
        }
        machine.emit(new RoomEvent.CommentPosted(new LiveComment(c.commentId(), m.participantId, m.identity,
                m.displayName, c.text(), c.at(), model.badgeOf(m.participantId))));
    }

    void hide(Command.HideComment c) throws RoomException {
        requireLive();
        requireModerator(c.actor(), "hide comments");
        LiveComment pinned = model.pinned();
        machine.emit(new RoomEvent.CommentHidden(c.commentId(), c.actor().identity(), machine.nameOf(c.actor())));
        if (pinned != null && pinned.id().equals(c.commentId())) {
            machine.emit(new RoomEvent.CommentPinned(null, pinned.id(), c.actor().identity(), machine.nameOf(c.actor())));
        }
    }

    void pin(Command.PinComment c) throws RoomException {
        requireLive();
        requireModerator(c.actor(), "pin comments");
        LiveComment before = model.pinned();
        String beforeId = before == null ? null : before.id();
        if (c.commentId() == null) {
            if (before != null) machine.emit(new RoomEvent.CommentPinned(null, beforeId, c.actor().identity(), machine.nameOf(c.actor())));
            return;
        }
        LiveComment comment = model.recentComment(c.commentId()).orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND,
                "there is no such comment among the recent ones: pin one that everyone can still see"));
        if (comment.id().equals(beforeId)) return;
        machine.emit(new RoomEvent.CommentPinned(comment, beforeId, c.actor().identity(), machine.nameOf(c.actor())));
    }

    void setOff(Command.SetCommentsOff c) throws RoomException {
        requireLive();
        requireModerator(c.actor(), "turn comments off or on");
        if (model.commentsOff() != c.off()) {
            machine.emit(new RoomEvent.CommentsChanged(c.off(), c.actor().identity(), machine.nameOf(c.actor())));
        }
    }

    void setMemberOff(Command.SetMemberCommentsOff c) throws RoomException {
        requireLive();
        requireModerator(c.actor(), "turn someone's comments off or on");
        MemberState target = machine.target(c.participantId());
        if (machine.isHostAccount(target) || target.role == Role.HOST) {
            throw RoomException.notAllowed("nobody can turn the host's comments off");
        }
        if (target.identity.equals(c.actor().identity())) throw RoomException.notAllowed("you cannot turn your own comments off");
        if (model.commentsOffFor(target.identity) == c.off()) return;
        machine.emit(new RoomEvent.MemberCommentsChanged(target.participantId, target.identity, target.displayName, c.off(),
                c.actor().identity(), machine.nameOf(c.actor())));
    }

    void report(Command.ReportComment c) throws RoomException {
        requireLive();
        MemberState m = machine.self(c.actor());
        machine.emit(new RoomEvent.CommentReported(c.commentId(), m.identity, m.displayName, c.reason()));
    }

    private void requireLive() throws RoomException {
        if (model.room().kind() != RoomKind.LIVE) throw RoomException.badRequest("comments are for live rooms");
    }

    /** The host (in the room or not: the host's account) or the live's moderator. */
    private void requireModerator(Actor a, String what) throws RoomException {
        if (!moderates(machine.roleOf(a))) throw RoomException.notAllowed("only the host and the moderator can " + what);
    }

    private static boolean moderates(Role role) {
        return role == Role.HOST || role == Role.MODERATOR;
    }
}
