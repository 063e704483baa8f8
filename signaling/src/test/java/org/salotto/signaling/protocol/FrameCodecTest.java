package org.salotto.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salotto.media.params.MediaKind;
import org.salotto.signaling.SignalingException;

/**
 * The frames' JSON, byte for byte as docs/protocol.md has it (and as clients read it since before the records), and
 * the checks and messages every client frame meets at the edge.
 */
class FrameCodecTest {
    private static final ServerFrame.Room ROOM = new ServerFrame.Room("r1", "/r/r1", ServerFrame.RoomKind.SPACE, "Talk",
            null, ServerFrame.Visibility.PUBLIC, ServerFrame.RoomState.OPEN, false, true, false, 7, null,
            Instant.parse("2026-11-21T18:00:00Z"), null, null, null);
    private static final String ROOM_JSON = "{\"id\":\"r1\",\"link\":\"/r/r1\",\"kind\":\"space\",\"title\":\"Talk\","
            + "\"activity\":null,\"visibility\":\"public\",\"state\":\"open\",\"locked\":false,\"knock\":true,"
            + "\"practice\":false,\"hostAccountId\":7,\"scheduledStart\":null,\"createdAt\":\"2026-11-21T18:00:00Z\",\"endedAt\":null}";

    @Test
    void serverFramesAreWrittenAsTheProtocolSaysWithOmittedFieldsLeftOut() {
        var all = new ServerFrame.Grants(List.of(Source.MIC, Source.CAMERA, Source.SCREEN), true, false, false);
        var host = new ServerFrame.Member("p1", "Ann", ServerFrame.Role.HOST, false, 7L, false);
        var guest = new ServerFrame.Member("p2", "Bo \"B\"", ServerFrame.Role.LISTENER, true, null, true);
        var track = new ServerFrame.Track("p1", "t1", MediaKind.AUDIO, Source.MIC);
        assertEquals("{\"type\":\"joined\",\"participantId\":\"p1\",\"role\":\"host\",\"grants\":{\"publish\":[\"mic\",\"camera\",\"screen\"],\"subscribe\":true,\"admin\":false,\"hidden\":false},\"room\":" + ROOM_JSON
                        + ",\"members\":[{\"participantId\":\"p1\",\"name\":\"Ann\",\"role\":\"host\",\"guest\":false,"
                        + "\"accountId\":7,\"handRaised\":false},{\"participantId\":\"p2\",\"name\":\"Bo \\\"B\\\"\","
                        + "\"role\":\"listener\",\"guest\":true,\"handRaised\":true}],\"tracks\":[{\"participantId\":\"p1\","
                        + "\"trackId\":\"t1\",\"kind\":\"audio\",\"source\":\"mic\"}],\"lobby\":[{\"lobbyId\":\"l1\","
                        + "\"name\":\"Cy\",\"guest\":true,\"since\":\"2026-11-21T18:01:00Z\"}],\"resumeToken\":\"rt\","
                        + "\"resumeGraceMs\":20000}",
                FrameCodec.encode(new ServerFrame.Snapshot(ServerFrame.SnapshotType.JOINED, "p1", ServerFrame.Role.HOST, all,
                        ROOM, List.of(host, guest), List.of(track),
                        List.of(new ServerFrame.LobbyEntry("l1", "Cy", true, Instant.parse("2026-11-21T18:01:00Z"))),
                        "rt", 20_000, null, null, null, null, null, null)).json());
        assertEquals("{\"type\":\"resumed\",\"participantId\":\"p2\",\"role\":\"co_host\",\"grants\":{\"publish\":[],\"subscribe\":false,\"admin\":true,\"hidden\":true},\"room\":" + ROOM_JSON
                        + ",\"members\":[],\"tracks\":[],\"resumeToken\":\"rt\",\"resumeGraceMs\":1,"
                        + "\"nodes\":[\"http://10.0.0.2:8080\",\"http://10.0.0.1:8080\"],\"returned\":true}",
                FrameCodec.encode(new ServerFrame.Snapshot(ServerFrame.SnapshotType.RESUMED, "p2", ServerFrame.Role.CO_HOST,
                        new ServerFrame.Grants(List.of(), false, true, true), ROOM, List.of(), List.of(), null, "rt", 1, null, null, null, null,
                        List.of("http://10.0.0.2:8080", "http://10.0.0.1:8080"), true)).json());
        // A live's snapshot has its comments; a comment's hidden flag is for the HTTP API only and is left out here.
        var comment = new ServerFrame.Comment("c1", "p2", "Bo", "hi \uD83D\uDC4B", Instant.parse("2026-11-21T18:02:00Z"), 3, null);
        assertEquals("{\"type\":\"joined\",\"participantId\":\"p2\",\"role\":\"viewer\",\"grants\":{\"publish\":[\"mic\",\"camera\",\"screen\"],\"subscribe\":true,\"admin\":false,\"hidden\":false},\"room\":" + ROOM_JSON
                        + ",\"members\":[],\"tracks\":[],\"resumeToken\":\"rt\",\"resumeGraceMs\":1,\"comments\":[{\"id\":\"c1\","
                        + "\"participantId\":\"p2\",\"name\":\"Bo\",\"text\":\"hi \uD83D\uDC4B\",\"at\":\"2026-11-21T18:02:00Z\","
                        + "\"badge\":3}],\"commentsOff\":false,\"commentsOffFor\":[\"p3\"]}",
                FrameCodec.encode(new ServerFrame.Snapshot(ServerFrame.SnapshotType.JOINED, "p2", ServerFrame.Role.VIEWER, all,
                        ROOM, List.of(), List.of(), null, "rt", 1, List.of(comment), null, false, List.of("p3"), null, null)).json());
        assertEquals("{\"type\":\"roomEvents\",\"events\":[{\"type\":\"commentPosted\",\"comment\":{\"id\":\"c1\","
                        + "\"participantId\":\"p2\",\"name\":\"Bo\",\"text\":\"hi \uD83D\uDC4B\",\"at\":\"2026-11-21T18:02:00Z\","
                        + "\"badge\":3}},{\"type\":\"commentHidden\",\"commentId\":\"c1\"},{\"type\":\"commentPinned\",\"comment\":null},"
                        + "{\"type\":\"commentsChanged\",\"off\":true},{\"type\":\"memberCommentsChanged\",\"participantId\":\"p2\","
                        + "\"off\":false}]}",
                FrameCodec.encode(new ServerFrame.RoomEvents(List.of(new RoomEventFrame.CommentPosted(comment),
                        new RoomEventFrame.CommentHidden("c1"), new RoomEventFrame.CommentPinned(null),
                        new RoomEventFrame.CommentsChanged(true), new RoomEventFrame.MemberCommentsChanged("p2", false)))).json());
        assertEquals("{\"type\":\"admitted\"}", FrameCodec.encode(new ServerFrame.Admitted()).json());
        assertEquals("{\"type\":\"roomEnded\",\"message\":\"bye\"}", FrameCodec.encode(new ServerFrame.RoomEnded("bye")).json());
        assertEquals("{\"type\":\"trackPublished\",\"participantId\":\"p1\",\"trackId\":\"t1\",\"kind\":\"audio\",\"source\":\"mic\"}",
                FrameCodec.encode(new ServerFrame.TrackPublished(track)).json());
        assertEquals("{\"type\":\"subscribeOffer\",\"sdp\":\"v=0\\r\\n\",\"version\":3}",
                FrameCodec.encode(new ServerFrame.SubscribeOffer("v=0\r\n", 3, null)).json());
        assertEquals("{\"type\":\"subscribeOffer\",\"sdp\":\"v=0\",\"version\":4,\"newConnection\":true}",
                FrameCodec.encode(new ServerFrame.SubscribeOffer("v=0", 4, true)).json());
        assertEquals("{\"type\":\"transportClosed\",\"connection\":\"subscriber\",\"reason\":\"consent\"}",
                FrameCodec.encode(new ServerFrame.TransportClosed(ServerFrame.Connection.SUBSCRIBER, "consent")).json());
        assertEquals("{\"type\":\"pong\"}", FrameCodec.encode(new ServerFrame.Pong(null)).json());
        assertEquals("{\"type\":\"pong\",\"ref\":\"a\"}", FrameCodec.encode(new ServerFrame.Pong(RequestId.of("a"))).json());
        assertEquals("{\"type\":\"publishAnswer\",\"sdp\":\"x\",\"ref\":12}",
                FrameCodec.encode(new ServerFrame.PublishAnswer("x", RequestId.of(12))).json());
        assertEquals("{\"type\":\"error\",\"code\":\"room_full\",\"message\":\"full\"}",
                FrameCodec.encode(new ServerFrame.Error(ErrorCode.ROOM_FULL, "full", null)).json());
        assertEquals("{\"type\":\"roomEvents\",\"events\":[{\"type\":\"memberJoined\",\"member\":{\"participantId\":\"p2\","
                        + "\"name\":\"Bo \\\"B\\\"\",\"role\":\"listener\",\"guest\":true,\"handRaised\":true}},"
                        + "{\"type\":\"roleChanged\",\"participantId\":\"p2\",\"role\":\"speaker\"},"
                        + "{\"type\":\"handLowered\",\"participantId\":\"p2\"},"
                        + "{\"type\":\"handLowered\",\"participantId\":\"p3\",\"declined\":true},"
                        + "{\"type\":\"lockChanged\",\"locked\":true},{\"type\":\"roomChanged\",\"room\":" + ROOM_JSON + "},"
                        + "{\"type\":\"reaction\",\"participantId\":\"p1\",\"emoji\":\"\uD83D\uDC4F\"}]}",
                FrameCodec.encode(new ServerFrame.RoomEvents(List.of(new RoomEventFrame.MemberJoined(guest),
                        new RoomEventFrame.RoleChanged("p2", ServerFrame.Role.SPEAKER),
                        new RoomEventFrame.HandLowered("p2", null), new RoomEventFrame.HandLowered("p3", true),
                        new RoomEventFrame.LockChanged(true), new RoomEventFrame.RoomChanged(ROOM),
                        new RoomEventFrame.Reaction("p1", "\uD83D\uDC4F")))).json());
    }

