package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.limits.Limits;
import org.salotto.rooms.limits.Rate;
import org.salotto.server.Person.Reply;

/**
 * A live's comments, its moderator and its backstage against the running server, over real WebSockets and HTTP, as
 * people use them: comments reach everyone at once, the host and the moderator hide, pin and turn comments off, the
 * comments and the moderation review read back after the live, and a backstage holds its viewers until the host
 * goes live. Runs on the embedded database and on PostgreSQL (the subclasses).
 */
abstract class LiveCommentsFlows {
    /** Comments per person as the reference configuration has them; a live's host grace long enough to come back. */
    static final Rate COMMENTS = Rate.of(5, Duration.ofSeconds(10));
    static ServerFixture fixture;
    private final List<RoomClient> clients = new ArrayList<>();

    static ServerConfig config(ServerConfig c) {
        return c.withLimits(Limits.relaxed().withComments(COMMENTS))
                .withRooms(c.rooms().withLiveHostGrace(Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) fixture.close();
        fixture = null;
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RoomClient::close);
        clients.clear();
    }

    private String url() {
        return fixture.url();
    }

    private Person host() throws Exception {
        return Person.account(url(), ServerFixture.uniqueName("host"));
    }

    private Person guest(String name) throws Exception {
        return Person.guest(url(), name);
    }

    private RoomClient enter(Person p, String room) throws Exception {
        RoomClient c = p.enter(room);
        clients.add(c);
        return c;
    }

    private RoomClient connect(Person p, String room) throws Exception {
        RoomClient c = p.connect(room);
        clients.add(c);
        return c;
    }

    private static void assertRefused(Reply r, int status, String code) {
        assertEquals(status, r.status(), "status of " + r);
        assertEquals(code, r.code(), "code of " + r);
    }

    private static void comment(RoomClient c, String text) throws Exception {
        c.send(Map.of("type", "comment", "text", text));
    }

    /** The next commentPosted with this text. */
    private static JsonNode posted(RoomClient c, String text) throws InterruptedException {
        return c.awaitEvent("commentPosted", e -> e.path("comment").path("text").asText().equals(text)).get("comment");
    }

