package org.salotto.rooms.live;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.salotto.rooms.Caller;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomException.Code;
import org.salotto.rooms.RoomJson;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.auth.Tokens.JoinGrant;
import org.salotto.rooms.store.Ban;
import org.salotto.rooms.store.Block;
import org.salotto.rooms.store.Identities;
import org.salotto.rooms.store.Membership;
import org.salotto.rooms.store.Room;
import org.salotto.signaling.Conference;
import org.salotto.signaling.MediaSession;
import org.salotto.signaling.Messages;
import org.salotto.signaling.PublishPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room while people are in it: who is there with which role, the lobby, raised hands and invitations, and the
 * rules of its kind (limits, who may do what, what happens when the host leaves). It drives the room's media
 * {@link Conference}: who joins it and what each person may publish.
 *
 * <p>Every change takes this room's lock (never another room's); the lock order is room, then conference. Database
 * writes happen under the lock, on the caller's virtual thread.
 */
public final class LiveRoom {
    private static final Logger log = LoggerFactory.getLogger(LiveRoom.class);

    /** The outcome of a join: in the room, or waiting in the lobby. */
    public enum Entry { JOINED, WAITING }

    private record Waiting(String lobbyId, RoomSession session, JoinGrant grant, Role role, Instant since) {
    }

    private final LiveRooms rooms;
    private final String id;
    private final Conference conference;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<String, Member> byIdentity = new LinkedHashMap<>();
    private final Map<String, Waiting> lobby = new LinkedHashMap<>();
    /** Identities admitted from the lobby while this room was open: they come back without knocking. */
    private final Set<String> admitted = new HashSet<>();
    private final RoomEvents events = new RoomEvents();
    private volatile int people;
    private Room room;
    private boolean closed;
    private ScheduledFuture<?> hostGrace;

    LiveRoom(LiveRooms rooms, Room room) {
        this.rooms = rooms;
        this.id = room.id();
        this.room = room;
        this.conference = rooms.signaling().conference(room.id());
    }

    public String id() {
        return id;
    }

    // ---- joining and leaving ----

    /** Brings a person in (or into the lobby); returns null if this room was closed meanwhile (ask the registry again). */
    Entry enter(RoomSession session, JoinGrant grant) throws RoomException {
        lock.lock();
        try {
            if (closed) return null;
            refreshRoom();
            Role role = roleOnEntry(grant.identity());
            checkMayEnter(grant.identity(), role);
            Member old = byIdentity.get(grant.identity());
            if (old != null) {
                // The same person again (a reload, a second tab): the newer connection wins.
                old.send(Messages.error("replaced", "you joined this room from somewhere else", null));
                old.session.closeAfterFlush("replaced");
                leaveLocked(old, "replaced by a new connection");
            }
            boolean hostLike = role == Role.HOST || role == Role.CO_HOST;
            if (room.knock() && !hostLike && !admitted.contains(grant.identity())) {
                Waiting w = new Waiting(LiveRooms.newId("l"), session, grant, role, rooms.clock().instant());
                lobby.put(w.lobbyId(), w);
                session.waiting(this, w.lobbyId());
                ObjectNode waiting = Messages.message("waiting");
                waiting.put("lobbyId", w.lobbyId());
                waiting.put("message", "waiting for the host to let you in");
                session.outbox().send(Messages.text(waiting));
                lobbyChanged();
                return Entry.WAITING;
            }
            admit(session, grant, role);
            return Entry.JOINED;
        } finally {
            lock.unlock();
        }
    }

