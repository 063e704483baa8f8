package org.salotto.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salotto.signaling.protocol.BodyCodec;
import org.salotto.signaling.protocol.ControlException;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.HttpError;
import org.salotto.signaling.protocol.ServerFrame;

/**
 * The HTTP API's bodies, byte for byte: what each answer record is on the wire, and what {@link BodyCodec} makes of a
 * request, with the exact sentence of each refusal (docs/api.md promises them; ApiBadInputTest checks them through a
 * running server).
 */
class ApiBodiesTest {
    private static final Instant T = Instant.parse("2026-11-21T18:00:00Z");

    @Test
    void answersAreWrittenInComponentOrder() {
        assertEquals("{\"id\":7,\"username\":\"ada\",\"displayName\":\"Ada L\",\"admin\":false}",
                BodyCodec.write(new ApiAnswer.Account(7, "ada", "Ada L", false)));
        assertEquals("{\"id\":\"abc\",\"key\":\"sk_abc\"}", BodyCodec.write(new ApiAnswer.NewApiKey("abc", "sk_abc")));
        assertEquals("{\"apiKeys\":[{\"id\":\"k1\",\"name\":\"ci\",\"createdAt\":\"2026-11-21T18:00:00Z\"}]}",
                BodyCodec.write(new ApiAnswer.ApiKeyList(List.of(new ApiAnswer.ApiKey("k1", "ci", T)))));
        assertEquals("{\"blocks\":[{\"identity\":\"g:x\",\"name\":\"Gus\",\"at\":\"2026-11-21T18:00:00Z\"}]}",
                BodyCodec.write(new ApiAnswer.BlockList(List.of(new ApiAnswer.Block("g:x", "Gus", T)))));
        assertEquals("{\"guestToken\":\"g1.a.b\"}", BodyCodec.write(new ApiAnswer.GuestToken("g1.a.b")));
        assertEquals("{\"result\":\"invited\"}", BodyCodec.write(new ApiAnswer.RoleResult(ApiAnswer.RoleOutcome.INVITED)));
        assertEquals("{\"token\":\"j1.x.y\",\"webSocket\":\"/ws/rooms/r1\"}",
                BodyCodec.write(new ApiAnswer.AppToken("j1.x.y", "/ws/rooms/r1")));
        assertEquals("{\"waiting\":[{\"lobbyId\":\"L1\",\"name\":\"Bo\",\"guest\":true,\"since\":\"2026-11-21T18:00:00Z\"}]}",
                BodyCodec.write(new ApiAnswer.Lobby(List.of(new ServerFrame.LobbyEntry("L1", "Bo", true, T)))));
        assertEquals("{\"participants\":[{\"participantId\":\"p1\",\"name\":\"Bo\",\"role\":\"co_host\",\"guest\":false,"
                        + "\"accountId\":3,\"handRaised\":false}]}",
                BodyCodec.write(new ApiAnswer.ParticipantList(List.of(
                        new ServerFrame.Member("p1", "Bo", ServerFrame.Role.CO_HOST, false, 3L, false)))));
        assertEquals("{\"error\":{\"code\":\"room_full\",\"message\":\"the room is full\"}}",
                BodyCodec.write(new HttpError(ErrorCode.ROOM_FULL, "the room is full")));
    }

    @Test
    void aRoomInAnAnswerHasItsNullsAndLeavesOutWhatItLacks() {
        ServerFrame.Room room = new ServerFrame.Room("r1", "/r/r1", ServerFrame.RoomKind.LIVE, "Hi", "family",
                ServerFrame.Visibility.PRIVATE, ServerFrame.RoomState.OPEN, false, true, false, 9, null, T, null, null, null);
        assertEquals("{\"token\":\"j1\",\"webSocket\":\"/ws/rooms/r1\",\"room\":{\"id\":\"r1\",\"link\":\"/r/r1\",\"kind\":\"live\","
                        + "\"title\":\"Hi\",\"activity\":\"family\",\"visibility\":\"private\",\"state\":\"open\",\"locked\":false,"
                        + "\"knock\":true,\"practice\":false,\"hostAccountId\":9,\"scheduledStart\":null,\"createdAt\":\"2026-11-21T18:00:00Z\","
                        + "\"endedAt\":null}}",
                BodyCodec.write(new ApiAnswer.JoinAnswer("j1", "/ws/rooms/r1", room)));
    }