    private static List<String> texts(JsonNode comments) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : comments) out.add(c.path("text").asText());
        return out;
    }

    /** Makes {@code who} (a viewer) the live's moderator. */
    private static void pickModerator(Person host, String room, RoomClient who) throws Exception {
        Reply r = host.put("/api/rooms/" + room + "/participants/" + who.participantId + "/role", Map.of("role", "moderator"));
        assertEquals(200, r.status(), r.toString());
        who.awaitEvent("roleChanged", e -> e.path("participantId").asText().equals(who.participantId)
                && e.path("role").asText().equals("moderator"));
    }

    @Test
    void viewersCommentAndEveryoneHasEachCommentWithinASecond() throws Exception {
        Person ann = host();
        String room = ann.createRoom("live", Map.of());
        RoomClient host = enter(ann, room);
        Person vera = guest("Vera");
        Person walt = guest("Walt");
        RoomClient v = enter(vera, room);
        RoomClient w = enter(walt, room);
        List<RoomClient> everyone = List.of(host, v, w);

        for (int i = 0; i < 3; i++) {
            RoomClient writer = i % 2 == 0 ? v : w;
            String text = "comment " + i + " from " + (writer == v ? "Vera" : "Walt") + " 🎉";
            long sent = System.nanoTime();
            comment(writer, text);
            for (RoomClient c : everyone) {
                JsonNode got = posted(c, text);
                long ms = (System.nanoTime() - sent) / 1_000_000;
                assertTrue(ms < 1000, "a comment took " + ms + " ms to reach someone");
                assertEquals(writer.participantId, got.path("participantId").asText());
                assertEquals(writer == v ? "Vera" : "Walt", got.path("name").asText());
                assertEquals(0, got.path("badge").asInt());
                assertFalse(got.path("id").asText().isEmpty());
            }
        }
        // Texts are normalized as names are; empty or overlong ones are refused, to the writer only.
        v.send(Map.of("type", "comment", "text", "  spaced \t  out  ", "id", 1));
        assertEquals("spaced out", posted(w, "spaced out").path("text").asText());
        v.send(Map.of("type", "comment", "text", "   ", "id", 2));
        assertEquals(2, v.awaitError("bad_request").path("ref").asInt());
        v.send(Map.of("type", "comment", "text", "x".repeat(301), "id", 3));
        assertEquals(3, v.awaitError("bad_request").path("ref").asInt());

        // A late joiner sees the last comments, oldest first.
        RoomClient late = enter(guest("Lou"), room);
        assertEquals(List.of("comment 0 from Vera 🎉", "comment 1 from Walt 🎉", "comment 2 from Vera 🎉", "spaced out"),
                texts(late.joined.get("comments")));
        assertFalse(late.joined.get("commentsOff").asBoolean());
        assertTrue(late.joined.get("commentsOffFor").isEmpty());
        assertTrue(late.joined.path("pinned").isMissingNode());

        // Five comments per ten seconds per person: the sixth is refused, with the time to wait.
        Person fast = guest("Flo");
        RoomClient f = enter(fast, room);
        for (int i = 0; i < 5; i++) comment(f, "quick " + i);
        f.send(Map.of("type", "comment", "text", "one too many", "id", "x"));
        JsonNode limited = f.awaitError("rate_limited");
        assertEquals("x", limited.path("ref").asText());
        assertTrue(limited.path("retryAfterMs").asLong() > 0, limited.toString());
        posted(host, "quick 4");
        comment(host, "the host still writes");
        posted(f, "the host still writes");
        assertTrue(host.seen().stream().noneMatch(e -> e.path("comment").path("text").asText().equals("one too many")));

        // Calls and spaces have no comments.
        String call = ann.createRoom("call", Map.of());
        RoomClient inCall = enter(guest("Cal"), call);
        comment(inCall, "hello?");
        assertTrue(inCall.awaitError("bad_request").path("message").asText().contains("live"));
    }

    @Test
    void theModeratorHidesACommentItDisappearsForAllAndThePinGoesWithIt() throws Exception {
        Person ann = host();
        String room = ann.createRoom("live", Map.of());
        RoomClient host = enter(ann, room);
        Person mo = guest("Mo");
        RoomClient mod = enter(mo, room);
        Person vera = guest("Vera");
        RoomClient v = enter(vera, room);
        pickModerator(ann, room, mod);

        comment(v, "buy cheap stuff at spam dot example");
        String spam = posted(host, "buy cheap stuff at spam dot example").path("id").asText();
        comment(v, "great show");
        String fine = posted(host, "great show").path("id").asText();

        // Pinning and hiding are for the host and the moderator.
        assertRefused(vera.put("/api/rooms/" + room + "/pin", Map.of("commentId", fine)), 403, "not_allowed");
        assertRefused(vera.delete("/api/rooms/" + room + "/comments/" + spam), 403, "not_allowed");
        assertRefused(ann.delete("/api/rooms/" + room + "/comments/nope"), 404, "not_found");
        assertEquals(204, ann.put("/api/rooms/" + room + "/pin", Map.of("commentId", spam)).status());
        for (RoomClient c : List.of(host, mod, v)) {
            c.awaitEvent("commentPinned", e -> e.path("comment").path("id").asText().equals(spam));
        }

        // The moderator hides the pinned spam: gone for everyone, and unpinned.
        assertEquals(204, mo.delete("/api/rooms/" + room + "/comments/" + spam).status());
        for (RoomClient c : List.of(host, mod, v)) {
            c.awaitEvent("commentHidden", e -> e.path("commentId").asText().equals(spam));
            c.awaitEvent("commentPinned", e -> e.path("comment").isNull());
        }
        assertEquals(204, mo.delete("/api/rooms/" + room + "/comments/" + spam).status(), "hiding again changes nothing");

        RoomClient late = enter(guest("Lou"), room);
        assertEquals(List.of("great show"), texts(late.joined.get("comments")));
        assertTrue(late.joined.path("pinned").isMissingNode());

        // Read back: a viewer does not get the hidden comment; the host and the moderator get it marked.
        Reply forViewer = vera.get("/api/rooms/" + room + "/comments");
        assertEquals(200, forViewer.status(), forViewer.toString());
        assertEquals(List.of("great show"), texts(forViewer.body().get("comments")));
        assertTrue(forViewer.body().get("pinned").isNull());
        for (Person p : List.of(ann, mo)) {
            JsonNode all = p.get("/api/rooms/" + room + "/comments").body().get("comments");
            assertEquals(List.of("buy cheap stuff at spam dot example", "great show"), texts(all));
            assertTrue(all.get(0).get("hidden").asBoolean());
            assertTrue(all.get(1).path("hidden").isMissingNode());
        }

        // The moderator cannot end the live nor touch the stage, and removes viewers.
        assertRefused(mo.post("/api/rooms/" + room + "/end", null), 403, "not_allowed");
        assertRefused(mo.put("/api/rooms/" + room + "/participants/" + v.participantId + "/role", Map.of("role", "guest")),
                403, "not_allowed");
        assertEquals(204, mo.post("/api/rooms/" + room + "/participants/" + v.participantId + "/remove", null).status());
        v.awaitType("removed");
        host.awaitEvent("memberLeft", e -> e.path("participantId").asText().equals(v.participantId));
    }

    @Test
    void commentsTurnedOffForOneViewerWhoIsToldAndThenForEveryone() throws Exception {
        Person ann = host();
        String room = ann.createRoom("live", Map.of());
        RoomClient host = enter(ann, room);
        Person vera = guest("Vera");
        RoomClient v = enter(vera, room);
        Person walt = guest("Walt");
        RoomClient w = enter(walt, room);

        assertRefused(walt.put("/api/rooms/" + room + "/participants/" + v.participantId + "/comments-off", Map.of("off", true)),
                403, "not_allowed");
        assertRefused(ann.put("/api/rooms/" + room + "/participants/" + v.participantId + "/comments-off", Map.of()),
                400, "bad_request");
        assertEquals(204, ann.put("/api/rooms/" + room + "/participants/" + v.participantId + "/comments-off",
                Map.of("off", true)).status());
        for (RoomClient c : List.of(host, v, w)) {
            c.awaitEvent("memberCommentsChanged", e -> e.path("participantId").asText().equals(v.participantId)
                    && e.path("off").asBoolean());
        }
        v.send(Map.of("type", "comment", "text", "can I still talk?", "id", 9));
        JsonNode refused = v.awaitError("comments_off");
        assertEquals(9, refused.path("ref").asInt());
        assertTrue(refused.path("message").asText().contains("turned your comments off"), refused.toString());
        comment(w, "Walt still comments");
        posted(host, "Walt still comments");

        // Off for everyone: nobody but the host (and the moderator) writes.
        assertEquals(204, ann.put("/api/rooms/" + room + "/comments-off", Map.of("off", true)).status());
        w.awaitEvent("commentsChanged", e -> e.path("off").asBoolean());
        comment(w, "and now?");
        assertTrue(w.awaitError("comments_off").path("message").asText().contains("off"));
        comment(host, "quiet please");
        posted(w, "quiet please");

        RoomClient late = enter(guest("Lou"), room);
        assertTrue(late.joined.get("commentsOff").asBoolean());
        assertEquals(v.participantId, late.joined.get("commentsOffFor").get(0).asText());
        assertTrue(host.seen().stream().noneMatch(e -> e.path("comment").path("text").asText().matches("can I still talk\\?|and now\\?")));
    }

    @Test
    void commentsAndTheModerationReviewReadBackAfterTheLiveEnds() throws Exception {
        Person ann = host();
        String room = ann.createRoom("live", Map.of());
        RoomClient host = enter(ann, room);
        Person mo = guest("Mo");
        RoomClient mod = enter(mo, room);
        pickModerator(ann, room, mod);
        Person vera = guest("Vera");
        RoomClient v = enter(vera, room);
        Person eve = guest("Eve");
        RoomClient e = enter(eve, room);

        String rude = null;
        for (int i = 1; i <= 7; i++) {
            comment(i % 2 == 0 ? e : v, "line " + i);
            String id = posted(host, "line " + i).get("id").asText();
            if (i == 4) rude = id;
        }
        assertEquals(204, vera.post("/api/rooms/" + room + "/comments/" + rude + "/report", Map.of("reason", "rude")).status());
        assertEquals(204, vera.post("/api/rooms/" + room + "/comments/" + rude + "/report", Map.of()).status(), "once is kept");
        assertEquals(204, mo.delete("/api/rooms/" + room + "/comments/" + rude).status());
        assertEquals(204, mo.put("/api/rooms/" + room + "/participants/" + v.participantId + "/comments-off",
                Map.of("off", true)).status());
        assertEquals(204, mo.post("/api/rooms/" + room + "/participants/" + e.participantId + "/remove", null).status());
        e.awaitType("removed");
        assertEquals(204, ann.post("/api/rooms/" + room + "/end", null).status());
        v.awaitType("roomEnded");

        // After the live: the comments, a page at a time, oldest first; the hidden one left out for a viewer.
        Reply last = vera.get("/api/rooms/" + room + "/comments?limit=3");
        assertEquals(200, last.status(), last.toString());
        assertEquals(List.of("line 5", "line 6", "line 7"), texts(last.body().get("comments")));
        String before = last.body().get("comments").get(0).get("id").asText();
        assertEquals(List.of("line 1", "line 2", "line 3"),
                texts(vera.get("/api/rooms/" + room + "/comments?before=" + before + "&limit=50").body().get("comments")));
        assertRefused(vera.get("/api/rooms/" + room + "/comments?limit=0"), 400, "bad_request");
        assertRefused(vera.get("/api/rooms/" + room + "/comments?before=nope"), 404, "not_found");

        // The host's review: who did what, to whom, with the comment's text.
        assertRefused(mo.get("/api/rooms/" + room + "/moderation"), 403, "not_allowed");
        Reply review = ann.get("/api/rooms/" + room + "/moderation");
        assertEquals(200, review.status(), review.toString());
        List<String> actions = new ArrayList<>();
        for (JsonNode a : review.body().get("actions")) actions.add(a.get("action").asText());
        assertEquals(List.of("report", "hide", "member_comments_off", "remove"), actions);
        JsonNode report = review.body().get("actions").get(0);
        assertEquals("Vera", report.get("actor").asText());
        assertEquals("line 4", report.get("text").asText());
        assertEquals("rude", report.get("detail").asText());
        JsonNode hide = review.body().get("actions").get(1);
        assertEquals("Mo", hide.get("actor").asText());
        assertEquals("Eve", hide.get("target").asText());
        assertEquals(rude, hide.get("commentId").asText());
        assertEquals("Vera", review.body().get("actions").get(2).get("target").asText());
        JsonNode removal = review.body().get("actions").get(3);
        assertEquals("Mo", removal.get("actor").asText());
        assertEquals("Eve", removal.get("target").asText());
    }

    @Test
    void aLiveOpenedAgainAfterEveryoneLeftStillHasItsComments() throws Exception {
        Person ann = host();
        String room = ann.createRoom("live", Map.of());
        RoomClient host = enter(ann, room);
        RoomClient v = enter(guest("Vera"), room);
        comment(v, "before the break");
        posted(host, "before the break");
        assertEquals(204, ann.put("/api/rooms/" + room + "/pin", Map.of("commentId",
                ann.get("/api/rooms/" + room + "/comments").body().get("comments").get(0).get("id").asText())).status());
        host.awaitEvent("commentPinned", e -> !e.path("comment").isNull());
        v.send(Map.of("type", "leave"));
        host.awaitEvent("memberLeft", e -> e.path("participantId").asText().equals(v.participantId));
        host.send(Map.of("type", "leave"));
        assertTrue(host.closedWithin(Duration.ofSeconds(5)));
        // Nobody is in it now (the room closed); the host is back within the grace.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ann.get("/api/rooms/" + room).body().get("people").asInt() > 0) {
            assertTrue(System.nanoTime() < deadline, "the room still has people");
            Thread.onSpinWait();
        }
        RoomClient back = enter(ann, room);
        assertEquals(List.of("before the break"), texts(back.joined.get("comments")));
        assertEquals("before the break", back.joined.get("pinned").get("text").asText());
    }

    @Test
    void aBackstageHoldsItsViewersUntilTheHostGoesLive() throws Exception {
        Person ann = host();
        assertRefused(ann.post("/api/rooms", Map.of("kind", "call", "title", "x", "practice", true)), 400, "bad_request");
        String room = ann.createRoom("live", Map.of("practice", true));
        assertTrue(ann.get("/api/rooms/" + room).body().get("practice").asBoolean());
        RoomClient host = enter(ann, room);
        assertTrue(host.joined.get("room").get("practice").asBoolean());

        // A guest for the stage and a viewer open the link: both wait.
        Person gus = guest("Gus");
        RoomClient g = connect(gus, room);
        assertEquals("The live starts soon", g.awaitType("waiting").get("message").asText());
        Person vera = guest("Vera");
        RoomClient v = connect(vera, room);
        JsonNode waiting = v.awaitType("waiting");
        assertEquals("The live starts soon", waiting.get("message").asText());
        assertRefused(vera.post("/api/rooms/" + room + "/go-live", null), 403, "not_allowed");

        // The host lets the guest backstage: in, and invited to the stage.
        String gusLobbyId = null;
        for (JsonNode w : ann.get("/api/rooms/" + room + "/lobby").body().get("waiting")) {
            if (w.get("name").asText().equals("Gus")) gusLobbyId = w.get("lobbyId").asText();
        }
        assertEquals(204, ann.post("/api/rooms/" + room + "/lobby/" + gusLobbyId + "/admit", null).status());
        g.awaitType("admitted");
        g.awaitType("joined");
        g.awaitType("invited");
        g.send(Map.of("type", "acceptInvitation"));
        host.awaitEvent("roleChanged", e -> e.path("participantId").asText().equals(g.participantId)
                && e.path("role").asText().equals("guest"));
        comment(g, "ready when you are");
        posted(host, "ready when you are");
        assertTrue(v.seen().stream().noneMatch(f -> f.path("type").asText().equals("joined")), "the viewer still waits");

        // Go live: the viewer comes in at once, and everyone sees the room is live.
        Reply live = ann.post("/api/rooms/" + room + "/go-live", null);
        assertEquals(200, live.status(), live.toString());
        assertFalse(live.body().get("practice").asBoolean());
        v.awaitType("admitted");
        JsonNode joined = v.awaitType("joined");
        assertFalse(joined.get("room").get("practice").asBoolean());
        assertEquals("viewer", joined.get("role").asText());
        assertEquals(List.of("ready when you are"), texts(joined.get("comments")));
        host.awaitEvent("roomChanged", e -> !e.path("room").path("practice").asBoolean());
        host.awaitEvent("memberJoined", e -> e.path("member").path("participantId").asText().equals(v.participantId));
        assertEquals(200, ann.post("/api/rooms/" + room + "/go-live", null).status(), "going live again changes nothing");
        // Newcomers now come straight in.
        enter(guest("Lou"), room);
    }
}
