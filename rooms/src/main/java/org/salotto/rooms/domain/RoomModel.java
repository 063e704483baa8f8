package org.salotto.rooms.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.store.Room;

/**
 * The state of one open room: the room as stored, its members, its lobby, who was admitted or banned while it was
 * open, the host's grace timer, and a live's recent comments, comment settings and badges. {@link #apply} is the one place it changes; everything else reads.
 */
public final class RoomModel {
    private Room room;
    private final Map<String, MemberState> members = new LinkedHashMap<>();
    private final Map<String, MemberState> byIdentity = new LinkedHashMap<>();
    private final Map<String, LobbyEntry> lobby = new LinkedHashMap<>();
    /** Identities admitted from the lobby while the room was open: they come back without knocking. */
    private final Set<String> admitted = new HashSet<>();
    /** Identities removed (banned) or blocked by the host while the room was open. */
    private final Set<String> keptOut = new HashSet<>();
    private Instant hostGraceDue;
    /** A live's recent visible comments, oldest first, at most {@link #RECENT_KEPT}. */
    private final LinkedHashMap<String, LiveComment> recentComments = new LinkedHashMap<>();
    private LiveComment pinned;
    private boolean commentsOff;
    /** Identities whose comments the host or the moderator turned off in this live. */
    private final Set<String> commentsOffFor = new HashSet<>();
    /** The hearts of the best badge each identity bought in this live. */
    private final Map<String, Integer> badges = new HashMap<>();
    /** Tracks each participant publishes (track id to the publisher's identity), as the conference reported them. */
    private final Map<String, LinkedHashMap<String, String>> tracks = new HashMap<>();

    /** How many recent comments a late joiner gets. */
    public static final int SNAPSHOT_COMMENTS = 50;
    /** How many the room keeps, so that hiding a few still leaves {@link #SNAPSHOT_COMMENTS} to show. */
    static final int RECENT_KEPT = 2 * SNAPSHOT_COMMENTS;

    /** A room as the database has it; {@code hostGraceDue} is its durable timer, or null. */
    public RoomModel(Room room, Instant hostGraceDue) {
        this(room, hostGraceDue, CommentsState.NONE);
    }

    /** As {@link #RoomModel(Room, Instant)}, with a live's comments as they were when it was last open. */
    public RoomModel(Room room, Instant hostGraceDue, CommentsState comments) {
        this.room = room;
        this.hostGraceDue = hostGraceDue;
        for (LiveComment c : comments.recent()) keep(c);
        this.pinned = comments.pinned();
        this.commentsOff = comments.off();
        this.commentsOffFor.addAll(comments.offFor());
        this.badges.putAll(comments.badges());
    }

    /** Whether {@code participantId} publishes the track {@code trackId} (as the conference reported it). */
    public boolean hasTrack(String participantId, String trackId) {
        var t = tracks.get(participantId);
        return t != null && t.containsKey(trackId);
    }

    /** The tracks a participant publishes, oldest first. */
    public java.util.List<String> tracksOf(String participantId) {
        var t = tracks.get(participantId);
        return t == null ? java.util.List.of() : java.util.List.copyOf(t.keySet());
    }

    /** The identity of the participant whose tracks these are (kept with the tracks: they may have left). */
    String trackOwner(String participantId) {
        var t = tracks.get(participantId);
        return t == null || t.isEmpty() ? null : t.values().iterator().next();
    }

