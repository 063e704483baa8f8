package org.salotto.rooms.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.domain.LiveComment;
import org.salotto.rooms.domain.LobbyEntry;
import org.salotto.rooms.domain.MemberView;
import org.salotto.rooms.domain.RoomEvent;
import org.salotto.rooms.domain.RoomModel;
import org.salotto.rooms.store.Room;
import org.salotto.signaling.protocol.RoomEventFrame;
import org.salotto.signaling.protocol.ServerFrame;

/**
 * The room's events and snapshots as the frames of docs/protocol.md (records of {@link ServerFrame}): the runtime's
 * edge to the wire. The domain never sees a frame; {@code FrameCodec} alone turns them into JSON.
 */
public final class RoomFrames {
    private final String linkPath;

    RoomFrames(String linkPath) {
        this.linkPath = linkPath;
    }

    /** {@code joined} or {@code resumed}: everything a client needs to show the room (a live: its comments too). */
    ServerFrame.Snapshot snapshot(ServerFrame.SnapshotType type, MemberView me, RoomModel model,
                                  List<ServerFrame.Track> tracks, Collection<LobbyEntry> lobby, String resumeToken,
                                  long resumeGraceMs, List<String> nodes, java.util.Set<String> unlisted,
                                  boolean returned) {
        Room room = model.room();
        List<MemberView> members = model.members();
        List<ServerFrame.Member> list = new ArrayList<>(members.size() - unlisted.size());
        for (MemberView m : members) {
            // Hidden members are listed to nobody but themselves, the unlisted audience to the managers and themselves.
            boolean mine = m.participantId().equals(me.participantId());
            if (mine || !m.hidden() && !unlisted.contains(m.participantId())) list.add(member(m, room.kind()));
        }
        boolean live = room.kind() == RoomKind.LIVE;
        List<ServerFrame.Comment> comments = null;
        if (live) {
            comments = new ArrayList<>(RoomModel.SNAPSHOT_COMMENTS);
            for (LiveComment c : model.recentComments()) comments.add(comment(c));
        }
        // The room as the API shows it, head counts included: the snapshot knows them exactly.
        ServerFrame.Room shown = room(room, linkPath, model.people(), model.onStage());
        return new ServerFrame.Snapshot(type, me.participantId(), role(me.role(), room.kind()), grants(me.grants()), shown,
                list, tracks,
                lobby == null ? null : lobbyEntries(lobby), resumeToken, resumeGraceMs, comments,
                live && model.pinned() != null ? comment(model.pinned()) : null, live ? model.commentsOff() : null,
                live ? model.commentsOffMembers() : null, nodes, returned ? Boolean.TRUE : null);
    }

    /** A member's grants as the snapshot tells them to that member: the publish sources by their protocol names. */
    static ServerFrame.Grants grants(org.salotto.rooms.Grants g) {
        List<org.salotto.signaling.protocol.Source> publish = new ArrayList<>(3);
        // In the protocol's order of sources, whatever the set's.
        if (g.publish().contains(org.salotto.rooms.Grants.Source.MICROPHONE)) publish.add(org.salotto.signaling.protocol.Source.MIC);
        if (g.publish().contains(org.salotto.rooms.Grants.Source.CAMERA)) publish.add(org.salotto.signaling.protocol.Source.CAMERA);
        if (g.publish().contains(org.salotto.rooms.Grants.Source.SCREEN)) publish.add(org.salotto.signaling.protocol.Source.SCREEN);
        return new ServerFrame.Grants(List.copyOf(publish), g.subscribe(), g.admin(), g.hidden());
    }

    /** Someone waits: for a host's answer to their knock, or for a live in its backstage to start. */
    ServerFrame.Waiting waiting(String lobbyId, boolean practice) {
        return new ServerFrame.Waiting(lobbyId, practice ? "The live starts soon" : "waiting for the host to let you in");
    }

    /** A comment as everyone in the live sees it. */
    public static ServerFrame.Comment comment(LiveComment c) {
        return new ServerFrame.Comment(c.id(), c.participantId(), c.name(), c.text(), c.at(), c.badge(), null);
    }

    ServerFrame.Invited invited(String byName, RoomKind kind) {
        return new ServerFrame.Invited(byName,
                byName + (kind == RoomKind.LIVE ? " invites you to join the stage" : " invites you to speak"));
    }