    @Test
    void theHttpErrorBodyAndTheRoomAsTheApiShowsIt() {
        assertEquals("{\"error\":{\"code\":\"no_such_endpoint\",\"message\":\"there is no GET /api/x\"}}",
                FrameCodec.json(new HttpError(ErrorCode.NO_SUCH_ENDPOINT, "there is no GET /api/x")));
        assertEquals(404, new HttpError(ErrorCode.NO_SUCH_ENDPOINT, "x").status());
        var counted = new ServerFrame.Room("r1", "/r/r1", ServerFrame.RoomKind.SPACE, "Talk", null,
                ServerFrame.Visibility.PUBLIC, ServerFrame.RoomState.OPEN, false, true, false, 7, null,
                Instant.parse("2026-11-21T18:00:00Z"), null, 3, 1);
        assertEquals(ROOM_JSON.substring(0, ROOM_JSON.length() - 1) + ",\"people\":3,\"onStage\":1}", FrameCodec.json(counted));
        assertEquals(FrameCodec.json(counted), FrameCodec.tree(counted).toString());
    }

    @Test
    void everyClientFrameReadsBackWhatWasWritten() throws Exception {
        Map<String, Source> sources = new LinkedHashMap<>();
        sources.put("0", Source.MIC);
        sources.put("1", Source.SCREEN);
        List<ClientFrame> all = List.of(new ClientFrame.Join("j1.x.y"), new ClientFrame.Resume("r"),
                new ClientFrame.Publish("v=0", sources), new ClientFrame.SubscribeAnswer("v=0", Long.MAX_VALUE),
                new ClientFrame.Leave(), new ClientFrame.RaiseHand(), new ClientFrame.LowerHand(),
                new ClientFrame.AcceptInvitation(), new ClientFrame.DeclineInvitation(), new ClientFrame.LeaveStage(),
                new ClientFrame.React("\uD83D\uDC4F"), new ClientFrame.Comment("so good \uD83D\uDC4F"), new ClientFrame.Ping(),
                new ClientFrame.VideoSize("t1", 640, 0),
                new ClientFrame.Mute(Source.CAMERA, true));
        assertEquals(Shape.records(ClientFrame.class).size(), all.size(), "a client frame without a case here");
        for (ClientFrame f : all) {
            FrameCodec.Request r = FrameCodec.decode(FrameCodec.json((Record) f));
            assertEquals(f, r.frame());
            assertNull(r.id());
        }
        assertEquals(new ClientFrame.Publish("v=0", Map.of()), FrameCodec.decode("{\"type\":\"publish\",\"sdp\":\"v=0\"}").frame());
        assertEquals(RequestId.of(42), FrameCodec.decode("{\"id\":42,\"type\":\"ping\"}").id());
        assertEquals(RequestId.of("a"), FrameCodec.decode("{\"type\":\"leave\",\"id\":\"a\"}").id());
    }

