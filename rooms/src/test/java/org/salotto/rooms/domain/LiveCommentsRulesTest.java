package org.salotto.rooms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.salotto.rooms.domain.RoomHarness.HOST;
import static org.salotto.rooms.domain.RoomHarness.account;
import static org.salotto.rooms.domain.RoomHarness.guest;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomsConfig;
import org.salotto.signaling.protocol.ErrorCode;

/** A live's comments, its moderator and its backstage, decided by the state machine alone. */
class LiveCommentsRulesTest {
    private final AtomicInteger commentIds = new AtomicInteger();

    private static ErrorCode refusal(RoomHarness h, Command c) {
        return assertThrows(RoomException.class, () -> h.run(c)).errorCode();
    }

    /** A comment by {@code who}; returns its id. */
    private String comment(RoomHarness h, Actor who, String text) throws RoomException {
        String id = "c" + commentIds.incrementAndGet();
        List<RoomEvent> out = h.run(new Command.Comment(who, text, id, h.now));
        assertEquals(1, out.size());
        assertInstanceOf(RoomEvent.CommentPosted.class, out.getFirst());
        return id;
    }

    private Command.Comment commentCommand(RoomHarness h, Actor who) {
        return new Command.Comment(who, "hello", "c" + commentIds.incrementAndGet(), h.now);
    }

    private static List<String> recentIds(RoomHarness h) {
        return h.model.recentComments().stream().map(LiveComment::id).toList();
    }

    @Nested
    class Comments {
        private final RoomHarness h = new RoomHarness(RoomKind.LIVE, RoomsConfig.defaults(), false);

        @Test
        void aViewersCommentCarriesTheirNameAndTheBestBadgeTheyBought() throws Exception {
            h.join(account(HOST));
            String vera = h.join(guest("vera"));
            String first = comment(h, guest("vera"), "hi all");
            LiveComment c = h.model.recentComment(first).orElseThrow();
            assertEquals(vera, c.participantId());
            assertEquals(guest("vera").identity(), c.name()); // the harness names people by their identity
            assertEquals("hi all", c.text());
            assertEquals(0, c.badge());

            String host = h.pid(account(HOST));
            h.run(new Command.Comment(guest("vera"), "x", "c-x", h.now)); // any number of comments before a badge
            h.model.apply(new RoomEvent.BadgeBought("pu1", vera, guest("vera").identity(), "vera", host, "host", 1));
            h.model.apply(new RoomEvent.BadgeBought("pu2", vera, guest("vera").identity(), "vera", host, "host", 3));
            h.model.apply(new RoomEvent.BadgeBought("pu3", vera, guest("vera").identity(), "vera", host, "host", 2));
            assertEquals(3, h.model.badgeOf(vera), "the best badge, not the last");
            assertEquals(0, h.model.badgeOf(host));
            String later = comment(h, guest("vera"), "thanks!");
            assertEquals(3, h.model.recentComment(later).orElseThrow().badge());
            assertEquals(0, h.model.recentComment(first).orElseThrow().badge(), "a comment keeps the badge it was written with");
        }

        @Test
        void callsAndSpacesHaveNoComments() throws Exception {
            for (RoomKind kind : List.of(RoomKind.CALL, RoomKind.SPACE)) {
                RoomHarness other = new RoomHarness(kind, RoomsConfig.defaults(), false);
                other.join(account(HOST));
                other.join(guest("ann"));
                assertEquals(ErrorCode.BAD_REQUEST, refusal(other, commentCommand(other, guest("ann"))));
                assertEquals(ErrorCode.BAD_REQUEST, refusal(other, new Command.SetCommentsOff(account(HOST), true)));
            }
        }

        @Test
        void onlyPeopleInTheLiveComment() throws Exception {
            h.join(account(HOST));
            assertEquals(ErrorCode.NOT_IN_ROOM, refusal(h, commentCommand(h, guest("outsider"))));
            assertTrue(h.model.recentComments().isEmpty());
        }

        @Test
        void aLateJoinerGetsTheLastFiftyVisibleCommentsOldestFirst() throws Exception {
            h.join(account(HOST));
            h.join(guest("vera"));
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 120; i++) ids.add(comment(h, guest("vera"), "n" + i));
            assertEquals(ids.subList(70, 120), recentIds(h));
            // A hidden one leaves the snapshot, and an older one takes its place.
            h.run(new Command.HideComment(account(HOST), ids.get(100)));
            List<String> expected = new java.util.ArrayList<>(ids.subList(69, 120));
            expected.remove(ids.get(100));
            assertEquals(expected, recentIds(h));
            assertTrue(h.model.recentComment(ids.get(100)).isEmpty());
        }