    public void apply(RoomEvent event) {
        switch (event) {
            case RoomEvent.TrackPublished e -> tracks.computeIfAbsent(e.participantId(), k -> new LinkedHashMap<>())
                    .put(e.trackId(), e.identity());
            case RoomEvent.TrackUnpublished e -> {
                var t = tracks.get(e.participantId());
                if (t != null) {
                    t.remove(e.trackId());
                    if (t.isEmpty()) tracks.remove(e.participantId());
                }
            }
            case RoomEvent.MemberJoined e -> {
                MemberView v = e.member();
                MemberState m = new MemberState(v.participantId(), v.identity(), v.accountId(), v.displayName(),
                        v.role(), e.connection());
                m.grants = v.grants();
                m.metadata = v.metadata();
                members.put(m.participantId, m);
                byIdentity.put(m.identity, m);
                if (e.admitted()) admitted.add(m.identity);
            }
            case RoomEvent.MemberLeft e -> {
                MemberState m = members.remove(e.participantId());
                if (m != null) byIdentity.remove(m.identity);
            }
            case RoomEvent.Replaced e -> {
                MemberState m = members.get(e.participantId());
                m.connection = e.connection();
                m.connected = true;
            }
            case RoomEvent.Disconnected e -> members.get(e.participantId()).connected = false;
            case RoomEvent.Resumed e -> {
                MemberState m = members.get(e.participantId());
                m.connection = e.connection();
                m.connected = true;
            }
            case RoomEvent.Knocked e -> lobby.put(e.entry().lobbyId(), e.entry());
            case RoomEvent.LobbyLeft e -> lobby.remove(e.lobbyId());
            case RoomEvent.Denied e -> lobby.remove(e.entry().lobbyId());
            case RoomEvent.Removed e -> keptOut.add(e.identity());
            case RoomEvent.Blocked e -> {
                if (e.byAccountId() == room.hostAccountId()) keptOut.add(e.identity());
            }
            case RoomEvent.RoleChanged e -> {
                MemberState m = members.get(e.participantId());
                m.role = e.to();
                m.handRaised = false;
                m.invited = false;
                m.actingHost = e.actingHost();
                m.byActingHost = e.byActingHost();
            }
            case RoomEvent.GrantsChanged e -> members.get(e.participantId()).grants = e.grants();
            case RoomEvent.HandRaised e -> members.get(e.participantId()).handRaised = true;
            case RoomEvent.HandLowered e -> members.get(e.participantId()).handRaised = false;
            case RoomEvent.Invited e -> members.get(e.participantId()).invited = true;
            case RoomEvent.InvitationDeclined e -> members.get(e.participantId()).invited = false;
            case RoomEvent.Reacted e -> {
                // Nothing to keep: a reaction is shown and gone.
            }
            case RoomEvent.LockChanged e -> room = room.withLocked(e.locked());
            case RoomEvent.KnockChanged e -> room = room.withKnock(e.knock());
            case RoomEvent.RoomChanged e -> room = e.room();
            case RoomEvent.HostGraceStarted e -> hostGraceDue = e.due();
            case RoomEvent.HostGraceCancelled e -> hostGraceDue = null;
            case RoomEvent.RoomEnded e -> {
                room = e.room();
                lobby.clear();
                hostGraceDue = null;
            }
            case RoomEvent.CommentPosted e -> keep(e.comment());
            case RoomEvent.CommentHidden e -> recentComments.remove(e.commentId());
            case RoomEvent.CommentPinned e -> pinned = e.comment();
            case RoomEvent.CommentsChanged e -> commentsOff = e.off();
            case RoomEvent.MemberCommentsChanged e -> {
                if (e.off()) commentsOffFor.add(e.identity());
                else commentsOffFor.remove(e.identity());
            }
            case RoomEvent.CommentReported e -> {
                // Kept in the database for the host's review, nothing to show in the room.
            }
            // The buyer's best badge, shown with their comments (badgeOf); the purchase itself is in the ledger.
            case RoomEvent.BadgeBought e -> badges.merge(e.buyerIdentity(), e.hearts(), Math::max);
        }
    }

    private void keep(LiveComment c) {
        recentComments.put(c.id(), c);
        if (recentComments.size() > RECENT_KEPT) recentComments.pollFirstEntry();
    }

    // ---- reading ----

    public Room room() {
        return room;
    }

    public boolean ended() {
        return room.state() == RoomState.ENDED;
    }

    /** How many members (connected or waiting to resume). */
    public int people() {
        return members.size();
    }

    public int onStage() {
        int n = 0;
        for (MemberState m : members.values()) if (m.onStage()) n++;
        return n;
    }

