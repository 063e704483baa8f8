package org.salotto.rooms.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.domain.RoomEvent;
import org.salotto.signaling.Messages;
import org.salotto.signaling.protocol.FrameCodec;

/**
 * The room's events as the event outbox keeps them, for webhooks and notifications: the client's event (written by
 * {@link FrameCodec}) plus who it was ({@code identity}), and the events clients never see. Not yet a published
 * contract: the webhooks issue will type these as the frames are.
 */
final class OutboxPayloads {
    private final RoomFrames frames;

    OutboxPayloads(RoomFrames frames) {
        this.frames = frames;
    }

    /** The payload, or null for what is not kept: reactions and connection drops are momentary. */
    ObjectNode of(RoomEvent event, RoomKind kind) {
        return switch (event) {
            case RoomEvent.Reacted e -> null;
            case RoomEvent.Disconnected e -> null;
            case RoomEvent.Resumed e -> null;
            case RoomEvent.Replaced e -> null;
            case RoomEvent.MemberLeft e -> Messages.message("memberLeft").put("participantId", e.participantId())
                    .put("identity", e.identity()).put("reason", e.reason());
            case RoomEvent.MemberJoined e -> {
                ObjectNode j = clientEvent(e, kind);
                ((ObjectNode) j.get("member")).put("identity", e.member().identity());
                yield j;
            }
            case RoomEvent.Knocked e -> Messages.message("knocked").put("lobbyId", e.entry().lobbyId())
                    .put("identity", e.entry().identity()).put("name", e.entry().displayName());
            case RoomEvent.LobbyLeft e -> Messages.message("lobbyLeft").put("lobbyId", e.lobbyId());
            case RoomEvent.Denied e -> Messages.message("denied").put("lobbyId", e.entry().lobbyId());
            case RoomEvent.Removed e -> Messages.message("removed").put("participantId", e.participantId())
                    .put("identity", e.identity()).put("by", e.byIdentity());
            case RoomEvent.Blocked e -> Messages.message("blocked").put("byAccountId", e.byAccountId())
                    .put("identity", e.identity());
            case RoomEvent.Invited e -> Messages.message("invited").put("participantId", e.participantId())
                    .put("by", e.byName());
            case RoomEvent.BadgeBought e -> clientEvent(e, kind).put("buyerIdentity", e.buyerIdentity());
            case RoomEvent.HostGraceStarted e -> Messages.message("hostGraceStarted").put("due", e.due().toString());
            case RoomEvent.HostGraceCancelled e -> Messages.message("hostGraceCancelled");
            case RoomEvent.RoomEnded e -> {
                ObjectNode r = Messages.message("roomEnded").put("message", e.message());
                r.set("room", FrameCodec.tree(frames.room(e.room())));
                yield r;
            }
            case RoomEvent.CommentPosted e -> {
                ObjectNode j = clientEvent(e, kind);
                ((ObjectNode) j.get("comment")).put("identity", e.comment().identity());
                yield j;
            }
            case RoomEvent.CommentHidden e -> clientEvent(e, kind).put("by", e.byIdentity());
            case RoomEvent.CommentPinned e -> clientEvent(e, kind).put("by", e.byIdentity());
            case RoomEvent.CommentsChanged e -> clientEvent(e, kind).put("by", e.byIdentity());
            case RoomEvent.MemberCommentsChanged e -> clientEvent(e, kind).put("identity", e.identity()).put("by", e.byIdentity());
            case RoomEvent.TrackPublished e -> Messages.message("trackPublished").put("participantId", e.participantId())
                    .put("identity", e.identity()).put("trackId", e.trackId()).put("kind", e.kind()).put("source", e.source());
            case RoomEvent.TrackUnpublished e -> Messages.message("trackUnpublished").put("participantId", e.participantId())
                    .put("identity", e.identity()).put("trackId", e.trackId());
            case RoomEvent.CommentReported e -> Messages.message("commentReported").put("commentId", e.commentId())
                    .put("by", e.byIdentity()).put("reason", e.reason());
            default -> clientEvent(event, kind);
        };
    }

    private ObjectNode clientEvent(RoomEvent event, RoomKind kind) {
        var e = frames.clientEvent(event, kind);
        return e == null ? null : (ObjectNode) FrameCodec.tree(e);
    }
}