    ServerFrame.Lobby lobby(Collection<LobbyEntry> entries) {
        return new ServerFrame.Lobby(lobbyEntries(entries));
    }

    /**
     * The event as clients see it in {@code roomEvents}, or null when it is not one of those (some go to one client
     * in a frame of their own, some only to the outbox).
     */
    RoomEventFrame clientEvent(RoomEvent event, RoomKind kind) {
        return switch (event) {
            case RoomEvent.MemberJoined e -> new RoomEventFrame.MemberJoined(member(e.member(), kind));
            case RoomEvent.MemberLeft e -> new RoomEventFrame.MemberLeft(e.participantId());
            case RoomEvent.RoleChanged e -> new RoomEventFrame.RoleChanged(e.participantId(), role(e.to(), kind));
            case RoomEvent.HandRaised e -> new RoomEventFrame.HandRaised(e.participantId());
            case RoomEvent.HandLowered e -> new RoomEventFrame.HandLowered(e.participantId(), e.declined() ? Boolean.TRUE : null);
            case RoomEvent.InvitationDeclined e -> new RoomEventFrame.InvitationDeclined(e.participantId());
            case RoomEvent.Reacted e -> new RoomEventFrame.Reaction(e.participantId(), e.emoji());
            case RoomEvent.BadgeBought e -> new RoomEventFrame.BadgeBought(e.purchaseId(), e.buyerId(), e.buyerName(),
                    e.targetId(), e.targetName(), e.hearts());
            case RoomEvent.LockChanged e -> new RoomEventFrame.LockChanged(e.locked());
            case RoomEvent.KnockChanged e -> new RoomEventFrame.KnockChanged(e.knock());
            case RoomEvent.RoomChanged e -> new RoomEventFrame.RoomChanged(room(e.room()));
            case RoomEvent.CommentPosted e -> new RoomEventFrame.CommentPosted(comment(e.comment()));
            case RoomEvent.CommentHidden e -> new RoomEventFrame.CommentHidden(e.commentId());
            case RoomEvent.CommentPinned e -> new RoomEventFrame.CommentPinned(e.comment() == null ? null : comment(e.comment()));
            case RoomEvent.CommentsChanged e -> new RoomEventFrame.CommentsChanged(e.off());
            case RoomEvent.MemberCommentsChanged e -> new RoomEventFrame.MemberCommentsChanged(e.participantId(), e.off());
            default -> null;
        };
    }

    /** A room as a frame shows it: without the head counts the HTTP API adds. */
    ServerFrame.Room room(Room room) {
        return room(room, linkPath, null, null);
    }

    /** A room as the API shows it; {@code people} and {@code onStage} null to leave them out. */
    public static ServerFrame.Room room(Room r, String linkPath, Integer people, Integer onStage) {
        return new ServerFrame.Room(r.id(), linkPath + r.id(), ServerFrame.RoomKind.valueOf(r.kind().name()), r.title(),
                r.activity(), ServerFrame.Visibility.valueOf(r.visibility().name()),
                ServerFrame.RoomState.valueOf(r.state().name()), r.locked(), r.knock(), r.practice(), r.hostAccountId(),
                r.scheduledStart(), r.createdAt(), r.endedAt(), people, onStage);
    }

    public static ServerFrame.Member member(MemberView m, RoomKind kind) {
        return new ServerFrame.Member(m.participantId(), m.displayName(), role(m.role(), kind), m.guest(),
                m.guest() ? null : m.accountId(), m.handRaised(), m.metadata());
    }

    public static List<ServerFrame.LobbyEntry> lobbyEntries(Collection<LobbyEntry> entries) {
        List<ServerFrame.LobbyEntry> out = new ArrayList<>(entries.size());
        for (LobbyEntry w : entries) out.add(new ServerFrame.LobbyEntry(w.lobbyId(), w.displayName(), w.guest(), w.since()));
        return out;
    }

    /** The role's name in a room of this kind (a space's speaker is a live's guest). */
    public static ServerFrame.Role role(Role role, RoomKind kind) {
        return ServerFrame.Role.valueOf(role.apiName(kind).toUpperCase());
    }
}