    private void checkMayEnter(String identity, Role role) throws RoomException {
        if (room.state() == RoomState.ENDED) throw new RoomException(Code.ROOM_ENDED, "this room has ended");
        if (role != Role.HOST) {
            if (rooms.store().isBanned(id, identity)) {
                throw new RoomException(Code.BANNED, "you were removed from this room and cannot come back");
            }
            if (rooms.store().isBlocked(room.hostAccountId(), identity)) {
                throw new RoomException(Code.BLOCKED, "the host has blocked you from their rooms");
            }
            if (room.state() == RoomState.SCHEDULED) {
                throw new RoomException(Code.NOT_ALLOWED, "this room has not started yet: the host opens it");
            }
        }
        boolean hostLike = role == Role.HOST || role == Role.CO_HOST;
        if (room.locked() && !hostLike) throw new RoomException(Code.ROOM_LOCKED, "this room is locked: nobody new can come in");
        if (room.kind() == RoomKind.CALL && !byIdentity.containsKey(identity) && people >= rooms.config().callMaxPeople()) {
            throw new RoomException(Code.ROOM_FULL, "this call is full: it has " + rooms.config().callMaxPeople() + " people");
        }
    }

    private Role roleOnEntry(String identity) {
        if (Identities.accountId(identity) == room.hostAccountId()) return Role.HOST;
        Member now = byIdentity.get(identity);
        if (now != null && now.role != Role.HOST) return now.role;
        Role stored = rooms.store().membership(id, identity).map(Membership::role).orElse(null);
        if (stored == Role.CO_HOST && room.kind() != RoomKind.LIVE && count(Role.CO_HOST) < coHostLimit()) return Role.CO_HOST;
        if (stored == Role.MODERATOR && room.kind() == RoomKind.LIVE) return Role.MODERATOR;
        return StageRules.entryRole(room.kind());
    }

    private void admit(RoomSession session, JoinGrant grant, Role role) {
        if (role == Role.HOST) hostArrived();
        Member m = new Member(LiveRooms.newId("p"), grant.identity(), Identities.accountId(grant.identity()),
                grant.displayName(), role, session, rooms.clock().instant());
        members.put(m.participantId, m);
        byIdentity.put(m.identity, m);
        people = members.size();
        session.joined(this, m);

        ObjectNode joined = Messages.message("joined");
        joined.put("participantId", m.participantId);
        joined.put("role", role.apiName(room.kind()));
        joined.set("room", roomJson());
        ArrayNode list = joined.putArray("members");
        for (Member other : members.values()) list.add(memberJson(other));
        joined.set("tracks", conference.tracks());
        if (m.isHostOrCoHost()) joined.set("lobby", lobbyJson());
        m.send(Messages.text(joined));

        m.media = conference.join(m.participantId, m.displayName, session.outbox(), policy(m));
        event("memberJoined").set("member", memberJson(m));
        rooms.store().recordMembership(id, m.identity, m.displayName, role, rooms.clock().instant());
        log.debug("{} joined room {} as {} ({})", m.participantId, id, role, m.identity);
    }

    /**
     * The media session of a member, once {@link #admit} has made it. Someone admitted from the lobby is admitted on
     * the host's thread, and may answer {@code joined} (a {@code publish}) before that thread has joined them to the
     * conference: taking the room's lock waits for it.
     */
    MediaSession mediaOf(Member m) {
        MediaSession media = m.media;
        if (media != null) return media;
        lock.lock();
        try {
            return m.media;
        } finally {
            lock.unlock();
        }
    }

    /** The person's connection is gone or they left. */
    void leave(Member m, String reason) {
        lock.lock();
        try {
            leaveLocked(m, reason);
        } finally {
            lock.unlock();
        }
    }