        @Test
        void theRoomComesBackWithTheCommentsItHadWhenItOpensAgain() {
            LiveComment a = new LiveComment("ca", "p1", guest("a").identity(), "a", "one", h.now, 0);
            LiveComment b = new LiveComment("cb", "p2", guest("b").identity(), "b", "two", h.now, 2);
            RoomModel reopened = new RoomModel(h.model.room(), null,
                    new CommentsState(List.of(a, b), b, true, Set.of(guest("a").identity()), java.util.Map.of(guest("b").identity(), 2)));
            assertEquals(List.of(a, b), reopened.recentComments());
            assertEquals(b, reopened.pinned());
            assertTrue(reopened.commentsOff());
            assertTrue(reopened.commentsOffFor(guest("a").identity()));
            assertEquals(2, reopened.badgeOfIdentity(guest("b").identity()));
        }
    }

    @Nested
    class Moderation {
        private final RoomHarness h = new RoomHarness(RoomKind.LIVE, RoomsConfig.defaults(), false);
        private String mod;
        private String vera;
        private String gus;

        /** The host, a moderator (an account the host picked), a viewer and a guest on stage. */
        private void cast() throws Exception {
            h.join(account(HOST));
            mod = h.join(account(2));
            h.run(new Command.SetRole(account(HOST), mod, Role.MODERATOR));
            vera = h.join(guest("vera"));
            gus = h.join(guest("gus"));
            h.run(new Command.RaiseHand(guest("gus"), true));
            h.run(new Command.SetRole(account(HOST), gus, Role.STAGE));
            assertEquals(Role.STAGE, h.role(gus));
        }

        @Test
        void theHostAndTheModeratorHideCommentsAndNobodyElseDoes() throws Exception {
            cast();
            String c1 = comment(h, guest("vera"), "spam");
            String c2 = comment(h, guest("gus"), "more spam");
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.HideComment(guest("vera"), c1)));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.HideComment(guest("gus"), c1)), "a guest on stage does not moderate");
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.HideComment(account(77), c1)));
            assertEquals(2, h.model.recentComments().size());

            List<RoomEvent> hidden = h.run(new Command.HideComment(account(2), c1));
            assertEquals(List.of(new RoomEvent.CommentHidden(c1, account(2).identity(), account(2).identity())), hidden);
            // The host hides from outside the room too (the HTTP API with the host's account).
            h.run(new Command.Leave(h.pid(account(HOST)), "left"));
            h.run(new Command.HideComment(account(HOST), c2));
            assertTrue(h.model.recentComments().isEmpty());
        }

        @Test
        void aPinnedCommentThatIsHiddenIsUnpinnedToo() throws Exception {
            cast();
            String c1 = comment(h, guest("vera"), "first");
            String c2 = comment(h, guest("vera"), "second");
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.PinComment(guest("vera"), c1)));
            h.run(new Command.PinComment(account(2), c1));
            assertEquals(c1, h.model.pinned().id());
            // Another pin replaces it, naming the one it unpinned.
            List<RoomEvent> repinned = h.run(new Command.PinComment(account(HOST), c2));
            RoomEvent.CommentPinned p = assertInstanceOf(RoomEvent.CommentPinned.class, repinned.getFirst());
            assertEquals(c2, p.comment().id());
            assertEquals(c1, p.unpinnedId());
            assertEquals(ErrorCode.NOT_FOUND, refusal(h, new Command.PinComment(account(HOST), "c-unknown")));

            List<RoomEvent> hide = h.run(new Command.HideComment(account(2), c2));
            assertEquals(2, hide.size());
            assertInstanceOf(RoomEvent.CommentHidden.class, hide.get(0));
            RoomEvent.CommentPinned unpinned = assertInstanceOf(RoomEvent.CommentPinned.class, hide.get(1));
            assertNull(unpinned.comment());
            assertEquals(c2, unpinned.unpinnedId());
            assertNull(h.model.pinned());
            // A hidden comment cannot be pinned again.
            assertEquals(ErrorCode.NOT_FOUND, refusal(h, new Command.PinComment(account(HOST), c2)));
            // Unpinning with nothing pinned changes nothing.
            assertTrue(h.run(new Command.PinComment(account(HOST), null)).isEmpty());
        }

        @Test
        void commentsOffForEveryoneRefusesAllButTheHostAndTheModerator() throws Exception {
            cast();
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.SetCommentsOff(guest("vera"), true)));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.SetCommentsOff(guest("gus"), true)));
            h.run(new Command.SetCommentsOff(account(2), true));
            assertTrue(h.model.commentsOff());
            assertEquals(ErrorCode.COMMENTS_OFF, refusal(h, commentCommand(h, guest("vera"))));
            assertEquals(ErrorCode.COMMENTS_OFF, refusal(h, commentCommand(h, guest("gus"))));
            comment(h, account(HOST), "the host still talks to the room");
            comment(h, account(2), "so does the moderator");
            assertTrue(h.run(new Command.SetCommentsOff(account(HOST), true)).isEmpty(), "already off");
            h.run(new Command.SetCommentsOff(account(HOST), false));
            comment(h, guest("vera"), "back");
        }

        @Test
        void commentsOffForOnePersonRefusesThemOnlyAndFollowsThemBackIn() throws Exception {
            cast();
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.SetMemberCommentsOff(guest("gus"), vera, true)));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.SetMemberCommentsOff(account(2), h.pid(account(HOST)), true)));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.SetMemberCommentsOff(account(2), mod, true)));
            List<RoomEvent> off = h.run(new Command.SetMemberCommentsOff(account(2), vera, true));
            RoomEvent.MemberCommentsChanged changed = assertInstanceOf(RoomEvent.MemberCommentsChanged.class, off.getFirst());
            assertEquals(vera, changed.participantId());
            assertTrue(changed.off());
            assertEquals(List.of(vera), h.model.commentsOffMembers());
            assertEquals(ErrorCode.COMMENTS_OFF, refusal(h, commentCommand(h, guest("vera"))));
            comment(h, guest("gus"), "others still comment");
            // Leaving and coming back does not turn them on again.
            h.run(new Command.Leave(vera, "left"));
            String again = h.join(guest("vera"));
            assertEquals(List.of(again), h.model.commentsOffMembers());
            assertEquals(ErrorCode.COMMENTS_OFF, refusal(h, commentCommand(h, guest("vera"))));
            h.run(new Command.SetMemberCommentsOff(account(HOST), again, false));
            comment(h, guest("vera"), "I am back");
        }

        @Test
        void theModeratorCannotEndTheLiveNorTouchTheStage() throws Exception {
            cast();
            h.run(new Command.RaiseHand(guest("vera"), true));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.End(account(2))));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.SetRole(account(2), vera, Role.STAGE)));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.SetRole(account(2), gus, Role.AUDIENCE)));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.DeclineHand(account(2), vera)));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.Remove(account(2), gus)));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.SetRole(account(2), vera, Role.MODERATOR)));
            assertEquals(Role.AUDIENCE, h.role(vera));
            assertEquals(Role.STAGE, h.role(gus));
            assertFalse(h.model.ended());
            // What the moderator may do: remove a viewer.
            h.run(new Command.Remove(account(2), vera));
            assertNull(h.pid(guest("vera")));
        }

        @Test
        void anyoneInTheLiveReportsAComment() throws Exception {
            cast();
            String c1 = comment(h, guest("gus"), "rude");
            assertEquals(ErrorCode.NOT_IN_ROOM, refusal(h, new Command.ReportComment(guest("outsider"), c1, null)));
            List<RoomEvent> out = h.run(new Command.ReportComment(guest("vera"), c1, "rude words"));
            assertEquals(List.of(new RoomEvent.CommentReported(c1, guest("vera").identity(), guest("vera").identity(),
                    "rude words")), out);
        }
    }

    @Nested
    class Backstage {
        private final RoomHarness h = new RoomHarness(RoomKind.LIVE, RoomsConfig.defaults(), false,
                RoomMachine.NO_LOBBY_LIMIT, true);

        @Test
        void viewersWaitUntilTheHostGoesLiveThenComeInTogether() throws Exception {
            assertNotNull(h.join(account(HOST)));
            assertNull(h.join(guest("vera")), "a viewer waits");
            assertNull(h.join(guest("walt")));
            assertEquals(1, h.model.people());
            assertEquals(2, h.model.lobby().size());
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.GoLive(guest("vera"))));

            List<RoomEvent> live = h.run(new Command.GoLive(account(HOST)));
            RoomEvent.RoomChanged changed = assertInstanceOf(RoomEvent.RoomChanged.class, live.getFirst());
            assertFalse(changed.room().practice());
            assertEquals(2, live.stream().filter(e -> e instanceof RoomEvent.MemberJoined j && j.admitted()).count());
            assertEquals(3, h.model.people());
            assertTrue(h.model.lobby().isEmpty());
            assertEquals(Role.AUDIENCE, h.role(h.pid(guest("vera"))));
            // Once live, people come straight in; going live again changes nothing.
            assertNotNull(h.join(guest("late")));
            assertTrue(h.run(new Command.GoLive(account(HOST))).isEmpty());
        }

        @Test
        void theHostLetsAGuestBackstageWhereTheyAreInvitedToTheStage() throws Exception {
            h.join(account(HOST));
            assertNull(h.join(guest("gus")));
            LobbyEntry gus = h.model.lobby().iterator().next();
            List<RoomEvent> in = h.run(new Command.AnswerKnock(account(HOST), gus.lobbyId(), true));
            String pid = h.pid(guest("gus"));
            assertNotNull(pid);
            assertTrue(in.stream().anyMatch(e -> e instanceof RoomEvent.Invited i && i.participantId().equals(pid)));
            h.run(new Command.AnswerInvitation(guest("gus"), true));
            assertEquals(Role.STAGE, h.role(pid));
            assertTrue(h.model.room().practice(), "still backstage");
            // Comments backstage are among those in it.
            comment(h, guest("gus"), "ready?");
        }

        @Test
        void onlyALiveHasABackstage() throws Exception {
            RoomHarness call = new RoomHarness(RoomKind.CALL, RoomsConfig.defaults(), false);
            call.join(account(HOST));
            assertEquals(ErrorCode.BAD_REQUEST, refusal(call, new Command.GoLive(account(HOST))));
        }
    }
}
