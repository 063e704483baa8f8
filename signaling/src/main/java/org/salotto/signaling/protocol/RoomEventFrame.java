package org.salotto.signaling.protocol;

/** One event in a {@code roomEvents} frame (docs/protocol.md, "Room events"); its {@code type} as for frames. */
public sealed interface RoomEventFrame {

    record MemberJoined(ServerFrame.Member member) implements RoomEventFrame {
    }

    record MemberLeft(String participantId) implements RoomEventFrame {
    }

    record RoleChanged(String participantId, ServerFrame.Role role) implements RoomEventFrame {
    }

    record HandRaised(String participantId) implements RoomEventFrame {
    }

    record HandLowered(String participantId,
                       @Wire.Omitted @Wire.Doc("true (and only present) when a host turned the request down") Boolean declined)
            implements RoomEventFrame {
    }

    record InvitationDeclined(String participantId) implements RoomEventFrame {
    }

    record LockChanged(boolean locked) implements RoomEventFrame {
    }

    record KnockChanged(boolean knock) implements RoomEventFrame {
    }

    record RoomChanged(ServerFrame.Room room) implements RoomEventFrame {
    }

    record Reaction(String participantId, String emoji) implements RoomEventFrame {
    }

    @Wire.Doc("a live: a new comment (the writer gets theirs here too)")
    record CommentPosted(ServerFrame.Comment comment) implements RoomEventFrame {
    }

    @Wire.Doc("a live: a comment is hidden, gone for everyone")
    record CommentHidden(String commentId) implements RoomEventFrame {
    }

    @Wire.Doc("a live: this comment is pinned now, or none is (null)")
    record CommentPinned(@Wire.Nullable ServerFrame.Comment comment) implements RoomEventFrame {
    }

    @Wire.Doc("a live: comments are off (or on again) for everyone but the host and the moderator")
    record CommentsChanged(boolean off) implements RoomEventFrame {
    }

    @Wire.Doc("a live: one person's comments are off (or on again); that person shows why their comments are refused")
    record MemberCommentsChanged(String participantId, boolean off) implements RoomEventFrame {
    }

    @Wire.Doc("a space or a live: how many are in its audience now (listeners or viewers, a live's moderator "
            + "included); sent with a batch when it changed. Past rooms.listed-audience the audience is counted, not "
            + "listed: see \"A large audience\"")
    record AudienceChanged(int audience) implements RoomEventFrame {
    }

    @Wire.Doc("a live: a viewer bought a badge of hearts (1, 2 or 3) for someone on stage; shown to everyone, the "
            + "supported person sees it live, and the buyer's comments carry the badge from now on")
    record BadgeBought(String purchaseId, String buyerId, String buyerName, String targetId, String targetName,
                       int hearts) implements RoomEventFrame {
    }
}