    void leaveLobby(String lobbyId) {
        lock.lock();
        try {
            if (lobby.remove(lobbyId) != null) lobbyChanged();
            closeIfEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void leaveLocked(Member m, String reason) {
        if (members.get(m.participantId) != m) return;
        members.remove(m.participantId);
        byIdentity.remove(m.identity);
        people = members.size();
        if (m.media != null) m.media.leave(reason);
        ObjectNode e = event("memberLeft");
        e.put("participantId", m.participantId);
        if (m.role == Role.HOST && room.state() != RoomState.ENDED) hostLeft(m);
        closeIfEmpty();
    }

    private void closeIfEmpty() {
        if (!members.isEmpty() || !lobby.isEmpty() || closed) return;
        closed = true;
        rooms.signaling().release(id);
        rooms.forget(this);
    }

    // ---- the host's comings and goings (PRODUCT.md "The host leaves") ----

    private void hostLeft(Member host) {
        if (members.isEmpty()) {
            if (room.kind() != RoomKind.CALL) scheduleHostGrace();
            return;
        }
        switch (room.kind()) {
            case CALL -> {
                if (!room.locked()) {
                    setLockedLocked(true);
                    log.info("room {}: the host left, so it locked itself", id);
                }
            }
            case LIVE -> scheduleHostGrace();
            case SPACE -> {
                Member coHost = null;
                for (Member m : members.values()) {
                    if (m.role == Role.CO_HOST) {
                        coHost = m;
                        break;
                    }
                }
                if (coHost == null) {
                    scheduleHostGrace();
                } else {
                    coHost.actingHost = true;
                    changeRole(coHost, Role.HOST);
                }
            }
        }
    }

    private void hostArrived() {
        if (room.state() == RoomState.SCHEDULED) {
            room = room.withState(RoomState.OPEN, null);
            rooms.store().updateRoom(room);
            event("roomChanged").set("room", roomJson());
        }
        if (hostGrace != null) {
            hostGrace.cancel(false);
            hostGrace = null;
        }
        for (Member m : List.copyOf(members.values())) {
            if (m.actingHost) {
                m.actingHost = false;
                changeRole(m, Role.CO_HOST);
            }
        }
    }

    private void scheduleHostGrace() {
        if (hostGrace != null) return;
        hostGrace = rooms.timers().schedule(() -> rooms.control().execute(this::hostGraceOver),
                rooms.config().liveHostGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    void hostGraceOver() {
        lock.lock();
        try {
            hostGrace = null;
            if (closed) {
                // Everyone left during the grace; the host may have come back into a newer instance of this room.
                rooms.hostGraceOver(id);
                return;
            }
            if (count(Role.HOST) == 0 && room.state() != RoomState.ENDED) {
                endLocked("the host has left");
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- actions: from the HTTP API (by a caller) or the WebSocket (by a member) ----

    /** Ends the room for everyone: the host (or a co-host who took over a space) only. */
    public void end(Caller caller) throws RoomException {
        lock.lock();
        try {
            Actor a = actor(caller);
            if (a.role != Role.HOST) throw RoomException.notAllowed("only the host can end the room for all");
            if (room.state() == RoomState.ENDED) return;
            endLocked("the host ended the room");
        } finally {
            lock.unlock();
        }
    }

    private void endLocked(String why) {
        refreshRoom();
        room = room.withState(RoomState.ENDED, rooms.clock().instant());
        rooms.store().updateRoom(room);
        ObjectNode ended = Messages.message("roomEnded");
        ended.put("message", why);
        String frame = Messages.text(ended);
        for (Member m : List.copyOf(members.values())) {
            m.send(frame);
            m.session.closeAfterFlush("room ended");
            leaveLocked(m, "room ended");
        }
        for (Waiting w : List.copyOf(lobby.values())) {
            w.session.outbox().send(frame);
            w.session.closeAfterFlush("room ended");
        }
        lobby.clear();
        closeIfEmpty();
        log.info("room {} ended: {}", id, why);
    }

    public void setLocked(Caller caller, boolean locked) throws RoomException {
        lock.lock();
        try {
            requireHostOrCoHost(actor(caller), "lock or unlock the room");
            refreshRoom();
            if (room.locked() != locked) setLockedLocked(locked);
        } finally {
            lock.unlock();
        }
    }

    private void setLockedLocked(boolean locked) {
        room = room.withLocked(locked);
        rooms.store().updateRoom(room);
        event("lockChanged").put("locked", locked);
    }

    public void setKnock(Caller caller, boolean knock) throws RoomException {
        lock.lock();
        try {
            requireHostOrCoHost(actor(caller), "turn knocking on or off");
            refreshRoom();
            if (room.knock() == knock) return;
            room = room.withKnock(knock);
            rooms.store().updateRoom(room);
            event("knockChanged").put("knock", knock);
        } finally {
            lock.unlock();
        }
    }

    /** Lets someone in from the lobby, or tells them no. */
    public void answerKnock(Caller caller, String lobbyId, boolean admit) throws RoomException {
        lock.lock();
        try {
            requireHostOrCoHost(actor(caller), admit ? "admit people" : "deny people");
            Waiting w = lobby.get(lobbyId);
            if (w == null) throw new RoomException(Code.NOT_FOUND, "nobody with this lobby id is waiting");
            if (admit) {
                if (room.kind() == RoomKind.CALL && people >= rooms.config().callMaxPeople()) {
                    throw new RoomException(Code.ROOM_FULL, "the call is full: " + rooms.config().callMaxPeople() + " people");
                }
                lobby.remove(lobbyId);
                admitted.add(w.grant().identity());
                ObjectNode a = Messages.message("admitted");
                w.session().outbox().send(Messages.text(a));
                admit(w.session(), w.grant(), w.role());
            } else {
                lobby.remove(lobbyId);
                ObjectNode d = Messages.message("denied");
                d.put("message", "the host did not let you in");
                w.session().outbox().send(Messages.text(d));
                w.session().closeAfterFlush("denied");
            }
            lobbyChanged();
        } finally {
            lock.unlock();
        }
    }

    /** Removes someone; {@code ban}: they cannot come back into this room. */
    public void remove(Caller caller, String participantId, boolean ban) throws RoomException {
        lock.lock();
        try {
            Actor a = actor(caller);
            Member target = member(participantId);
            mayRemove(a, target);
            removeLocked(a, target, ban, "you were removed from the room");
        } finally {
            lock.unlock();
        }
    }

    private void mayRemove(Actor a, Member target) throws RoomException {
        if (target.role == Role.HOST && !target.actingHost || Identities.accountId(target.identity) == room.hostAccountId()) {
            throw RoomException.notAllowed("nobody can remove the host");
        }
        boolean allowed = switch (a.role) {
            case HOST -> true;
            case CO_HOST -> target.role != Role.CO_HOST;
            case MODERATOR -> target.role == Role.AUDIENCE;
            default -> false;
        };
        if (!allowed) throw RoomException.notAllowed("you cannot remove " + target.displayName);
    }

    private void removeLocked(Actor a, Member target, boolean ban, String why) {
        if (ban) rooms.store().ban(new Ban(id, target.identity, a.identity, rooms.clock().instant()));
        ObjectNode r = Messages.message("removed");
        r.put("message", why);
        target.send(Messages.text(r));
        target.session.closeAfterFlush("removed");
        leaveLocked(target, "removed");
    }

    /**
     * Blocks someone from all of the blocker's rooms and removes them from this one. The host blocks; in a live
     * room, anyone on stage may (PRODUCT.md "Blocking").
     */
    public void block(Caller caller, String participantId) throws RoomException {
        lock.lock();
        try {
            Actor a = actor(caller);
            Member target = member(participantId);
            if (a.accountId < 0) throw RoomException.notAllowed("only people with an account can block");
            boolean may = a.role == Role.HOST || room.kind() == RoomKind.LIVE && a.role == Role.STAGE;
            if (!may || target.identity.equals(a.identity)) throw RoomException.notAllowed("you cannot block " + target.displayName);
            if (Identities.accountId(target.identity) == room.hostAccountId()) throw RoomException.notAllowed("nobody can block the host in their own room");
            rooms.store().block(new Block(a.accountId, target.identity, target.displayName, rooms.clock().instant()));
            removeLocked(a, target, true, "you were removed from the room");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Changes someone's role. Putting a listener or viewer on stage takes them there at once if they asked (raised
     * their hand); otherwise it invites them and they accept. Returns {@code "done"} or {@code "invited"}.
     */
    public String setRole(Caller caller, String participantId, Role to) throws RoomException {
        lock.lock();
        try {
            Actor a = actor(caller);
            Member target = member(participantId);
            RoomKind kind = room.kind();
            if (to == Role.HOST) throw RoomException.badRequest("the host stays the host; a co-host takes over only if the host drops out");
            if (target.role == Role.HOST) throw RoomException.notAllowed("the host's role cannot be changed");
            if (target.role == to) return "done";
            switch (to) {
                case CO_HOST -> {
                    if (kind == RoomKind.LIVE) throw RoomException.badRequest("a live room has a moderator, not co-hosts");
                    if (a.role != Role.HOST) throw RoomException.notAllowed("only the host can make co-hosts");
                    if (count(Role.CO_HOST) >= coHostLimit()) {
                        throw new RoomException(Code.STAGE_FULL, "there can be at most " + coHostLimit() + " co-hosts");
                    }
                    changeRole(target, Role.CO_HOST);
                }
                case MODERATOR -> {
                    if (kind != RoomKind.LIVE) throw RoomException.badRequest("only a live room has a moderator");
                    if (a.role != Role.HOST) throw RoomException.notAllowed("only the host picks the moderator");
                    if (target.role != Role.AUDIENCE) throw RoomException.badRequest("the moderator is picked among the viewers");
                    for (Member m : List.copyOf(members.values())) if (m.role == Role.MODERATOR) changeRole(m, Role.AUDIENCE);
                    changeRole(target, Role.MODERATOR);
                }
                case STAGE -> {
                    if (kind == RoomKind.CALL) {
                        if (a.role != Role.HOST) throw RoomException.notAllowed("only the host changes co-hosts");
                        changeRole(target, Role.STAGE);
                        return "done";
                    }
                    requireStageManager(a, target);
                    if (target.role == Role.CO_HOST) {
                        if (a.role != Role.HOST) throw RoomException.notAllowed("only the host changes co-hosts");
                        checkStageRoom(target);
                        changeRole(target, Role.STAGE);
                        return "done";
                    }
                    checkStageRoom(target);
                    if (target.handRaised) {
                        changeRole(target, Role.STAGE);
                        return "done";
                    }
                    target.invited = true;
                    ObjectNode inv = Messages.message("invited");
                    inv.put("by", a.displayName);
                    inv.put("message", a.displayName + (kind == RoomKind.LIVE ? " invites you to join the stage" : " invites you to speak"));
                    target.send(Messages.text(inv));
                    return "invited";
                }
                case AUDIENCE -> {
                    if (kind == RoomKind.CALL) throw RoomException.badRequest("everyone in a call is a participant");
                    boolean self = a.member == target;
                    if (!self) requireStageManager(a, target);
                    if (target.role == Role.CO_HOST && !self && a.role != Role.HOST) {
                        throw RoomException.notAllowed("only the host can move a co-host");
                    }
                    changeRole(target, Role.AUDIENCE);
                }
                default -> throw RoomException.badRequest("unknown role");
            }
            return "done";
        } finally {
            lock.unlock();
        }
    }

    private void requireStageManager(Actor a, Member target) throws RoomException {
        boolean ok = room.kind() == RoomKind.LIVE ? a.role == Role.HOST : a.role == Role.HOST || a.role == Role.CO_HOST;
        if (!ok) {
            throw RoomException.notAllowed(room.kind() == RoomKind.LIVE
                    ? "only the host decides who is on the stage" : "only the host and co-hosts decide who speaks");
        }
    }

    /** Stage limits: a live stage holds the host and 3 guests; a space stage 10 speakers besides host and co-hosts. */
    private void checkStageRoom(Member target) throws RoomException {
        if (room.kind() == RoomKind.LIVE) {
            int onStage = count(Role.HOST) + count(Role.STAGE);
            if (target.role != Role.STAGE && onStage >= rooms.config().liveStageMax()) {
                throw new RoomException(Code.STAGE_FULL, "the stage is full: " + rooms.config().liveStageMax() + " people at most");
            }
        } else if (room.kind() == RoomKind.SPACE) {
            if (target.role != Role.STAGE && count(Role.STAGE) >= rooms.config().spaceSpeakersMax()) {
                throw new RoomException(Code.STAGE_FULL, "the stage is full: " + rooms.config().spaceSpeakersMax()
                        + " speakers besides the host and co-hosts");
            }
        }
    }

    /** The audience asks for the stage (space: raise a hand; live: ask to join), or takes it back. */
    public void raiseHand(Caller caller, boolean up) throws RoomException {
        lock.lock();
        try {
            Member m = self(caller);
            if (room.kind() == RoomKind.CALL) throw RoomException.badRequest("everyone in a call can already talk");
            if (up && m.role != Role.AUDIENCE && m.role != Role.MODERATOR) throw RoomException.badRequest("you are on the stage already");
            if (m.handRaised == up) return;
            m.handRaised = up;
            event(up ? "handRaised" : "handLowered").put("participantId", m.participantId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The host (in a space, also a co-host) turns down someone's request for the stage: their hand goes down, and the
     * {@code handLowered} event says {@code declined} so that their page can tell them.
     */
    public void declineHand(Caller caller, String participantId) throws RoomException {
        lock.lock();
        try {
            Actor a = actor(caller);
            Member target = member(participantId);
            if (room.kind() == RoomKind.CALL) throw RoomException.badRequest("nobody raises a hand in a call");
            requireStageManager(a, target);
            if (!target.handRaised) return;
            target.handRaised = false;
            ObjectNode e = event("handLowered");
            e.put("participantId", target.participantId);
            e.put("declined", true);
        } finally {
            lock.unlock();
        }
    }

    /** The answer to an invitation to the stage. */
    public void answerInvitation(Caller caller, boolean accept) throws RoomException {
        lock.lock();
        try {
            Member m = self(caller);
            if (!m.invited) throw RoomException.badRequest("you have no invitation to answer");
            m.invited = false;
            if (accept) {
                checkStageRoom(m);
                changeRole(m, Role.STAGE);
            } else {
                event("invitationDeclined").put("participantId", m.participantId);
            }
        } finally {
            lock.unlock();
        }
    }

    /** An emoji reaction, shown to everyone (spaces). */
    public void react(Caller caller, String emoji) throws RoomException {
        lock.lock();
        try {
            Member m = self(caller);
            ObjectNode e = event("reaction");
            e.put("participantId", m.participantId);
            e.put("emoji", emoji);
        } finally {
            lock.unlock();
        }
    }

    /** Everyone in the room now, for the API. */
    public ArrayNode membersJson() {
        lock.lock();
        try {
            ArrayNode a = Messages.JSON.createArrayNode();
            for (Member m : members.values()) a.add(memberJson(m));
            return a;
        } finally {
            lock.unlock();
        }
    }

    public ArrayNode lobbyJson(Caller caller) throws RoomException {
        lock.lock();
        try {
            requireHostOrCoHost(actor(caller), "see the lobby");
            return lobbyJson();
        } finally {
            lock.unlock();
        }
    }

    public int people() {
        return people;
    }

    public int onStage() {
        lock.lock();
        try {
            int n = 0;
            for (Member m : members.values()) if (m.onStage()) n++;
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** The room was changed through the API (title, lock) while open: take the new values. */
    public void roomUpdated() {
        lock.lock();
        try {
            boolean wasLocked = room.locked();
            boolean wasKnock = room.knock();
            refreshRoom();
            if (room.locked() != wasLocked) event("lockChanged").put("locked", room.locked());
            if (room.knock() != wasKnock) event("knockChanged").put("knock", room.knock());
            event("roomChanged").set("room", roomJson());
        } finally {
            lock.unlock();
        }
    }

    // ---- helpers, under the lock ----

    private void changeRole(Member m, Role to) {
        Role from = m.role;
        m.role = to;
        m.handRaised = false;
        m.invited = false;
        // Leaving the stage stops forwarding of the person's tracks at once; RTP still coming is dropped and counted.
        boolean stop = from != to && (to == Role.AUDIENCE || to == Role.MODERATOR);
        if (m.media != null) m.media.setPolicy(policy(m), stop);
        ObjectNode e = event("roleChanged");
        e.put("participantId", m.participantId);
        e.put("role", to.apiName(room.kind()));
        if (to == Role.CO_HOST || to == Role.MODERATOR || from == Role.CO_HOST || from == Role.MODERATOR) {
            rooms.store().recordMembership(id, m.identity, m.displayName, to, rooms.clock().instant());
        }
        if (to == Role.CO_HOST || to == Role.HOST) {
            ObjectNode l = Messages.message("lobby");
            l.set("waiting", lobbyJson());
            m.send(Messages.text(l));
        }
    }

    private PublishPolicy policy(Member m) {
        return rooms.rules().policy(room.kind(), m.role, () -> people);
    }

    private int coHostLimit() {
        return room.kind() == RoomKind.SPACE ? rooms.config().spaceCoHostsMax() : Integer.MAX_VALUE;
    }

    private int count(Role r) {
        int n = 0;
        for (Member m : members.values()) if (m.role == r) n++;
        return n;
    }

    private Member member(String participantId) throws RoomException {
        Member m = participantId == null ? null : members.get(participantId);
        if (m == null) throw new RoomException(Code.NOT_IN_ROOM, "this person is not in the room");
        return m;
    }

    private Member self(Caller caller) throws RoomException {
        Member m = byIdentity.get(caller.identity());
        if (m == null) throw new RoomException(Code.NOT_IN_ROOM, "you are not in this room");
        return m;
    }

    /** Who acts: their role in the room, or the host's rights for the host's own account even when not connected. */
    private record Actor(Role role, Member member, String identity, long accountId, String displayName) {
    }

    private Actor actor(Caller caller) {
        Member m = byIdentity.get(caller.identity());
        if (m != null) return new Actor(m.role, m, m.identity, m.accountId, m.displayName);
        Role r = caller.accountId() == room.hostAccountId() ? Role.HOST : null;
        return new Actor(r, null, caller.identity(), caller.accountId(), "the host");
    }

    private static void requireHostOrCoHost(Actor a, String what) throws RoomException {
        if (a.role != Role.HOST && a.role != Role.CO_HOST) throw RoomException.notAllowed("only the host and co-hosts can " + what);
    }

    private void refreshRoom() {
        room = rooms.store().room(id).orElse(room);
    }

    private ObjectNode event(String type) {
        ObjectNode e = RoomEvents.event(type);
        if (events.add(e)) {
            rooms.timers().schedule(() -> rooms.control().execute(this::flush),
                    rooms.config().eventBatchInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
        return e;
    }

    private void flush() {
        lock.lock();
        try {
            String frame = events.drain();
            if (frame == null) return;
            for (Member m : members.values()) m.send(frame);
        } finally {
            lock.unlock();
        }
    }

    private void lobbyChanged() {
        ObjectNode l = Messages.message("lobby");
        l.set("waiting", lobbyJson());
        String frame = Messages.text(l);
        for (Member m : members.values()) if (m.isHostOrCoHost()) m.send(frame);
    }

    private ArrayNode lobbyJson() {
        ArrayNode a = Messages.JSON.createArrayNode();
        for (Waiting w : lobby.values()) {
            ObjectNode n = a.addObject();
            n.put("lobbyId", w.lobbyId());
            n.put("name", w.grant().displayName());
            n.put("guest", Identities.accountId(w.grant().identity()) < 0);
            n.put("since", w.since().toString());
        }
        return a;
    }

    private ObjectNode memberJson(Member m) {
        ObjectNode n = Messages.JSON.createObjectNode();
        n.put("participantId", m.participantId);
        n.put("name", m.displayName);
        n.put("role", m.role.apiName(room.kind()));
        n.put("guest", m.accountId < 0);
        if (m.accountId >= 0) n.put("accountId", m.accountId);
        n.put("handRaised", m.handRaised);
        return n;
    }

    private ObjectNode roomJson() {
        return RoomJson.room(room, rooms.linkPath(), -1, -1);
    }
}
