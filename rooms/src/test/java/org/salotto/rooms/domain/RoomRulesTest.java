package org.salotto.rooms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.salotto.rooms.domain.RoomHarness.HOST;
import static org.salotto.rooms.domain.RoomHarness.account;
import static org.salotto.rooms.domain.RoomHarness.guest;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomsConfig;
import org.salotto.rooms.Visibility;
import org.salotto.signaling.protocol.ErrorCode;

/** The rules of the three kinds of room, decided by the state machine alone: no executor, database or socket. */
class RoomRulesTest {

    private static ErrorCode refusal(RoomHarness h, Command c) {
        return assertThrows(RoomException.class, () -> h.run(c)).errorCode();
    }

    @Nested
    class Call {
        private final RoomHarness h = new RoomHarness(RoomKind.CALL, RoomsConfig.defaults(), false);

        @Test
        void theFiftyFirstCallerIsRefusedAndNothingChanges() throws Exception {
            h.join(account(HOST));
            for (int i = 2; i <= 50; i++) assertNotNull(h.join(guest("g" + i)));
            assertEquals(50, h.model.people());
            RoomException e = assertThrows(RoomException.class, () -> h.join(guest("late")));
            assertEquals(ErrorCode.ROOM_FULL, e.errorCode());
            assertEquals(50, h.model.people());
        }

        @Test
        void whenTheHostLeavesTheOthersGoOnInALockedRoom() throws Exception {
            String host = h.join(account(HOST));
            String ann = h.join(guest("ann"));
            h.run(new Command.Leave(host, "left"));
            assertTrue(h.model.room().locked());
            assertEquals(Role.STAGE, h.role(ann));
            assertEquals(ErrorCode.ROOM_LOCKED, assertThrows(RoomException.class, () -> h.join(guest("bob"))).errorCode());
            // The host comes back through the lock and unlocks.
            h.join(account(HOST));
            h.run(new Command.SetLocked(account(HOST), false));
            assertNotNull(h.join(guest("bob")));
        }

        @Test
        void theLastCoHostLeavingAHostlessCallLocksIt() throws Exception {
            String host = h.join(account(HOST));
            String co = h.join(account(2));
            h.join(guest("ann"));
            h.run(new Command.SetRole(account(HOST), co, Role.CO_HOST));
            h.run(new Command.Leave(host, "left"));
            assertFalse(h.model.room().locked(), "a co-host is still in charge");
            h.run(new Command.Leave(co, "left"));
            assertTrue(h.model.room().locked());
        }

