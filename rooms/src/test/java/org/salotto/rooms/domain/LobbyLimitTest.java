package org.salotto.rooms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomKind;
import org.salotto.signaling.protocol.ErrorCode;

/** limits.lobby-max-people: a knock past the lobby's size is refused and changes nothing; the host still comes in. */
class LobbyLimitTest {

    @Test
    void aKnockPastTheLobbysSizeIsRefusedAndChangesNothing() throws Exception {
        RoomHarness room = new RoomHarness(RoomKind.CALL, RoomHarness.SMALL, true, 3);
        room.join(RoomHarness.account(RoomHarness.HOST));
        for (int i = 0; i < 3; i++) assertNull(room.join(RoomHarness.guest("g" + i)), "waits in the lobby");
        int events = room.events.size();

        RoomException e = assertThrows(RoomException.class, () -> room.join(RoomHarness.guest("one too many")));
        assertEquals(ErrorCode.RATE_LIMITED, e.errorCode());
        assertEquals(429, e.errorCode().httpStatus());
        assertEquals(RoomMachine.LOBBY_FULL_RETRY_MS, e.retryAfterMs());
        assertEquals(3, room.model.lobby().size());
        assertEquals(events, room.events.size(), "a refused knock emits nothing");

        // Someone already waiting may knock again (a reload): their entry is replaced, not added.
        assertNull(room.join(RoomHarness.guest("g0")));
        assertEquals(3, room.model.lobby().size());
        // The host admits one: there is room for the next knock.
        String first = room.model.lobby().iterator().next().lobbyId();
        room.run(new Command.AnswerKnock(RoomHarness.account(RoomHarness.HOST), first, true));
        assertNull(room.join(RoomHarness.guest("next")));
        assertEquals(3, room.model.lobby().size());
    }
}
