package org.salotto.rooms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.Role;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * A room that changed hands takes back, on a resume, a participant its new instance does not know: as the same
 * participant id, with the role their membership gives, past the lobby, and with every other check of a join.
 */
class ReturningMemberTest {

    /** A resume of {@code pid} by {@code who}, whose membership says {@code stored}; the events, or the refusal. */
    private static List<RoomEvent> comeBack(RoomHarness room, Actor who, String pid, Role stored, boolean banned) throws RoomException {
        long connection = room.nextConnection();
        Entrant e = new Entrant(who.identity(), who.accountId(), who.identity(), banned, false, stored, connection);
        return room.run(new Command.Resume(pid, who.identity(), connection, e));
    }

    private static RoomEvent.MemberJoined joined(List<RoomEvent> events) {
        return events.stream().filter(e -> e instanceof RoomEvent.MemberJoined).map(e -> (RoomEvent.MemberJoined) e)
                .findFirst().orElseThrow(() -> new AssertionError("no member joined: " + events));
    }

    @Test
    void theHostAndASpeakerComeBackAsThemselvesPastTheLobby() throws Exception {
        RoomHarness room = new RoomHarness(RoomKind.SPACE, RoomHarness.SMALL, true);
        RoomEvent.MemberJoined host = joined(comeBack(room, RoomHarness.account(RoomHarness.HOST), "p-host", Role.HOST, false));
        assertEquals("p-host", host.member().participantId());
        assertEquals(Role.HOST, host.member().role());
        assertTrue(host.returned(), "told as a resume, not a join");
        // A knock room: they had been let in, so they do not knock again.
        RoomEvent.MemberJoined speaker = joined(comeBack(room, RoomHarness.guest("sam"), "p-sam", Role.STAGE, false));
        assertEquals("p-sam", speaker.member().participantId());
        assertEquals(Role.STAGE, speaker.member().role());
        // Someone who was a listener comes back as one.
        assertEquals(Role.AUDIENCE, joined(comeBack(room, RoomHarness.guest("lee"), "p-lee", Role.AUDIENCE, false)).member().role());
    }

    @Test
    void aFullStageTakesBackASpeakerAsAListener() throws Exception {
        RoomHarness room = new RoomHarness(RoomKind.SPACE, RoomHarness.SMALL, false);
        comeBack(room, RoomHarness.account(RoomHarness.HOST), "p-host", Role.HOST, false);
        int speakers = RoomHarness.SMALL.spaceSpeakersMax();
        for (int i = 0; i < speakers; i++) {
            assertEquals(Role.STAGE, joined(comeBack(room, RoomHarness.guest("s" + i), "p-s" + i, Role.STAGE, false)).member().role());
        }
        assertEquals(Role.AUDIENCE, joined(comeBack(room, RoomHarness.guest("late"), "p-late", Role.STAGE, false)).member().role());
    }

    @Test
    void whatAJoinChecksStillHolds() throws Exception {
        RoomHarness room = new RoomHarness(RoomKind.CALL, RoomHarness.SMALL, false);
        Actor host = RoomHarness.account(RoomHarness.HOST);
        comeBack(room, host, "p-host", Role.HOST, false);
        int before = room.events.size();
        RoomException banned = assertThrows(RoomException.class, () -> comeBack(room, RoomHarness.guest("eve"), "p-eve", null, true));
        assertEquals(ErrorCode.BANNED, banned.errorCode());
        assertEquals(before, room.events.size(), "a refusal changes nothing");

        // Someone already back under another participant id (they joined afresh): the old id is gone.
        room.join(RoomHarness.guest("ada"));
        RoomException twice = assertThrows(RoomException.class, () -> comeBack(room, RoomHarness.guest("ada"), "p-ada-old", null, false));
        assertEquals(ErrorCode.RESUME_FAILED, twice.errorCode());
        // Without the room having changed hands (no returning person), an unknown participant is refused as ever.
        RoomException unknown = assertThrows(RoomException.class,
                () -> room.run(new Command.Resume("p-zed", RoomHarness.guest("zed").identity(), room.nextConnection())));
        assertEquals(ErrorCode.RESUME_FAILED, unknown.errorCode());

        // A call's limit.
        for (int i = room.model.people(); i < RoomHarness.SMALL.callMaxPeople(); i++) {
            comeBack(room, RoomHarness.guest("g" + i), "p-g" + i, null, false);
        }
        RoomException full = assertThrows(RoomException.class, () -> comeBack(room, RoomHarness.guest("one more"), "p-more", null, false));
        assertEquals(ErrorCode.ROOM_FULL, full.errorCode());
    }

    @Test
    void aLockedRoomTakesBackItsHostsOnly() throws Exception {
        RoomHarness room = new RoomHarness(RoomKind.CALL, RoomHarness.SMALL, false);
        Actor host = RoomHarness.account(RoomHarness.HOST);
        comeBack(room, host, "p-host", Role.HOST, false);
        room.run(new Command.SetLocked(host, true));
        RoomException locked = assertThrows(RoomException.class, () -> comeBack(room, RoomHarness.guest("bo"), "p-bo", null, false));
        assertEquals(ErrorCode.ROOM_LOCKED, locked.errorCode());
        assertEquals(Role.CO_HOST, joined(comeBack(room, RoomHarness.guest("co"), "p-co", Role.CO_HOST, false)).member().role());
    }
}