        @Test
        void anOutsiderCannotRemoveAnyoneAndARemovedGuestCannotComeBack() throws Exception {
            h.join(account(HOST));
            String ann = h.join(guest("ann"));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.Remove(account(99), ann)));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.Remove(guest("ann"), h.pid(account(HOST)))));
            h.run(new Command.Remove(account(HOST), ann));
            assertNull(h.pid(guest("ann")));
            // Even before the ban reaches the database, the room keeps them out.
            assertEquals(ErrorCode.BANNED, assertThrows(RoomException.class, () -> h.join(guest("ann"))).errorCode());
            assertEquals(ErrorCode.BANNED, assertThrows(RoomException.class, () -> h.join(guest("x"), true, false, null)).errorCode());
        }

        @Test
        void theSamePersonAgainTakesOverTheirPlace() throws Exception {
            h.join(account(HOST));
            String ann = h.join(guest("ann"));
            List<RoomEvent> again = h.run(new Command.Join(new Entrant(guest("ann").identity(), -1, "ann", false, false,
                    null, h.nextConnection())));
            assertTrue(again.getFirst() instanceof RoomEvent.Replaced r && r.participantId().equals(ann));
            assertEquals(2, h.model.people());
        }

        @Test
        void theHostChangesTheTitleAndVisibilityAndOthersCannot() throws Exception {
            h.join(account(HOST));
            String co = h.join(account(2));
            h.run(new Command.SetRole(account(HOST), co, Role.CO_HOST));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.UpdateRoom(account(2), "mine", null, null)));
            h.run(new Command.UpdateRoom(account(HOST), "renamed", null, Visibility.PRIVATE));
            assertEquals("renamed", h.model.room().title());
            assertEquals(Visibility.PRIVATE, h.model.room().visibility());
            // A co-host may lock.
            h.run(new Command.SetLocked(account(2), true));
            assertTrue(h.model.room().locked());
        }

        @Test
        void knockersWaitUntilAHostLetsThemIn() throws Exception {
            RoomHarness k = new RoomHarness(RoomKind.CALL, RoomsConfig.defaults(), true);
            k.join(account(HOST));
            assertNull(k.join(guest("ann")));
            LobbyEntry waiting = k.model.lobby().iterator().next();
            assertEquals(ErrorCode.NOT_ALLOWED, assertThrows(RoomException.class,
                    () -> k.run(new Command.AnswerKnock(guest("ann"), waiting.lobbyId(), true))).errorCode());
            k.run(new Command.AnswerKnock(account(HOST), waiting.lobbyId(), true));
            String ann = k.pid(guest("ann"));
            assertNotNull(ann);
            assertTrue(k.model.lobby().isEmpty());
            // Admitted once, they come back without knocking.
            k.run(new Command.Leave(ann, "left"));
            assertNotNull(k.join(guest("ann")));
        }
    }

    @Nested
    class Live {
        private final RoomHarness h = new RoomHarness(RoomKind.LIVE, RoomsConfig.defaults(), false);

        @Test
        void theStageHoldsFourAndAFifthIsRefused() throws Exception {
            h.join(account(HOST));
            for (int i = 0; i < 4; i++) {
                String v = h.join(guest("v" + i));
                h.run(new Command.RaiseHand(guest("v" + i), true));
                if (i < 3) {
                    h.run(new Command.SetRole(account(HOST), v, Role.STAGE));
                    assertEquals(Role.STAGE, h.role(v));
                } else {
                    assertEquals(ErrorCode.STAGE_FULL, refusal(h, new Command.SetRole(account(HOST), v, Role.STAGE)));
                    assertEquals(Role.AUDIENCE, h.role(v));
                }
            }
        }

        @Test
        void aGuestTakenOffStageStaysAsAViewer() throws Exception {
            h.join(account(HOST));
            String v = h.join(guest("vera"));
            h.run(new Command.SetRole(account(HOST), v, Role.STAGE)); // an invitation: no hand raised
            assertTrue(h.model.invited(v));
            h.run(new Command.AnswerInvitation(guest("vera"), true));
            assertEquals(Role.STAGE, h.role(v));
            h.run(new Command.SetRole(account(HOST), v, Role.AUDIENCE));
            assertEquals(Role.AUDIENCE, h.role(v));
            assertEquals(2, h.model.people());
            // And by herself.
            h.run(new Command.SetRole(account(HOST), v, Role.STAGE));
            h.run(new Command.AnswerInvitation(guest("vera"), true));
            h.run(new Command.LeaveStage(guest("vera")));
            assertEquals(Role.AUDIENCE, h.role(v));
        }

        @Test
        void aLiveEndsWhenItsHostIsGonePastTheGraceUnlessTheHostComesBack() throws Exception {
            String host = h.join(account(HOST));
            h.join(guest("vera"));
            h.run(new Command.Leave(host, "left"));
            assertNotNull(h.model.hostGraceDue());
            h.advance(Duration.ofSeconds(10));
            h.join(account(HOST));
            assertNull(h.model.hostGraceDue());
            h.run(new Command.Leave(h.pid(account(HOST)), "left"));
            h.advance(Duration.ofSeconds(29));
            assertTrue(h.run(new Command.HostGraceOver()).isEmpty(), "not yet");
            h.advance(Duration.ofSeconds(2));
            List<RoomEvent> ended = h.run(new Command.HostGraceOver());
            assertTrue(ended.getFirst() instanceof RoomEvent.RoomEnded);
            assertTrue(h.model.ended());
            assertEquals(0, h.model.people());
            assertEquals(ErrorCode.ROOM_ENDED, assertThrows(RoomException.class, () -> h.join(guest("late"))).errorCode());
        }

        @Test
        void theModeratorRemovesViewersButNotGuests() throws Exception {
            h.join(account(HOST));
            String mod = h.join(account(2));
            String viewer = h.join(guest("v"));
            String onStage = h.join(guest("s"));
            h.run(new Command.SetRole(account(HOST), mod, Role.MODERATOR));
            h.run(new Command.RaiseHand(guest("s"), true));
            h.run(new Command.SetRole(account(HOST), onStage, Role.STAGE));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.Remove(account(2), onStage)));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.SetRole(account(2), viewer, Role.STAGE)));
            h.run(new Command.Remove(account(2), viewer));
            assertNull(h.pid(guest("v")));
        }
    }

    @Nested
    class Space {
        private final RoomHarness h = new RoomHarness(RoomKind.SPACE, RoomsConfig.defaults(), false);

        @Test
        void aCoHostTakesOverWhenTheHostDropsOutAndHandsBackWithTheCoHostsItMade() throws Exception {
            String host = h.join(account(HOST));
            String co = h.join(account(2));
            String other = h.join(account(3));
            h.run(new Command.SetRole(account(HOST), co, Role.CO_HOST));
            h.run(new Command.Leave(host, "connection lost"));
            assertEquals(Role.HOST, h.role(co));
            assertTrue(h.model.actingHost(co));
            assertNull(h.model.hostGraceDue(), "a co-host is in charge: no grace");
            // The acting host makes a co-host, whom a co-host cannot remove, nor can anyone remove the acting host but the host.
            h.run(new Command.SetRole(account(2), other, Role.CO_HOST));
            assertEquals(ErrorCode.NOT_ALLOWED, refusal(h, new Command.Remove(account(3), co)));
            // The host is back: the acting host is a co-host again, and the co-host it made is a speaker.
            h.join(account(HOST));
            assertEquals(Role.CO_HOST, h.role(co));
            assertFalse(h.model.actingHost(co));
            assertEquals(Role.STAGE, h.role(other));
        }

        @Test
        void theStageHoldsTenSpeakersBesidesHostAndCoHosts() throws Exception {
            h.join(account(HOST));
            for (int i = 0; i < 11; i++) {
                String l = h.join(guest("l" + i));
                h.run(new Command.RaiseHand(guest("l" + i), true));
                if (i < 10) h.run(new Command.SetRole(account(HOST), l, Role.STAGE));
                else assertEquals(ErrorCode.STAGE_FULL, refusal(h, new Command.SetRole(account(HOST), l, Role.STAGE)));
            }
            assertEquals(10, h.model.count(Role.STAGE));
        }

        @Test
        void aDroppedConnectionStaysForTheGraceAndResumesAsTheSameParticipant() throws Exception {
            h.join(account(HOST));
            String ann = h.join(guest("ann"));
            long first = h.model.connectionOf(ann);
            h.run(new Command.Disconnect(ann, first));
            assertFalse(h.model.connected(ann));
            long second = h.nextConnection();
            h.run(new Command.Resume(ann, guest("ann").identity(), second));
            assertTrue(h.model.connected(ann));
            // The expiry of the first drop finds them back, and does nothing.
            assertTrue(h.run(new Command.ResumeExpired(ann, first)).isEmpty());
            h.run(new Command.Disconnect(ann, second));
            List<RoomEvent> gone = h.run(new Command.ResumeExpired(ann, second));
            assertTrue(gone.getFirst() instanceof RoomEvent.MemberLeft);
            assertEquals(ErrorCode.RESUME_FAILED, refusal(h, new Command.Resume(ann, guest("ann").identity(), h.nextConnection())));
        }

        @Test
        void aResumeTokenOfSomeoneElseDoesNotResume() throws Exception {
            h.join(account(HOST));
            String ann = h.join(guest("ann"));
            assertEquals(ErrorCode.RESUME_FAILED, refusal(h, new Command.Resume(ann, guest("mallory").identity(), h.nextConnection())));
        }

        @Test
        void aListenerCannotSpeakAndOnlyTheStagePublishes() {
            KindRules rules = h.machine.rules();
            assertNotNull(rules.publishRefusal(Role.AUDIENCE, "mic", 3));
            assertNull(rules.publishRefusal(Role.STAGE, "mic", 3));
            assertNotNull(rules.publishRefusal(Role.STAGE, "camera", 3));
        }
    }
}
