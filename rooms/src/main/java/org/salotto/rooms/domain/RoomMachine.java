package org.salotto.rooms.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.store.Room;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * Decides commands against one room's {@link RoomModel}: checks that the command is allowed and returns the events
 * it causes, each already applied to the model (so a later step of the same decision sees the earlier ones). A
 * refused command throws a {@link RoomException} before emitting anything, so it changes nothing.
 *
 * <p>Not thread-safe: the runtime gives each room one executor, and only that executor calls {@link #handle}.
 */
public final class RoomMachine {
    /** A lobby without a size limit (tests of other rules). */
    public static final int NO_LOBBY_LIMIT = Integer.MAX_VALUE;
    /** When someone refused by a full lobby is told to knock again. */
    static final long LOBBY_FULL_RETRY_MS = 30_000;

    private final RoomModel model;
    private final int lobbyMaxPeople;
    private final KindRules rules;
    private final IdSource ids;
    private final Duration hostGrace;
    private final Duration resumeGrace;
    private final CommentRules comments;
    private List<RoomEvent> out;
    private Instant now;

    public RoomMachine(RoomModel model, RoomsConfig config, IdSource ids) {
        this(model, config, ids, NO_LOBBY_LIMIT);
    }

    /** @param lobbyMaxPeople people waiting in the lobby at most: a knock past it is refused (limits.lobby-max-people) */
    public RoomMachine(RoomModel model, RoomsConfig config, IdSource ids, int lobbyMaxPeople) {
        this.lobbyMaxPeople = lobbyMaxPeople;
        this.model = model;
        this.rules = KindRules.of(model.room().kind(), config);
        this.ids = ids;
        this.hostGrace = config.liveHostGrace();
        this.resumeGrace = config.resumeGrace();
        this.comments = new CommentRules(this);
    }

    public RoomModel model() {
        return model;
    }

    public KindRules rules() {
        return rules;
    }

    /** The events {@code command} causes at {@code now} (possibly none), or a refusal. */
    public List<RoomEvent> handle(Command command, Instant now) throws RoomException {
        this.out = new ArrayList<>(4);
        this.now = now;
        if (model.ended() && !(command instanceof Command.Leave || command instanceof Command.LeaveLobby
                || command instanceof Command.Disconnect || command instanceof Command.ResumeExpired
                || command instanceof Command.HostGraceOver || command instanceof Command.Shutdown
                || command instanceof Command.RecordTrack || command instanceof Command.RefundBadge)) {
            throw new RoomException(ErrorCode.ROOM_ENDED, "this room has ended");
        }
        switch (command) {
            case Command.Join c -> join(c.entrant(), null);
            case Command.Leave c -> {
                MemberState m = model.state(c.participantId());
                if (m != null) leave(m, c.reason());
            }
            case Command.LeaveLobby c -> model.lobbyEntry(c.lobbyId()).ifPresent(e -> emit(new RoomEvent.LobbyLeft(e.lobbyId(), RoomEvent.LobbyLeft.Why.LEFT)));
            case Command.Disconnect c -> {
                MemberState m = model.state(c.participantId());
                if (m != null && m.connected && m.connection == c.connection()) {
                    emit(new RoomEvent.Disconnected(m.participantId, m.connection, now.plus(resumeGrace)));
                }
            }
            case Command.Resume c -> resume(c);
            case Command.ResumeExpired c -> {
                MemberState m = model.state(c.participantId());
                if (m != null && !m.connected && m.connection == c.connection()) leave(m, "connection lost");
            }
            case Command.AnswerKnock c -> answerKnock(c);
            case Command.Remove c -> remove(c.actor(), target(c.participantId()), false);
            case Command.Block c -> remove(c.actor(), target(c.participantId()), true);
            case Command.SetRole c -> setRole(c.actor(), target(c.participantId()), c.role());
            case Command.SetGrants c -> setGrants(c);
            case Command.DeclineHand c -> declineHand(c);
            case Command.SetLocked c -> {
                requireHostOrCoHost(c.actor(), "lock or unlock the room");
                if (model.room().locked() != c.locked()) emit(new RoomEvent.LockChanged(c.locked()));
            }
            case Command.SetKnock c -> {
                requireHostOrCoHost(c.actor(), "turn knocking on or off");
                if (model.room().knock() != c.knock()) emit(new RoomEvent.KnockChanged(c.knock()));
            }
            case Command.UpdateRoom c -> updateRoom(c);
            case Command.End c -> {
                if (roleOf(c.actor()) != Role.HOST) throw RoomException.notAllowed("only the host can end the room for all");
                end("the host ended the room");
            }
            case Command.RaiseHand c -> raiseHand(c);
            case Command.AnswerInvitation c -> answerInvitation(c);
            case Command.LeaveStage c -> setRole(c.actor(), self(c.actor()), Role.AUDIENCE);
            case Command.React c -> emit(new RoomEvent.Reacted(self(c.actor()).participantId, c.emoji()));
            case Command.BuyBadge c -> buyBadge(c);
            case Command.RefundBadge c -> {
                var p = c.purchase();
                emit(new RoomEvent.BadgeRefunded(p.id(), p.buyerParticipantId(), p.buyerIdentity(), p.buyerName(),
                        p.targetParticipantId(), p.targetIdentity(), p.targetName(), p.hearts()));
            }
            case Command.HostGraceOver c -> {
                Instant due = model.hostGraceDue();
                if (due != null && !now.isBefore(due) && !model.hostPresent() && !model.ended()) end("the host has left");
            }
            case Command.Shutdown c -> {
                if (!model.ended()) end(c.message());
            }
            case Command.GoLive c -> goLive(c);
            case Command.Reschedule c -> reschedule(c);
            case Command.Comment c -> comments.comment(c);
            case Command.HideComment c -> comments.hide(c);
            case Command.PinComment c -> comments.pin(c);
            case Command.SetCommentsOff c -> comments.setOff(c);
            case Command.SetMemberCommentsOff c -> comments.setMemberOff(c);
            case Command.ReportComment c -> comments.report(c);
            case Command.RecordTrack c -> recordTrack(c);
        }
        return out;
    }

    // ---- coming and going ----

    /**
     * Someone comes in; {@code returningAs}: a participant of the room's previous instance coming back (a resume after
     * the room changed hands) as that participant, with the role their membership gives, past the lobby (they were let
     * in), and every other check of a join.
     */
    private void join(Entrant e, String returningAs) throws RoomException {
        Room room = model.room();
        boolean host = e.accountId() >= 0 && e.accountId() == room.hostAccountId();
        MemberState old = model.stateByIdentity(e.identity());
        if (!host) {
            if (e.banned() || model.keptOut(e.identity()) && old == null) {
                throw new RoomException(ErrorCode.BANNED, "you were removed from this room and cannot come back");
            }
            if (e.blocked()) throw new RoomException(ErrorCode.BLOCKED, "the host has blocked you from their rooms");
            if (room.state() == RoomState.SCHEDULED) {
                throw new RoomException(ErrorCode.NOT_ALLOWED, "this room has not started yet: the host opens it");
            }
        }
        Role granted = host || old != null ? null : grantedRole(e);
        Role role = host ? Role.HOST : old != null ? old.role : granted != null ? granted
                : returningAs != null ? formerRole(e.storedRole()) : returningRole(e.storedRole());
        boolean hostLike = role == Role.HOST || role == Role.CO_HOST;
        if (room.locked() && !hostLike && old == null) {
            throw new RoomException(ErrorCode.ROOM_LOCKED, "this room is locked: nobody new can come in");
        }
        if (old == null && model.people() >= rules.maxPeople()) {
            throw new RoomException(ErrorCode.ROOM_FULL, "this call is full: it has " + rules.maxPeople() + " people");
        }
        if (old == null && returningAs == null && room.knock() && !hostLike && !model.admitted(e.identity())) {
            // A knock of someone already waiting replaces their entry; only other people's entries count.
            long others = model.lobby().stream().filter(w -> !w.identity().equals(e.identity())).count();
            if (others >= lobbyMaxPeople) {
                throw new RoomException(ErrorCode.RATE_LIMITED, "the lobby is full (" + lobbyMaxPeople
                        + " people wait): try again later", LOBBY_FULL_RETRY_MS);
            }
        }
        for (LobbyEntry waiting : model.lobby()) {
            if (waiting.identity().equals(e.identity())) emit(new RoomEvent.LobbyLeft(waiting.lobbyId(), RoomEvent.LobbyLeft.Why.REPLACED));
        }
        if (old != null) {
            // A reload or a second tab: the same member goes on from the new connection.
            emit(new RoomEvent.Replaced(old.participantId, old.connection, e.connection()));
            return;
        }
        if (returningAs == null && (room.knock() || room.practice()) && !hostLike && !model.admitted(e.identity())) {
            // A knock, or the audience of a live still in its backstage: they wait until the host lets them in.
            emit(new RoomEvent.Knocked(new LobbyEntry(ids.next("l"), e.identity(), e.accountId(), e.displayName(), role,
                    now, e.connection(), e.grants(), e.metadata())));
            return;
        }
        if (host) hostArrives();
        emit(new RoomEvent.MemberJoined(new MemberView(returningAs != null ? returningAs : ids.next("p"), e.identity(),
                e.accountId(), e.displayName(), role, false, e.grants(), e.metadata()), e.connection(), false,
                returningAs != null));
        awaitHost();
    }

    /**
     * A live or a space nobody runs is not left open: people who come before the host (or after the host and every
     * co-host are gone) start the host's grace, and the room ends unless the host arrives in time. A call needs no
     * host: anyone with the link talks.
     */
    private void awaitHost() {
        if (rules.hostLeaves() != KindRules.HostLeaves.LOCK && !model.hostPresent() && model.people() > 0) startGrace();
    }

    /**
     * The role a join token's {@code grants.role} asks for, if the room's kind has it and there is room for it (the same
     * limits as the host's choices: co-hosts, one moderator, the stage's size); null when the token names none.
     */
    private Role grantedRole(Entrant e) throws RoomException {
        String name = e.grants().role();
        if (name == null) return null;
        Role r = Role.fromApi(model.room().kind(), name);
        if (r == null || r == Role.HOST) {
            throw new RoomException(ErrorCode.INVALID_TOKEN, "the join token's role '" + name + "' is not a role in a "
                    + model.room().kind().apiName() + " room");
        }
        switch (r) {
            case CO_HOST -> {
                if (model.count(Role.CO_HOST) + actingHosts() >= rules.coHostLimit()) {
                    throw new RoomException(ErrorCode.STAGE_FULL, "there can be at most " + rules.coHostLimit() + " co-hosts");
                }
            }
            case MODERATOR -> {
                if (model.count(Role.MODERATOR) > 0) throw new RoomException(ErrorCode.STAGE_FULL, "this live has a moderator already");
            }
            case STAGE -> {
                if (rules.hasStage()) rules.checkStageRoom(model, Role.AUDIENCE);
            }
            default -> {
            }
        }
        return r;
    }

    /** An application changes what a member's token grants: the host's account only (its API key, or the host). */
    private void setGrants(Command.SetGrants c) throws RoomException {
        if (c.actor().accountId() < 0 || c.actor().accountId() != model.room().hostAccountId()) {
            throw RoomException.notAllowed("only the host's account changes grants");
        }
        MemberState m = target(c.participantId());
        if (isHostAccount(m)) throw RoomException.notAllowed("the host's grants cannot be changed");
        org.salotto.rooms.Grants g = m.grants;
        if (c.publish() != null) g = g.withPublish(c.publish());
        if (c.subscribe() != null) g = g.withSubscribe(c.subscribe());
        if (c.admin() != null) g = g.withAdmin(c.admin());
        if (c.hidden() != null) g = g.withHidden(c.hidden());
        if (!g.equals(m.grants)) emit(new RoomEvent.GrantsChanged(m.participantId, m.grants, g));
    }

    /** A co-host or moderator coming back gets their role again while there is room for it. */
    private Role returningRole(Role stored) {
        if (stored == Role.CO_HOST && model.count(Role.CO_HOST) + actingHosts() < rules.coHostLimit()) return Role.CO_HOST;
        if (stored == Role.MODERATOR && rules.hasModerator() && model.count(Role.MODERATOR) == 0) return Role.MODERATOR;
        return rules.entryRole();
    }

    /**
     * The role of someone coming back to a room that changed hands: what their membership says they were (a speaker
     * too, unlike {@link #returningRole}: they were on the stage a moment ago), while there is room for it.
     */
    private Role formerRole(Role stored) {
        if (stored == Role.STAGE && rules.hasStage()) {
            try {
                rules.checkStageRoom(model, Role.AUDIENCE);
                return Role.STAGE;
            } catch (RoomException full) {
                return rules.entryRole();
            }
        }
        return returningRole(stored);
    }

    private int actingHosts() {
        int n = 0;
        for (MemberState m : model.states()) if (m.actingHost) n++;
        return n;
    }

    private void hostArrives() {
        Room room = model.room();
        if (room.state() == RoomState.SCHEDULED) emit(new RoomEvent.RoomChanged(room.withState(RoomState.OPEN, null)));
        if (model.hostGraceDue() != null) emit(new RoomEvent.HostGraceCancelled());
        // The host's rights come back to the host: the co-host who stood in is a co-host again, and co-hosts it made
        // go back to the stage.
        for (MemberState m : List.copyOf(model.states())) {
            if (m.actingHost) emit(new RoomEvent.RoleChanged(m.participantId, m.role, Role.CO_HOST, false, false));
        }
        for (MemberState m : List.copyOf(model.states())) {
            if (m.byActingHost && m.role == Role.CO_HOST) {
                emit(new RoomEvent.RoleChanged(m.participantId, m.role, Role.STAGE, false, false));
            }
        }
    }

    private void resume(Command.Resume c) throws RoomException {
        MemberState m = model.state(c.participantId());
        if (m == null && c.returning() != null && c.returning().identity().equals(c.identity())
                && model.stateByIdentity(c.identity()) == null) {
            // The room changed hands a moment ago: its previous instance's member comes back as themselves.
            join(c.returning(), c.participantId());
            return;
        }
        if (m == null || !m.identity.equals(c.identity())) {
            throw new RoomException(ErrorCode.RESUME_FAILED, "you are no longer in this room: join again");
        }
        emit(new RoomEvent.Resumed(m.participantId, c.connection()));
    }

    /** A member goes, with what their going means for the room (a host leaving, the last one in charge). */
    /** A track as the media conference reported it: kept once (a repeat, or the end of one already ended, is nothing). */
    private void recordTrack(Command.RecordTrack c) {
        if (c.published()) {
            MemberState m = model.state(c.participantId());
            if (m != null && !model.hasTrack(c.participantId(), c.trackId())) {
                emit(new RoomEvent.TrackPublished(c.participantId(), m.identity, c.trackId(), c.kind(), c.source()));
            }
        } else if (model.hasTrack(c.participantId(), c.trackId())) {
            emit(new RoomEvent.TrackUnpublished(c.participantId(), model.trackOwner(c.participantId()), c.trackId()));
        }
    }

    private void leave(MemberState m, String reason) {
        boolean wasHost = m.role == Role.HOST;
        boolean inCharge = wasHost || m.role == Role.CO_HOST;
        // Their tracks end with them, in this decision (the conference says so too, later: nothing then).
        for (String trackId : model.tracksOf(m.participantId)) {
            emit(new RoomEvent.TrackUnpublished(m.participantId, m.identity, trackId));
        }
        emit(new RoomEvent.MemberLeft(m.participantId, m.identity, reason));
        if (model.ended()) return;
        if (wasHost) {
            hostLeaves();
        } else if (inCharge && rules.hostLeaves() == KindRules.HostLeaves.LOCK) {
            lockIfNobodyInCharge();
        }
    }

    private void hostLeaves() {
        switch (rules.hostLeaves()) {
            case LOCK -> lockIfNobodyInCharge();
            case GRACE -> startGrace();
            case CO_HOST_TAKES_OVER -> {
                MemberState coHost = null;
                for (MemberState m : model.states()) {
                    if (m.role == Role.CO_HOST) {
                        coHost = m;
                        break;
                    }
                }
                if (coHost == null) startGrace();
                else emit(new RoomEvent.RoleChanged(coHost.participantId, Role.CO_HOST, Role.HOST, true, false));
            }
        }
    }

    /** A call whose host and co-hosts are all gone locks itself until one of them is back to unlock it. */
    private void lockIfNobodyInCharge() {
        if (model.people() == 0 || model.room().locked()) return;
        if (model.count(Role.HOST) + model.count(Role.CO_HOST) > 0) return;
        emit(new RoomEvent.LockChanged(true));
    }

    private void startGrace() {
        if (model.hostGraceDue() == null) emit(new RoomEvent.HostGraceStarted(now.plus(hostGrace)));
    }

    private void end(String message) {
        Room room = model.room();
        emit(new RoomEvent.RoomEnded(room.withState(RoomState.ENDED, now), message));
        for (MemberState m : List.copyOf(model.states())) {
            emit(new RoomEvent.MemberLeft(m.participantId, m.identity, "room ended"));
        }
    }

    // ---- the host's rights ----

    private void answerKnock(Command.AnswerKnock c) throws RoomException {
        requireHostOrCoHost(c.actor(), c.admit() ? "admit people" : "deny people");
        LobbyEntry e = model.lobbyEntry(c.lobbyId())
                .orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND, "nobody with this lobby id is waiting"));
        if (!c.admit()) {
            emit(new RoomEvent.Denied(e, "the host did not let you in"));
            return;
        }
        if (model.people() >= rules.maxPeople()) {
            throw new RoomException(ErrorCode.ROOM_FULL, "the call is full: " + rules.maxPeople() + " people");
        }
        if (model.stateByIdentity(e.identity()) != null) {
            // They came in meanwhile from another connection: that one wins.
            emit(new RoomEvent.LobbyLeft(e.lobbyId(), RoomEvent.LobbyLeft.Why.REPLACED));
            return;
        }
        String participantId = admit(e);
        // Let into a backstage: that is to join the stage, if it has room (they accept or decline as any invitation).
        if (model.room().practice() && rules.hasStage() && stageHasRoom()) {
            emit(new RoomEvent.Invited(participantId, nameOf(c.actor())));
        }
        awaitHost();
    }

    private String admit(LobbyEntry e) {
        String participantId = ids.next("p");
        emit(new RoomEvent.LobbyLeft(e.lobbyId(), RoomEvent.LobbyLeft.Why.ADMITTED));
        emit(new RoomEvent.MemberJoined(new MemberView(participantId, e.identity(), e.accountId(), e.displayName(),
                e.role(), false, e.grants(), e.metadata()), e.connection(), true));
        return participantId;
    }

    private boolean stageHasRoom() {
        try {
            rules.checkStageRoom(model, Role.AUDIENCE);
            return true;
        } catch (RoomException full) {
            return false;
        }
    }

    /**
     * A live in its backstage opens to its audience in one step: everyone waiting comes in (unless the room also
     * asks newcomers to knock: then they wait for the host's answer as knockers do).
     */
    private void goLive(Command.GoLive c) throws RoomException {
        if (model.room().kind() != org.salotto.rooms.RoomKind.LIVE) throw RoomException.badRequest("only a live has a backstage");
        if (roleOf(c.actor()) != Role.HOST) throw RoomException.notAllowed("only the host can go live");
        if (!model.room().practice()) return;
        emit(new RoomEvent.RoomChanged(model.room().withPractice(false)));
        if (model.room().knock()) return;
        for (LobbyEntry e : model.lobby()) {
            if (model.stateByIdentity(e.identity()) != null) emit(new RoomEvent.LobbyLeft(e.lobbyId(), RoomEvent.LobbyLeft.Why.REPLACED));
            else admit(e);
        }
        awaitHost();
    }

    /** Removes (and bans) a member; {@code block}: also blocks them from every room of the actor's account. */
    private void remove(Actor a, MemberState target, boolean block) throws RoomException {
        Role role = roleOf(a);
        if (isHostAccount(target)) {
            throw RoomException.notAllowed(block ? "nobody can block the host in their own room" : "nobody can remove the host");
        }
        if (target.identity.equals(a.identity())) {
            throw RoomException.notAllowed(block ? "you cannot block yourself" : "you cannot remove yourself: leave instead");
        }
        if (block) {
            if (a.accountId() < 0) throw RoomException.notAllowed("only people with an account can block");
            if (role == null || !rules.mayBlock(role)) {
                throw RoomException.notAllowed("you cannot block " + target.displayName);
            }
        } else {
            boolean allowed = role != null && switch (role) {
                case HOST -> true;
                // Not another co-host, and not a co-host who stands in for the host.
                case CO_HOST -> target.role == Role.STAGE || target.role == Role.AUDIENCE || target.role == Role.MODERATOR;
                case MODERATOR -> target.role == Role.AUDIENCE;
                default -> false;
            };
            if (!allowed) throw RoomException.notAllowed("you cannot remove " + target.displayName);
        }
        if (block) emit(new RoomEvent.Blocked(a.accountId(), target.identity, target.displayName));
        // The person is told which it was: a block also keeps them out of the blocker's other rooms.
        MemberState by = model.stateByIdentity(a.identity());
        String message = !block ? "you were removed from the room"
                : (by != null ? by.displayName : "the host") + " blocked you: you cannot join their rooms";
        emit(new RoomEvent.Removed(target.participantId, target.identity, a.identity(), message));
        leave(target, "removed");
    }

    private void setRole(Actor a, MemberState target, Role to) throws RoomException {
        Role actor = roleOf(a);
        boolean self = target.identity.equals(a.identity());
        if (to == Role.HOST) throw RoomException.badRequest("the host stays the host; a co-host takes over only if the host drops out");
        if (target.role == Role.HOST || isHostAccount(target)) throw RoomException.notAllowed("the host's role cannot be changed");
        if (target.role == to) return;
        boolean byActing = actor == Role.HOST && model.actingHost(memberId(a));
        switch (to) {
            case CO_HOST -> {
                if (rules.coHostLimit() == 0) throw RoomException.badRequest("a live room has a moderator, not co-hosts");
                if (actor != Role.HOST) throw RoomException.notAllowed("only the host can make co-hosts");
                if (model.count(Role.CO_HOST) + actingHosts() >= rules.coHostLimit()) {
                    throw new RoomException(ErrorCode.STAGE_FULL, "there can be at most " + rules.coHostLimit() + " co-hosts");
                }
                changeRole(target, Role.CO_HOST, byActing);
            }
            case MODERATOR -> {
                if (!rules.hasModerator()) throw RoomException.badRequest("only a live room has a moderator");
                if (actor != Role.HOST) throw RoomException.notAllowed("only the host picks the moderator");
                if (target.role != Role.AUDIENCE) throw RoomException.badRequest("the moderator is picked among the viewers");
                for (MemberState m : List.copyOf(model.states())) {
                    if (m.role == Role.MODERATOR) changeRole(m, Role.AUDIENCE, false);
                }
                changeRole(target, Role.MODERATOR, false);
            }
            case STAGE -> {
                if (!rules.hasStage()) {
                    if (actor != Role.HOST) throw RoomException.notAllowed("only the host changes co-hosts");
                    changeRole(target, Role.STAGE, false);
                    return;
                }
                requireStageManager(actor);
                if (target.role == Role.CO_HOST && actor != Role.HOST) throw RoomException.notAllowed("only the host changes co-hosts");
                rules.checkStageRoom(model, target.role);
                if (target.role == Role.CO_HOST || target.handRaised) {
                    changeRole(target, Role.STAGE, false);
                } else {
                    emit(new RoomEvent.Invited(target.participantId, nameOf(a)));
                }
            }
            case AUDIENCE -> {
                if (!rules.hasStage()) throw RoomException.badRequest("everyone in a call is a participant");
                if (!self) requireStageManager(actor);
                if (target.role == Role.CO_HOST && !self && actor != Role.HOST) {
                    throw RoomException.notAllowed("only the host can move a co-host");
                }
                changeRole(target, Role.AUDIENCE, false);
            }
            default -> throw RoomException.badRequest("unknown role");
        }
    }

    private void changeRole(MemberState m, Role to, boolean byActingHost) {
        emit(new RoomEvent.RoleChanged(m.participantId, m.role, to, false, byActingHost && to == Role.CO_HOST));
    }

    private void declineHand(Command.DeclineHand c) throws RoomException {
        MemberState target = target(c.participantId());
        if (!rules.hasStage()) throw RoomException.badRequest("nobody raises a hand in a call");
        requireStageManager(roleOf(c.actor()));
        if (target.handRaised) emit(new RoomEvent.HandLowered(target.participantId, true));
    }

    private void updateRoom(Command.UpdateRoom c) throws RoomException {
        Room r = model.room();
        if (!(c.actor().accountId() >= 0 && c.actor().accountId() == r.hostAccountId())) {
            throw RoomException.notAllowed("only the host can change the title, activity or visibility");
        }
        Room changed = new Room(r.id(), r.hostAccountId(), r.kind(), c.title() != null ? c.title() : r.title(),
                c.activity() != null ? c.activity() : r.activity(), c.visibility() != null ? c.visibility() : r.visibility(),
                r.scheduledStart(), r.state(), r.locked(), r.knock(), r.createdAt(), r.endedAt(), r.practice());
        if (!changed.equals(r)) emit(new RoomEvent.RoomChanged(changed));
    }

    private void reschedule(Command.Reschedule c) throws RoomException {
        Room r = model.room();
        if (!(c.actor().accountId() >= 0 && c.actor().accountId() == r.hostAccountId())) {
            throw RoomException.notAllowed("only the host can change when the room starts");
        }
        if (r.state() != RoomState.SCHEDULED) {
            throw new RoomException(ErrorCode.CONFLICT, "the room is no longer scheduled: its start cannot change");
        }
        if (!c.start().equals(r.scheduledStart())) emit(new RoomEvent.RoomChanged(r.withScheduledStart(c.start())));
    }

    // ---- a member's own ----

    private void raiseHand(Command.RaiseHand c) throws RoomException {
        MemberState m = self(c.actor());
        if (!rules.hasStage()) throw RoomException.badRequest("everyone in a call can already talk");
        if (c.up() && m.role != Role.AUDIENCE && m.role != Role.MODERATOR) throw RoomException.badRequest("you are on the stage already");
        if (m.handRaised == c.up()) return;
        emit(c.up() ? new RoomEvent.HandRaised(m.participantId) : new RoomEvent.HandLowered(m.participantId, false));
    }

    private void answerInvitation(Command.AnswerInvitation c) throws RoomException {
        MemberState m = self(c.actor());
        if (!m.invited) throw RoomException.badRequest("you have no invitation to answer");
        if (c.accept()) {
            rules.checkStageRoom(model, m.role);
            changeRole(m, Role.STAGE, false);
        } else {
            emit(new RoomEvent.InvitationDeclined(m.participantId));
        }
    }

    // ---- badges ----

    private void buyBadge(Command.BuyBadge c) throws RoomException {
        if (!rules.hasBadges()) throw RoomException.badRequest("badges are bought in a live");
        if (c.hearts() < 1 || c.hearts() > 3) throw RoomException.badRequest("a badge has 1, 2 or 3 hearts");
        RoomException refused = badgeRefusal(model, c.actor(), c.targetId());
        if (refused != null) throw refused;
        MemberState buyer = model.stateByIdentity(c.actor().identity());
        MemberState target = model.state(c.targetId());
        emit(new RoomEvent.BadgeBought(c.payment().purchaseId(), buyer.participantId, buyer.identity, buyer.displayName,
                target.participantId, target.displayName, c.hearts()));
    }

    /**
     * Why {@code buyer} may not buy a badge for {@code targetId} in this live now, or null: the buyer must be a viewer
     * (or the moderator) in it, the target on stage. Also asked before the payment, so that a badge the live would
     * refuse is not charged first; the live asks again when it decides.
     */
    public static RoomException badgeRefusal(RoomModel model, Actor buyer, String targetId) {
        MemberState b = model.stateByIdentity(buyer.identity());
        if (b == null) return RoomException.notAllowed("join the live to buy a badge");
        if (b.role != Role.AUDIENCE && b.role != Role.MODERATOR) {
            return RoomException.notAllowed("badges are bought by viewers, not by the people on stage");
        }
        MemberState t = model.state(targetId);
        if (t == null || !t.onStage()) {
            return new RoomException(ErrorCode.NOT_ON_STAGE, "badges are for the people on stage, and "
                    + (t == null ? "this person is not in the live" : t.displayName + " is not on the stage"));
        }
        return null;
    }

    // ---- helpers ----

    void emit(RoomEvent e) {
        model.apply(e);
        out.add(e);
    }

    /** The actor's role here: as a member, or the host's for the host's account when not in the room; else null. */
    Role roleOf(Actor a) {
        MemberState m = model.stateByIdentity(a.identity());
        if (m != null) {
            // The admin grant manages the room as a co-host does (a live's, as its moderator does).
            if (m.grants.admin() && (m.role == Role.STAGE || m.role == Role.AUDIENCE)) {
                return rules.coHostLimit() > 0 ? Role.CO_HOST : Role.MODERATOR;
            }
            return m.role;
        }
        return a.accountId() >= 0 && a.accountId() == model.room().hostAccountId() ? Role.HOST : null;
    }

    private String memberId(Actor a) {
        MemberState m = model.stateByIdentity(a.identity());
        return m == null ? null : m.participantId;
    }

    String nameOf(Actor a) {
        MemberState m = model.stateByIdentity(a.identity());
        return m == null ? "the host" : m.displayName;
    }

    boolean isHostAccount(MemberState m) {
        return m.accountId >= 0 && m.accountId == model.room().hostAccountId();
    }

    MemberState target(String participantId) throws RoomException {
        MemberState m = model.state(participantId);
        if (m == null) throw new RoomException(ErrorCode.NOT_IN_ROOM, "this person is not in the room");
        return m;
    }

    MemberState self(Actor a) throws RoomException {
        MemberState m = model.stateByIdentity(a.identity());
        if (m == null) throw new RoomException(ErrorCode.NOT_IN_ROOM, "you are not in this room");
        return m;
    }

    private void requireHostOrCoHost(Actor a, String what) throws RoomException {
        Role r = roleOf(a);
        if (r != Role.HOST && r != Role.CO_HOST) throw RoomException.notAllowed("only the host and co-hosts can " + what);
    }

    private void requireStageManager(Role actor) throws RoomException {
        if (actor == null || !rules.managesStage(actor)) {
            throw RoomException.notAllowed(rules.managesStage(Role.CO_HOST)
                    ? "only the host and co-hosts decide who speaks" : "only the host decides who is on the stage");
        }
    }
}