    @Test
    void aBadClientFrameIsRefusedWithTheCodeAndMessageOfTheProtocol() {
        refused("not json", ErrorCode.BAD_JSON, "the frame is not valid JSON: ");
        refused("", ErrorCode.BAD_JSON, "a frame must be a JSON object");
        refused("[1]", ErrorCode.BAD_JSON, "a frame must be a JSON object");
        refused("{\"type\":\"ping\",\"type\":\"ping\"}", ErrorCode.BAD_JSON, "the frame is not valid JSON: Duplicate field 'type'");
        refused("{}", ErrorCode.BAD_MESSAGE, "'type' must be a string");
        refused("{\"type\":1}", ErrorCode.BAD_MESSAGE, "'type' must be a string");
        refused("{\"type\":\"ping\",\"id\":1.5}", ErrorCode.BAD_MESSAGE, "'id' must be a string or an integer");
        refused("{\"type\":\"ping\",\"id\":{}}", ErrorCode.BAD_MESSAGE, "'id' must be a string or an integer");
        refused("{\"type\":\"dance\"}", ErrorCode.UNKNOWN_TYPE, "unknown message type 'dance'");
        refused("{\"type\":\"ping\",\"extra\":1}", ErrorCode.BAD_MESSAGE, "unknown field 'extra' in 'ping'");
        refused("{\"type\":\"join\",\"tokne\":\"x\"}", ErrorCode.BAD_MESSAGE, "unknown field 'tokne' in 'join'");
        refused("{\"type\":\"join\"}", ErrorCode.BAD_MESSAGE, "'token' is missing");
        refused("{\"type\":\"join\",\"token\":12345}", ErrorCode.BAD_MESSAGE, "'token' must be a string");
        refused("{\"type\":\"join\",\"token\":\"\"}", ErrorCode.BAD_MESSAGE, "'token' must be 1 to 4096 characters");
        refused("{\"type\":\"join\",\"token\":\"" + "x".repeat(4097) + "\"}", ErrorCode.BAD_MESSAGE, "'token' must be 1 to 4096 characters");
        refused("{\"type\":\"react\",\"emoji\":\"" + "x".repeat(17) + "\"}", ErrorCode.BAD_MESSAGE, "'emoji' must be 1 to 16 characters");
        refused("{\"type\":\"comment\",\"text\":\"\"}", ErrorCode.BAD_MESSAGE, "'text' must be 1 to 1200 characters");
        refused("{\"type\":\"comment\"}", ErrorCode.BAD_MESSAGE, "'text' is missing");
        refused("{\"type\":\"subscribeAnswer\",\"sdp\":\"v=0\"}", ErrorCode.BAD_MESSAGE,
                "'version' must be the integer of the offer being answered");
        refused("{\"type\":\"subscribeAnswer\",\"sdp\":\"v=0\",\"version\":\"2\"}", ErrorCode.BAD_MESSAGE,
                "'version' must be the integer of the offer being answered");
        refused("{\"type\":\"subscribeAnswer\",\"sdp\":\"v=0\",\"version\":99999999999999999999}", ErrorCode.BAD_MESSAGE,
                "'version' must be the integer of the offer being answered");
        refused("{\"type\":\"publish\",\"sdp\":\"v=0\",\"sources\":[]}", ErrorCode.BAD_MESSAGE,
                "'sources' must be an object of mid to source");
        refused("{\"type\":\"publish\",\"sdp\":\"v=0\",\"sources\":{\"0\":\"webcam\"}}", ErrorCode.BAD_MESSAGE,
                "source of mid '0' must be mic, camera or screen");
        refused("{\"type\":\"publish\",\"sdp\":\"v=0\",\"sources\":{\"0\":null}}", ErrorCode.BAD_MESSAGE,
                "source of mid '0' must be mic, camera or screen");
        refused("{\"type\":\"videoSize\",\"trackId\":\"t1\",\"width\":-1,\"height\":10}", ErrorCode.BAD_MESSAGE,
                "'width' must be an integer from 0 to 16384");
        refused("{\"type\":\"videoSize\",\"trackId\":\"t1\",\"width\":10,\"height\":16385}", ErrorCode.BAD_MESSAGE,
                "'height' must be an integer from 0 to 16384");
        refused("{\"type\":\"videoSize\",\"trackId\":\"t1\",\"width\":10.5,\"height\":10}", ErrorCode.BAD_MESSAGE,
                "'width' must be an integer");
        refused("{\"type\":\"videoSize\",\"trackId\":\"\",\"width\":10,\"height\":10}", ErrorCode.BAD_MESSAGE,
                "'trackId' must be 1 to 64 characters");
    }

    private static void refused(String text, ErrorCode code, String message) {
        SignalingException e = assertThrows(SignalingException.class, () -> FrameCodec.decode(text), text);
        assertEquals(code, e.errorCode(), text);
        assertTrue(e.getMessage().startsWith(message), text + ": " + e.getMessage());
    }
}
