package org.salotto.rooms;

import java.util.ArrayList;
import java.util.List;
import org.salotto.rooms.domain.Actor;
import org.salotto.rooms.domain.Command;
import org.salotto.rooms.runtime.RoomRuntime;
import org.salotto.rooms.store.ModerationAction;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.Store;
import org.salotto.rooms.store.StoredComment;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.ServerFrame;

/**
 * A live's comments through the HTTP API: reading them (during the live and after it), and what the host and the
 * moderator do to them. Each change is a decision of the live's room ({@link Command}), stored before this returns;
 * writing a comment is the WebSocket's {@code comment} frame. Every method may block: call it from a virtual thread.
 */
public final class LiveComments {
    /** Comments one page gives at most, and by default. */
    public static final int MAX_PAGE = 200;
    public static final int DEFAULT_PAGE = 50;
    /** Entries of the moderation review given at most (the last ones). */
    public static final int MAX_REVIEW = 1000;

    private final RoomService rooms;
    private final Store store;
    private final RoomRuntime live;

    LiveComments(RoomService rooms, Store store, RoomRuntime live) {
        this.rooms = rooms;
        this.store = store;
        this.live = live;
    }

    /** A page of comments, oldest first, and the pinned one (null if none). */
    public record Page(List<ServerFrame.Comment> comments, ServerFrame.Comment pinned) {
    }

    /**
     * The {@code limit} comments before {@code beforeId} (null: the last ones), oldest first. Hidden comments are left
     * out, except for the host and the moderator, who get them marked {@code hidden}.
     */
    public Page comments(Caller caller, String roomId, String beforeId, int limit) throws RoomException {
        Room r = liveFor(caller, roomId);
        if (limit < 1 || limit > MAX_PAGE) throw RoomException.badRequest("'limit' must be 1 to " + MAX_PAGE);
        boolean moderates = moderates(caller, r);
        // What people in the live were told is what this reads.
        live.settled(roomId);
        if (beforeId != null && store.comment(roomId, beforeId).isEmpty()) {
            throw new RoomException(ErrorCode.NOT_FOUND, "'before' is not a comment of this live");
        }
        List<ServerFrame.Comment> out = new ArrayList<>();
        for (StoredComment c : store.comments(roomId, beforeId, limit, moderates)) out.add(view(c, moderates));
        StoredComment pinned = store.commentState(roomId, 0).pinned();
        return new Page(out, pinned == null ? null : view(pinned, false));
    }

    /** Hides a comment for everyone (the host and the moderator); hiding it again changes nothing. */
    public void hide(Caller caller, String roomId, String commentId) throws RoomException {
        liveFor(caller, roomId);
        StoredComment c = existing(roomId, commentId);
        if (c.hidden()) return;
        live.decide(roomId, new Command.HideComment(actor(caller), commentId));
    }

    /** Pins one of the recent comments, or unpins ({@code commentId} null). */
    public void pin(Caller caller, String roomId, String commentId) throws RoomException {
        liveFor(caller, roomId);
        live.decide(roomId, new Command.PinComment(actor(caller), commentId));
    }

    public void setCommentsOff(Caller caller, String roomId, boolean off) throws RoomException {
        liveFor(caller, roomId);
        live.decide(roomId, new Command.SetCommentsOff(actor(caller), off));
    }

    public void setMemberCommentsOff(Caller caller, String roomId, String participantId, boolean off) throws RoomException {
        liveFor(caller, roomId);
        live.decide(roomId, new Command.SetMemberCommentsOff(actor(caller), participantId, off));
    }

    /** Anyone in the live reports a comment to the host; a second report of the same comment by them changes nothing. */
    public void report(Caller caller, String roomId, String commentId, String reason) throws RoomException {
        liveFor(caller, roomId);
        String why = Names.reportReason(reason);
        existing(roomId, commentId);
        if (store.reported(roomId, commentId, caller.identity())) return;
        live.decide(roomId, new Command.ReportComment(actor(caller), commentId, why));
    }

    /** The live's moderation review, oldest first: the host's only. */
    public List<ModerationAction> moderation(Caller caller, String roomId) throws RoomException {
        Room r = liveFor(caller, roomId);
        if (!RoomService.isHost(caller, r)) throw RoomException.notAllowed("only the host sees the moderation review");
        live.settled(roomId);
        return store.moderationActions(roomId, MAX_REVIEW);
    }

    /** A comment of this live as the database has it, once the live's decisions so far are stored. */
    private StoredComment existing(String roomId, String commentId) throws RoomException {
        if (commentId == null || commentId.isEmpty() || commentId.length() > 64) {
            throw new RoomException(ErrorCode.NOT_FOUND, "there is no such comment in this live");
        }
        live.settled(roomId);
        return store.comment(roomId, commentId)
                .orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND, "there is no such comment in this live"));
    }

    private Room liveFor(Caller caller, String roomId) throws RoomException {
        Room r = rooms.roomFor(caller, roomId);
        if (r.kind() != RoomKind.LIVE) throw RoomException.badRequest("comments are for live rooms");
        return r;
    }

    /** The host, or the live's moderator (as the database last recorded the role). */
    private boolean moderates(Caller caller, Room r) {
        if (RoomService.isHost(caller, r)) return true;
        return store.membership(r.id(), caller.identity()).map(m -> m.role() == Role.MODERATOR).orElse(false);
    }

    private static ServerFrame.Comment view(StoredComment c, boolean showHidden) {
        return new ServerFrame.Comment(c.id(), c.participantId(), c.name(), c.text(), c.at(), c.badge(),
                showHidden && c.hidden() ? Boolean.TRUE : null);
    }

    private static Actor actor(Caller caller) {
        return new Actor(caller.identity(), caller.accountId());
    }
}