    @Test
    void aValidRequestBecomesItsRecord() throws ControlException {
        assertEquals(new ApiRequest.NewRoom(ServerFrame.RoomKind.SPACE, "Talk", null, ServerFrame.Visibility.PRIVATE, T, true, null, null),
                BodyCodec.read("{\"kind\":\"space\",\"title\":\"Talk\",\"activity\":null,\"visibility\":\"private\","
                        + "\"scheduledStart\":\"2026-11-21T18:00:00Z\",\"knock\":true}", ApiRequest.NewRoom.class));
        assertEquals(new ApiRequest.RoomChanges(null, null, null, false, null, null, null),
                BodyCodec.read("{\"locked\":false}", ApiRequest.RoomChanges.class));
        // A list of strings (invitees' usernames).
        assertEquals(java.util.List.of("ann", "Bob"), BodyCodec.read("{\"kind\":\"live\",\"title\":\"x\",\"invitees\":[\"ann\",\"Bob\"]}",
                ApiRequest.NewRoom.class).invitees());
        // No body, or only blanks, is the empty object.
        assertEquals(new ApiRequest.Empty(), BodyCodec.read("", ApiRequest.Empty.class));
        assertEquals(new ApiRequest.JoinRequest(null), BodyCodec.read(" \n", ApiRequest.JoinRequest.class));
        // The edge does not judge emptiness: the rooms layer says what a title must be.
        assertEquals("", BodyCodec.read("{\"kind\":\"call\",\"title\":\"\"}", ApiRequest.NewRoom.class).title());
    }

    @Test
    void eachRefusalIsABadRequestThatNamesTheField() {
        Map<String, String> newRoom = Map.ofEntries(
                Map.entry("[]", "the body must be a JSON object"),
                Map.entry("null", "the body must be a JSON object"),
                Map.entry("{\"kind\":\"call\",\"title\":\"x\",\"hostAccountId\":1}", "unknown field 'hostAccountId'"),
                Map.entry("{\"title\":\"x\"}", "'kind' is missing"),
                Map.entry("{\"kind\":null,\"title\":\"x\"}", "'kind' is missing"),
                Map.entry("{\"kind\":[\"call\"],\"title\":\"x\"}", "'kind' must be a string"),
                Map.entry("{\"kind\":\"" + "c".repeat(17) + "\",\"title\":\"x\"}", "'kind' must be at most 16 characters"),
                Map.entry("{\"kind\":\"party\",\"title\":\"x\"}", "'kind' must be call, live or space"),
                Map.entry("{\"kind\":\"call\"}", "'title' is missing"),
                Map.entry("{\"kind\":\"call\",\"title\":42}", "'title' must be a string"),
                Map.entry("{\"kind\":\"call\",\"title\":\"" + "t".repeat(257) + "\"}", "'title' must be at most 256 characters"),
                Map.entry("{\"kind\":\"call\",\"title\":\"x\",\"visibility\":\"secret\"}", "'visibility' must be public or private"),
                Map.entry("{\"kind\":\"call\",\"title\":\"x\",\"scheduledStart\":\"tomorrow\"}",
                        "'scheduledStart' must be a time like 2026-11-21T18:00:00Z"),
                Map.entry("{\"kind\":\"call\",\"title\":\"x\",\"scheduledStart\":1800000000}", "'scheduledStart' must be a string"),
                Map.entry("{\"kind\":\"call\",\"title\":\"x\",\"knock\":\"yes\"}", "'knock' must be true or false"));
        for (var c : newRoom.entrySet()) {
            ControlException e = assertThrows(ControlException.class, () -> BodyCodec.read(c.getKey(), ApiRequest.NewRoom.class), c.getKey());
            assertEquals(ErrorCode.BAD_REQUEST, e.errorCode(), c.getKey());
            assertEquals(c.getValue(), e.getMessage(), c.getKey());
        }
        for (String notJson : List.of("{\"kind\":", "{} {}", "{\"title\":\"x\",\"title\":\"y\"}", "{\"title\":NaN}")) {
            ControlException e = assertThrows(ControlException.class, () -> BodyCodec.read(notJson, ApiRequest.RoomChanges.class));
            assertTrue(e.getMessage().startsWith("the body is not valid JSON: "), notJson + ": " + e.getMessage());
        }
        ControlException e = assertThrows(ControlException.class, () -> BodyCodec.read("{\"displayName\":\"Gus\"}", ApiRequest.Empty.class));
        assertEquals("unknown field 'displayName'", e.getMessage());
    }

    /** Every request record is one the codec can read: `{}` is either read or refused for a missing field. */
    @Test
    void everyRequestRecordIsReadable() {
        for (Class<?> c : ApiRequest.class.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked") Class<? extends Record> type = (Class<? extends Record>) c;
            try {
                BodyCodec.read("{}", type);
            } catch (ControlException e) {
                assertTrue(e.getMessage().endsWith("' is missing"), c + ": " + e.getMessage());
            }
        }
    }
}
