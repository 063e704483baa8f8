package org.salotto.rooms.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
 * open, and the host's grace timer. {@link #apply} is the one place it changes; everything else reads.
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

    /** A room as the database has it; {@code hostGraceDue} is its durable timer, or null. */
    public RoomModel(Room room, Instant hostGraceDue) {
        this.room = room;
        this.hostGraceDue = hostGraceDue;
    }

    public void apply(RoomEvent event) {
        switch (event) {
            case RoomEvent.MemberJoined e -> {
                MemberView v = e.member();
                MemberState m = new MemberState(v.participantId(), v.identity(), v.accountId(), v.displayName(),
                        v.role(), e.connection());
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
            case RoomEvent.HandRaised e -> members.get(e.participantId()).handRaised = true;
            case RoomEvent.HandLowered e -> members.get(e.participantId()).handRaised = false;
            case RoomEvent.Invited e -> members.get(e.participantId()).invited = true;
            case RoomEvent.InvitationDeclined e -> members.get(e.participantId()).invited = false;
            case RoomEvent.Reacted e -> {
                // Nothing to keep: a reaction is shown and gone.
            }
            case RoomEvent.BadgeBought e -> {
                // The buyer's best badge is kept with the comments (badgeOf); the purchase is in the ledger.
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
        }
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
