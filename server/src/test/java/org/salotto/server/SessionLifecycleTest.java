package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A participant outlives their socket: a dropped connection resumes as the same participant within the grace, and
 * nobody else sees them leave; past the grace they are gone. A draining server tells everyone, refuses joins and
 * ends its rooms, closing with 1012. Real server, real sockets, the embedded database.
 */
class SessionLifecycleTest {
    private ServerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = ServerFixture.embedded();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private String url() {
        return fixture.url();
    }

    @Test
    void aDroppedSocketResumesAsTheSameParticipantAndNobodySeesItLeave() throws Exception {
        Person host = Person.account(url(), ServerFixture.uniqueName("resumer"));
        String room = host.createRoom("call", Map.of());
        RoomClient h = host.enter(room);
        Person ann = Person.guest(url(), "Ann");
        RoomClient first = ann.enter(room);
        String pid = first.participantId;
        String token = first.joined.get("resumeToken").asText();
        assertTrue(first.joined.get("resumeGraceMs").asLong() > 0);
        h.awaitEvent("memberJoined", e -> e.get("member").get("participantId").asText().equals(pid));

        // A canary drops just after Ann and never comes back: its memberLeft is the host's proof that Ann's grace has
        // passed too, without guessing at a sleep.
        RoomClient canary = Person.guest(url(), "Canary").enter(room);
        h.awaitEvent("memberJoined", e -> e.get("member").get("participantId").asText().equals(canary.participantId));
        first.abort();
        canary.abort();
        RoomClient second = RoomClient.open(url(), room);
        second.send(Map.of("type", "resume", "token", token));
        JsonNode resumed = second.awaitType("resumed");
        assertEquals(pid, resumed.get("participantId").asText());
        assertEquals("participant", resumed.get("role").asText());
        assertEquals(3, resumed.get("members").size());

        h.awaitEvent("memberLeft", e -> e.get("participantId").asText().equals(canary.participantId));
        assertFalse(h.seen().stream().anyMatch(e -> e.path("type").asText().equals("memberLeft")
                && e.path("participantId").asText().equals(pid)), "the host saw Ann leave: " + h.seen());
        assertEquals(2, host.get("/api/rooms/" + room + "/participants").body().get("participants").size());
        // The resumed socket works as the old one did.
        second.send(Map.of("type", "ping", "id", 7));
        assertEquals(7, second.awaitType("pong").get("ref").asInt());
    }

    @Test
    void pastTheGraceTheParticipantIsGoneAndTheResumeFails() throws Exception {
        Person host = Person.account(url(), ServerFixture.uniqueName("waiter"));
        String room = host.createRoom("call", Map.of());
        RoomClient h = host.enter(room);
        RoomClient ann = Person.guest(url(), "Ann").enter(room);
        String token = ann.joined.get("resumeToken").asText();
        ann.abort();
        h.awaitEvent("memberLeft", e -> e.get("participantId").asText().equals(ann.participantId));
        RoomClient late = RoomClient.open(url(), room);
        late.send(Map.of("type", "resume", "token", token));
        late.awaitError("resume_failed");
        // A forged or foreign token is refused the same way.
        RoomClient forged = RoomClient.open(url(), room);
        forged.send(Map.of("type", "resume", "token", token.substring(0, token.length() - 2) + "xx"));
        forged.awaitError("resume_failed");
    }

    @Test
    void aDrainingServerTellsEveryoneRefusesJoinsAndEndsItsRoomsWith1012() throws Exception {
        Person host = Person.account(url(), ServerFixture.uniqueName("drained"));
        String room = host.createRoom("live", Map.of());
        RoomClient h = host.enter(room);
        RoomClient viewer = Person.guest(url(), "Vic").enter(room);

        fixture.server.rooms().beginDrain("Salotto is restarting");
        assertEquals("Salotto is restarting", viewer.awaitType("serverDraining").get("message").asText());
        h.awaitType("serverDraining");
        Person.Reply refused = Person.guest(url(), "Late").joinToken(room);
        assertEquals(503, refused.status(), refused.toString());
        assertEquals("server_draining", refused.body().get("error").get("code").asText());

        fixture.server.rooms().endAllRooms("Salotto is restarting");
        viewer.awaitType("roomEnded");
        assertEquals(1012, viewer.closeCode());
        assertEquals(1012, h.closeCode());
        assertEquals("ended", host.get("/api/rooms/" + room).body().get("state").asText());
    }

    @Test
    void aLiveOpenWhenTheServerDiedEndsAfterItsHostsGraceOnTheNextStart() throws Exception {
        Person host = Person.account(url(), ServerFixture.uniqueName("crashed"));
        String room = host.createRoom("live", Map.of());
        host.enter(room);
        Person.guest(url(), "Vic").enter(room);
        // As after a crash: the process goes without ending the room (close() does not drain).
        try (LogWatch log = new LogWatch(org.salotto.rooms.runtime.OpenRoom.class)) {
            fixture.restart();
            // Nobody is in the room to be told: the room's own log line says when the grace ended it.
            Duration grace = fixture.config.rooms().liveHostGrace();
            log.await(l -> l.startsWith("room " + room + " ended"), grace.multipliedBy(10).plusSeconds(5));
        }
        assertEquals("ended", new Person(url(), "anyone").get("/api/rooms/" + room).body().get("state").asText());
    }

    @Test
    void aFrameOver64KibClosesTheSocketAndLeavesTheRoomAsItWas() throws Exception {
        Person host = Person.account(url(), ServerFixture.uniqueName("big"));
        String room = host.createRoom("call", Map.of());
        RoomClient h = host.enter(room);
        RoomClient ann = Person.guest(url(), "Ann").enter(room);
        ann.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
        assertEquals(1009, ann.closeCode(), "1009: message too big");
        // The room goes on: the host is still answered, and Ann is only disconnected (resumable), not gone.
        h.send(Map.of("type", "ping", "id", 1));
        assertEquals(1, h.awaitType("pong").get("ref").asInt());
    }
}
