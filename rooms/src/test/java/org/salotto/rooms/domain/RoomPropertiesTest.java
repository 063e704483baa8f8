package org.salotto.rooms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.store.Identities;

/**
 * Thousands of random command sequences against one room of each kind, with small limits so that they are reached,
 * and the invariants checked after every command: never more than the limits, a banned identity never inside, a room
 * never without someone in charge while open, the host's rights back with the host when the host returns. A refused
 * command must change nothing.
 */
class RoomPropertiesTest {
    private static final RoomsConfig CONFIG = RoomHarness.SMALL;
    private static final int PEOPLE = 5;
    private static final Role[] ROLES = {Role.CO_HOST, Role.CO_HOST, Role.MODERATOR, Role.STAGE, Role.AUDIENCE, Role.HOST};

    /** One random step: what to do, who does it, to whom, and a flag. */
    record Step(int op, int actor, int target, int extra) {
    }

    @Provide
    Arbitrary<Step> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 17), Arbitraries.integers().between(0, PEOPLE),
                Arbitraries.integers().between(0, PEOPLE), Arbitraries.integers().between(0, 40)).as(Step::new);
    }

    @Property(tries = 3000)
    void callInvariants(@ForAll @Size(max = 80) List<@net.jqwik.api.From("steps") Step> steps, @ForAll boolean knock) {
        play(RoomKind.CALL, knock, steps);
    }

    @Property(tries = 3000)
    void liveInvariants(@ForAll @Size(max = 80) List<@net.jqwik.api.From("steps") Step> steps, @ForAll boolean knock) {
        play(RoomKind.LIVE, knock, steps);
    }

    @Property(tries = 3000)
    void spaceInvariants(@ForAll @Size(max = 80) List<@net.jqwik.api.From("steps") Step> steps, @ForAll boolean knock) {
        play(RoomKind.SPACE, knock, steps);
    }

    /**
     * The host's comings and goings in a space, densely: few people, and only joining, leaving, dropping out and
     * making co-hosts, so that hand-overs to an acting host and back happen in most sequences.
     */
    @Provide
    Arbitrary<Step> handOvers() {
        Arbitrary<Integer> op = Arbitraries.of(0, 0, 3, 3, 9, 9, 9, 4, 6, 8, 12);
        return Combinators.combine(op, Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 40)).as((o, a, t, x) -> new Step(o, a, t, o == 9 ? 0 : x));
    }

    @Property(tries = 3000)
    void spaceHandOvers(@ForAll @Size(max = 40) List<@net.jqwik.api.From("handOvers") Step> steps) {
        play(RoomKind.SPACE, false, steps);
    }

    /** Every step of the others, and a live's comments, its moderation and its backstage. */
    @Provide
    Arbitrary<Step> liveSteps() {
        return Combinators.combine(Arbitraries.integers().between(0, 24), Arbitraries.integers().between(0, PEOPLE),
                Arbitraries.integers().between(0, PEOPLE), Arbitraries.integers().between(0, 40)).as(Step::new);
    }

    @Property(tries = 3000)
    void liveCommentInvariants(@ForAll @Size(max = 80) List<@net.jqwik.api.From("liveSteps") Step> steps,
                               @ForAll boolean knock, @ForAll boolean practice) {
        play(RoomKind.LIVE, knock, practice, steps);
    }

    private static void play(RoomKind kind, boolean knock, List<Step> steps) {
        play(kind, knock, false, steps);
    }

    private static void play(RoomKind kind, boolean knock, boolean practice, List<Step> steps) {
        RoomHarness h = new RoomHarness(kind, CONFIG, knock, RoomMachine.NO_LOBBY_LIMIT, practice);
        Set<String> banned = new HashSet<>();
        Set<String> hidden = new HashSet<>();
        for (Step s : steps) {
            Command c = command(h, s);
            if (c == null) continue;
            String before = snapshot(h.model);
            boolean wasOff = h.model.commentsOff();
            Set<String> inCharge = new HashSet<>();
            for (MemberView v : h.model.members()) if (v.role() == Role.HOST || v.role() == Role.CO_HOST) inCharge.add(v.participantId());
            boolean leftInCharge = false;
            try {
                boolean actingTarget = c instanceof Command.Remove r && h.model.actingHost(r.participantId());
                for (RoomEvent e : h.run(c)) {
                    if (e instanceof RoomEvent.Removed r) banned.add(r.identity());
                    if (e instanceof RoomEvent.Removed && actingTarget) {
                        assertEquals(RoomHarness.HOST, ((Command.Remove) c).actor().accountId(),
                                "only the host removes a co-host who stands in for the host: " + c);
                    }
                    if (e instanceof RoomEvent.MemberLeft l && inCharge.contains(l.participantId())) leftInCharge = true;
                    if (e instanceof RoomEvent.CommentHidden ch) hidden.add(ch.commentId());
                    if (e instanceof RoomEvent.CommentPosted p) {
                        String writer = p.comment().identity();
                        assertFalse(h.model.commentsOffFor(writer), "a comment from someone whose comments are off: " + c);
                        Role role = h.model.memberByIdentity(writer).map(MemberView::role).orElse(null);
                        assertTrue(!wasOff || role == Role.HOST || role == Role.MODERATOR,
                                "a comment while comments are off, from a " + role);
                    }
                }
            } catch (RoomException refused) {
                assertEquals(before, snapshot(h.model), "a refused " + c + " changed the room");
            }
            check(h, kind, banned, c, leftInCharge);
            checkComments(h, hidden, c);
        }
    }

    /** A live's comments: the snapshot's are visible and at most 50, and a hidden comment is never pinned. */
    private static void checkComments(RoomHarness h, Set<String> hidden, Command after) {
        List<LiveComment> recent = h.model.recentComments();
        assertTrue(recent.size() <= RoomModel.SNAPSHOT_COMMENTS, "too many comments in the snapshot");
        for (LiveComment c : recent) assertFalse(hidden.contains(c.id()), "a hidden comment in the snapshot after " + after);
        LiveComment pinned = h.model.pinned();
        if (pinned != null) assertFalse(hidden.contains(pinned.id()), "a hidden comment stays pinned after " + after);
        if (h.model.room().practice()) {
            for (MemberView v : h.model.members()) {
                assertTrue(v.role() == Role.HOST || h.model.admitted(v.identity()),
                        v + " is backstage without the host letting them in, after " + after);
            }
        }
    }

    /** Person 0 is the host's account; odd ones are accounts, even ones guests. */
    private static Actor person(int i) {
        if (i == 0) return RoomHarness.account(RoomHarness.HOST);
        return i % 2 == 1 ? RoomHarness.account(10 + i) : RoomHarness.guest("guest" + i);
    }

    private static Command command(RoomHarness h, Step s) {
        Actor actor = person(s.actor());
        Actor target = person(s.target());
        String pid = h.pid(target);
        if (pid == null) pid = "p-nobody";
        return switch (s.op()) {
            case 0, 1, 2 -> new Command.Join(new Entrant(actor.identity(), actor.accountId(), actor.identity(), false,
                    false, s.extra() % 5 == 0 ? Role.CO_HOST : null, h.nextConnection()));
            case 3 -> new Command.Leave(pid, "left");
            case 4 -> new Command.Disconnect(pid, h.model.connectionOf(pid));
            case 5 -> new Command.Resume(pid, target.identity(), h.nextConnection());
            case 6 -> {
                h.advance(Duration.ofSeconds(s.extra()));
                yield expiry(h);
            }
            case 7 -> h.model.lobby().stream().findFirst()
                    .map(e -> (Command) new Command.AnswerKnock(actor, e.lobbyId(), s.extra() % 3 != 0)).orElse(null);
            case 8 -> new Command.Remove(actor, pid);
            case 9 -> new Command.SetRole(actor, pid, ROLES[s.extra() % ROLES.length]);
            case 10 -> new Command.RaiseHand(actor, s.extra() % 4 != 0);
            case 11 -> new Command.AnswerInvitation(actor, s.extra() % 3 != 0);
            case 12 -> new Command.LeaveStage(actor);
            case 13 -> new Command.SetLocked(actor, s.extra() % 2 == 0);
            case 14 -> new Command.SetKnock(actor, s.extra() % 2 == 0);
            case 15 -> new Command.DeclineHand(actor, pid);
            case 16 -> s.extra() == 40 ? new Command.End(actor) : new Command.Block(actor, pid);
            case 18 -> new Command.Comment(actor, "c", "c" + h.nextConnection(), h.now);
            case 19 -> new Command.HideComment(actor, someComment(h, s.extra()));
            case 20 -> new Command.PinComment(actor, s.extra() % 5 == 0 ? null : someComment(h, s.extra()));
            case 21 -> new Command.SetCommentsOff(actor, s.extra() % 2 == 0);
            case 22 -> new Command.SetMemberCommentsOff(actor, pid, s.extra() % 3 != 0);
            case 23 -> new Command.ReportComment(actor, someComment(h, s.extra()), null);
            case 24 -> new Command.GoLive(actor);
            default -> h.model.lobby().stream().findFirst().map(e -> (Command) new Command.LeaveLobby(e.lobbyId())).orElse(null);
        };
    }

    /** One of the comments posted so far (hidden ones too), or an unknown id. */
    private static String someComment(RoomHarness h, int pick) {
        List<String> ids = new ArrayList<>();
        for (RoomEvent e : h.events) if (e instanceof RoomEvent.CommentPosted p) ids.add(p.comment().id());
        return ids.isEmpty() ? "c-unknown" : ids.get(pick % ids.size());
    }

    /** A timer that is due now: the host's grace, or the resume grace of someone who dropped. */
    private static Command expiry(RoomHarness h) {
        if (h.model.hostGraceDue() != null && !h.now.isBefore(h.model.hostGraceDue())) return new Command.HostGraceOver();
        List<RoomEvent> events = h.events;
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i) instanceof RoomEvent.Disconnected d && !h.now.isBefore(d.resumeBy())) {
                return new Command.ResumeExpired(d.participantId(), d.connection());
            }
        }
        return null;
    }

    private static void check(RoomHarness h, RoomKind kind, Set<String> banned, Command after, boolean leftInCharge) {
        RoomModel m = h.model;
        String where = " after " + after;
        List<MemberView> members = m.members();
        Set<String> identities = new HashSet<>();
        for (MemberView v : members) {
            assertTrue(identities.add(v.identity()), "one member per identity" + where);
            assertFalse(banned.contains(v.identity()), "a removed person is back inside" + where);
        }
        for (LobbyEntry e : m.lobby()) assertFalse(identities.contains(e.identity()), "in the lobby and inside" + where);
        assertTrue(m.count(Role.HOST) <= 1, "two hosts" + where);
        switch (kind) {
            case CALL -> assertTrue(m.people() <= CONFIG.callMaxPeople(), "the call is over its limit" + where);
            case LIVE -> {
                assertTrue(m.count(Role.HOST) + m.count(Role.STAGE) <= CONFIG.liveStageMax(), "live stage over" + where);
                assertEquals(0, m.count(Role.CO_HOST), "a live has no co-hosts" + where);
                assertTrue(m.count(Role.MODERATOR) <= 1, "one moderator" + where);
            }
            case SPACE -> {
                assertTrue(m.count(Role.STAGE) <= CONFIG.spaceSpeakersMax(), "too many speakers" + where);
                int acting = 0;
                for (MemberView v : members) if (m.actingHost(v.participantId())) acting++;
                assertTrue(m.count(Role.CO_HOST) + acting <= CONFIG.spaceCoHostsMax(), "too many co-hosts" + where);
            }
        }
        if (m.ended()) {
            assertEquals(0, m.people(), "an ended room has nobody" + where);
            assertTrue(m.lobby().isEmpty(), "an ended room has no lobby" + where);
            return;
        }
        if (m.people() > 0 && kind != RoomKind.CALL) {
            assertTrue(m.hostPresent() || m.hostGraceDue() != null, "nobody in charge of an open room" + where + ": " + members);
        }
        // A call needs no host to start, but once the last one in charge (host or co-host) leaves, it locks itself.
        if (kind == RoomKind.CALL && m.people() > 0 && leftInCharge) {
            assertTrue(m.room().locked() || m.count(Role.HOST) + m.count(Role.CO_HOST) > 0,
                    "the last one in charge left an unlocked call" + where);
        }
        boolean hostInside = m.memberByIdentity(Identities.account(RoomHarness.HOST)).isPresent();
        if (hostInside) {
            for (MemberView v : members) {
                assertFalse(m.actingHost(v.participantId()), "an acting host beside the host" + where);
                assertFalse(m.byActingHost(v.participantId()) && v.role() == Role.CO_HOST,
                        "a co-host made by the acting host kept the role after the host returned" + where);
            }
            assertEquals(null, m.hostGraceDue(), "the host's grace runs while the host is in" + where);
        }
    }

    /** Everything a refused command must leave as it was. */
    private static String snapshot(RoomModel m) {
        List<String> parts = new ArrayList<>();
        parts.add(String.valueOf(m.room()));
        for (MemberView v : m.members()) {
            parts.add(v + "/" + m.connectionOf(v.participantId()) + "/" + m.connected(v.participantId()) + "/"
                    + m.invited(v.participantId()) + "/" + m.actingHost(v.participantId()));
        }
        parts.add(String.valueOf(m.lobby()));
        parts.add(String.valueOf(m.hostGraceDue()));
        parts.add(m.recentComments() + "/" + m.pinned() + "/" + m.commentsOff() + "/" + m.commentsOffMembers());
        return String.join("|", parts);
    }
}