    public int count(Role role) {
        int n = 0;
        for (MemberState m : members.values()) if (m.role == role) n++;
        return n;
    }

    public boolean isEmpty() {
        return members.isEmpty() && lobby.isEmpty();
    }

    public List<MemberView> members() {
        List<MemberView> list = new ArrayList<>(members.size());
        for (MemberState m : members.values()) list.add(m.view());
        return list;
    }

    public Optional<MemberView> member(String participantId) {
        MemberState m = participantId == null ? null : members.get(participantId);
        return m == null ? Optional.empty() : Optional.of(m.view());
    }

    public Optional<MemberView> memberByIdentity(String identity) {
        MemberState m = byIdentity.get(identity);
        return m == null ? Optional.empty() : Optional.of(m.view());
    }

    /** The connection a member is on now, or -1. */
    public long connectionOf(String participantId) {
        MemberState m = members.get(participantId);
        return m == null ? -1 : m.connection;
    }

    public boolean connected(String participantId) {
        MemberState m = members.get(participantId);
        return m != null && m.connected;
    }

    public boolean actingHost(String participantId) {
        MemberState m = members.get(participantId);
        return m != null && m.actingHost;
    }

    public boolean byActingHost(String participantId) {
        MemberState m = members.get(participantId);
        return m != null && m.byActingHost;
    }

    public boolean invited(String participantId) {
        MemberState m = members.get(participantId);
        return m != null && m.invited;
    }

    public Collection<LobbyEntry> lobby() {
        return List.copyOf(lobby.values());
    }

    public Optional<LobbyEntry> lobbyEntry(String lobbyId) {
        return Optional.ofNullable(lobbyId == null ? null : lobby.get(lobbyId));
    }

    public boolean admitted(String identity) {
        return admitted.contains(identity);
    }

    public boolean keptOut(String identity) {
        return keptOut.contains(identity);
    }

    public Instant hostGraceDue() {
        return hostGraceDue;
    }

    /** Someone holds the host's rights in the room now: the host, or a co-host who took over. */
    public boolean hostPresent() {
        return count(Role.HOST) > 0;
    }

    // ---- a live's comments and badges ----

    /** The last {@link #SNAPSHOT_COMMENTS} visible comments, oldest first. */
    public List<LiveComment> recentComments() {
        List<LiveComment> all = new ArrayList<>(recentComments.values());
        return List.copyOf(all.subList(Math.max(0, all.size() - SNAPSHOT_COMMENTS), all.size()));
    }

    /** One of the recent visible comments, or empty (hidden, unknown, or older than the room keeps). */
    public Optional<LiveComment> recentComment(String commentId) {
        return Optional.ofNullable(commentId == null ? null : recentComments.get(commentId));
    }

    /** The pinned comment, or null. */
    public LiveComment pinned() {
        return pinned;
    }

    /** Whether comments are off for everyone (but the host and the moderator). */
    public boolean commentsOff() {
        return commentsOff;
    }

    public boolean commentsOffFor(String identity) {
        return commentsOffFor.contains(identity);
    }

    /** The members whose comments are off, by participant id. */
    public List<String> commentsOffMembers() {
        List<String> out = new ArrayList<>();
        for (MemberState m : members.values()) if (commentsOffFor.contains(m.identity)) out.add(m.participantId);
        return out;
    }

    /** The hearts (1 to 3) of the best badge this member bought in this live; 0 if none (or not a member). */
    public int badgeOf(String participantId) {
        MemberState m = state(participantId);
        return m == null ? 0 : badges.getOrDefault(m.identity, 0);
    }

    /** As {@link #badgeOf}, by identity. */
    public int badgeOfIdentity(String identity) {
        return badges.getOrDefault(identity, 0);
    }

    // ---- for the machine, in this package ----

    MemberState state(String participantId) {
        return participantId == null ? null : members.get(participantId);
    }

    MemberState stateByIdentity(String identity) {
        return byIdentity.get(identity);
    }

    Collection<MemberState> states() {
        return members.values();
    }
}
