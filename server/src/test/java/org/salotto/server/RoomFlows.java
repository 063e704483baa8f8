package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomsConfig;
import org.salotto.server.Person.Reply;

/**
 * Every rooms flow of issue 3 against the running server, each with its refusal: accounts, rooms, joining by link,
 * limits, rights in signaling, moderation, the host-leave rules, batched events, and a restart. Runs once on the
 * embedded database and once on PostgreSQL (the subclasses).
 */
abstract class RoomFlows {
    static ServerFixture fixture;
    private final List<RoomClient> clients = new ArrayList<>();

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

    String url() {
        return fixture.url();
    }

    Person account(String prefix) throws Exception {
        return Person.account(url(), ServerFixture.uniqueName(prefix));
    }

    Person guest(String name) throws Exception {
        return Person.guest(url(), name);
    }

    RoomClient enter(Person p, String room) throws Exception {
        RoomClient c = p.enter(room);
        clients.add(c);
        return c;
    }

    RoomClient connect(Person p, String room) throws Exception {
        RoomClient c = p.connect(room);
        clients.add(c);
        return c;
    }

    static void assertRefused(Reply r, int status, String code) {
        assertEquals(status, r.status(), "status of " + r);
        assertEquals(code, r.code(), "code of " + r);
        assertFalse(r.body().path("error").path("message").asText().isBlank(), "a readable message in " + r);
    }

    // ---- accounts ----

    @Test
    void signUpLogInLogOut() throws Exception {
        String username = ServerFixture.uniqueName("ada");
        Person ada = Person.account(url(), username);
        assertEquals(username, ada.get("/api/me").body().get("username").asText());

        assertRefused(new Person(url(), "x").post("/api/accounts", Map.of("username", username.toUpperCase(), "password", "12345678")),
                409, "username_taken");
        assertRefused(ada.post("/api/accounts", Map.of("username", "ab", "password", "12345678")), 400, "bad_request");
        assertRefused(ada.post("/api/accounts", Map.of("username", "abcdef", "password", "short")), 400, "bad_request");

        assertEquals(204, ada.delete("/api/sessions/current").status());
        assertRefused(ada.get("/api/me"), 401, "unauthenticated");
        assertRefused(ada.post("/api/sessions", Map.of("username", username, "password", "wrong password")), 401, "bad_credentials");
        assertRefused(ada.post("/api/sessions", Map.of("username", "nobody_" + username, "password", "whatever1")), 401, "bad_credentials");
        assertEquals(200, ada.post("/api/sessions", Map.of("username", username, "password", "correct horse " + username)).status());
        assertEquals(200, ada.get("/api/me").status());
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSite() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url() + "/api/accounts"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + ServerFixture.uniqueName("cookie") + "\",\"password\":\"12345678secret\"}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(cookie.startsWith("salotto_session="), cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Lax"), cookie);
    }

    @Test
    void apiKeysActForTheirAccountAndMakeJoinTokensForAnAppsUsers() throws Exception {
        Person host = account("keys");
        String room = host.createRoom("call", Map.of());
        Reply key = host.post("/api/me/api-keys", Map.of("name", "my app"));
        assertEquals(201, key.status(), key.toString());
        Person app = new Person(url(), "app");
        app.bearer = key.body().get("key").asText();
        Reply token = app.post("/api/rooms/" + room + "/tokens", Map.of("user", "user-42", "displayName", "Forty Two"));
        assertEquals(201, token.status(), token.toString());
        RoomClient c = RoomClient.open(url(), room);
        clients.add(c);
        c.send(Map.of("type", "join", "token", token.body().get("token").asText()));
        JsonNode joined = c.awaitType("joined");
        assertEquals("participant", joined.get("role").asText());
        assertEquals("{\"publish\":[\"mic\",\"camera\",\"screen\"],\"subscribe\":true,\"admin\":false,\"hidden\":false}",
                joined.get("grants").toString(), "no grants asked: everything the role allows");

        // The participant is told what its token grants, the sources by the protocol's names.
        Reply narrow = app.post("/api/rooms/" + room + "/tokens", Map.of("user", "user-43", "displayName", "Forty Three",
                "publish", List.of("screen", "microphone"), "subscribe", false, "admin", true));
        assertEquals(201, narrow.status(), narrow.toString());
        RoomClient n = RoomClient.open(url(), room);
        clients.add(n);
        n.send(Map.of("type", "join", "token", narrow.body().get("token").asText()));
        assertEquals("{\"publish\":[\"mic\",\"screen\"],\"subscribe\":false,\"admin\":true,\"hidden\":false}",
                n.awaitType("joined").get("grants").toString());
        RoomClient own = host.connect(room);
        clients.add(own);
        assertEquals("{\"publish\":[\"mic\",\"camera\",\"screen\"],\"subscribe\":true,\"admin\":false,\"hidden\":false}",
                own.awaitType("joined").get("grants").toString(), "the web app's own token");

        app.bearer = key.body().get("key").asText().substring(0, 20) + "x".repeat(40);
        assertRefused(app.post("/api/rooms/" + room + "/tokens", Map.of("user", "u", "displayName", "U")), 401, "unauthenticated");
    }

    // ---- rooms ----

    @Test
    void createGetListAndEndRooms() throws Exception {
        Person host = account("host");
        Reply created = host.post("/api/rooms", Map.of("kind", "space", "title", "Late night talk", "activity", "🎧 lo-fi",
                "visibility", "private"));
        assertEquals(201, created.status(), created.toString());
        JsonNode room = created.body();
        String id = room.get("id").asText();
        assertTrue(id.length() >= 20, "an unguessable id: " + id);
        assertEquals("/r/" + id, room.get("link").asText());
        assertEquals("space", room.get("kind").asText());
        assertEquals("🎧 lo-fi", room.get("activity").asText());
        assertEquals("open", room.get("state").asText());

        Reply scheduled = host.post("/api/rooms", Map.of("kind", "live", "title", "Tomorrow", "activity", "game_night",
                "scheduledStart", java.time.Instant.now().plusSeconds(86400).toString()));
        assertEquals("scheduled", scheduled.body().get("state").asText());

        JsonNode mine = host.get("/api/me/rooms").body().get("rooms");
        assertEquals(2, mine.size());
        JsonNode publicRooms = host.get("/api/rooms").body().get("rooms");
        for (JsonNode r : publicRooms) assertNotEquals(id, r.get("id").asText(), "a private room is not listed");

        assertRefused(guest("g").post("/api/rooms", Map.of("kind", "call", "title", "x")), 401, "unauthenticated");
        assertRefused(host.post("/api/rooms", Map.of("kind", "party", "title", "x")), 400, "bad_request");
        assertRefused(host.post("/api/rooms", Map.of("kind", "call", "title", "x", "activity", "karaoke")), 400, "bad_request");

        RoomClient listener = enter(guest("Lis"), id);
        assertEquals(204, host.post("/api/rooms/" + id + "/end", null).status());
        assertTrue(listener.awaitType("roomEnded").get("message").asText().contains("ended"));
        assertTrue(listener.closedWithin(Duration.ofSeconds(5)), "the socket closes when the room ends");
        assertEquals("ended", host.get("/api/rooms/" + id).body().get("state").asText());
        assertRefused(guest("late").joinToken(id), 410, "room_ended");
    }

    // ---- joining, limits ----

    @Test
    void joinedCarriesTheRoomAsTheApiShowsIt() throws Exception {
        Person host = account("snap");
        String room = host.createRoom("space", Map.of());
        RoomClient h = enter(host, room);
        assertEquals(1, h.joined.get("room").get("people").asInt(), h.joined.toString());
        assertEquals(1, h.joined.get("room").get("onStage").asInt());
        RoomClient listener = enter(guest("Lou"), room);
        JsonNode shown = listener.joined.get("room");
        assertEquals(2, shown.get("people").asInt(), "the newcomer counts themself: " + shown);
        assertEquals(1, shown.get("onStage").asInt());
        JsonNode api = host.get("/api/rooms/" + room).body();
        List<String> apiFields = new ArrayList<>();
        api.fieldNames().forEachRemaining(apiFields::add);
        List<String> joinedFields = new ArrayList<>();
        shown.fieldNames().forEachRemaining(joinedFields::add);
        assertEquals(apiFields, joinedFields, "joined.room has every field of the API's Room, in its order");
        assertEquals(api, shown, "and the same values");
    }

    @Test
    void guestsJoinByLinkAndTheFiftyFirstCallerIsRefused() throws Exception {
        Person host = account("big");
        String room = host.createRoom("call", Map.of());
        RoomClient h = enter(host, room);
        assertEquals("host", h.joined.get("role").asText());
        for (int i = 1; i < 50; i++) enter(guest("caller " + i), room);
        Person fiftyFirst = guest("caller 51");
        assertRefused(fiftyFirst.joinToken(room), 409, "room_full");
        JsonNode people = host.get("/api/rooms/" + room + "/participants").body().get("participants");
        assertEquals(50, people.size());
    }

    @Test
    void theFifthOnALiveStageIsRefused() throws Exception {
        Person host = account("live");
        String room = host.createRoom("live", Map.of());
        RoomClient h = enter(host, room);
        List<RoomClient> viewers = new ArrayList<>();
        for (int i = 0; i < 4; i++) viewers.add(enter(guest("viewer " + i), room));
        for (int i = 0; i < 3; i++) {
            RoomClient v = viewers.get(i);
            v.send(Map.of("type", "raiseHand"));
            v.awaitEvent("handRaised", e -> e.get("participantId").asText().equals(v.participantId));
            host.put("/api/rooms/" + room + "/participants/" + v.participantId + "/role", Map.of("role", "guest"));
        }
        awaitRoles(h, host, room, "guest", viewers.subList(0, 3));
        RoomClient fifth = viewers.get(3);
        fifth.send(Map.of("type", "raiseHand"));
        fifth.awaitEvent("handRaised", e -> e.get("participantId").asText().equals(fifth.participantId));
        Reply r = host.put("/api/rooms/" + room + "/participants/" + fifth.participantId + "/role", Map.of("role", "guest"));
        assertRefused(r, 409, "stage_full");
    }

    @Test
    void theFourteenthOnASpaceStageIsRefused() throws Exception {
        Person host = account("space");
        String room = host.createRoom("space", Map.of());
        RoomClient h = enter(host, room);
        List<RoomClient> listeners = new ArrayList<>();
        for (int i = 0; i < 13; i++) listeners.add(enter(guest("listener " + i), room));
        for (int i = 0; i < 2; i++) {
            Reply r = host.put("/api/rooms/" + room + "/participants/" + listeners.get(i).participantId + "/role",
                    Map.of("role", "co_host"));
            assertEquals(200, r.status(), r.toString());
        }
        Reply third = host.put("/api/rooms/" + room + "/participants/" + listeners.get(2).participantId + "/role",
                Map.of("role", "co_host"));
        assertRefused(third, 409, "stage_full");
        for (int i = 2; i < 12; i++) {
            RoomClient l = listeners.get(i);
            l.send(Map.of("type", "raiseHand"));
            l.awaitEvent("handRaised", e -> e.get("participantId").asText().equals(l.participantId));
            Reply r = host.put("/api/rooms/" + room + "/participants/" + l.participantId + "/role", Map.of("role", "speaker"));
            assertEquals("done", r.body().path("result").asText(), r.toString());
        }
        awaitRoles(h, host, room, "speaker", listeners.subList(2, 12));
        RoomClient fourteenth = listeners.get(12);
        fourteenth.send(Map.of("type", "raiseHand"));
        fourteenth.awaitEvent("handRaised", e -> e.get("participantId").asText().equals(fourteenth.participantId));
        assertRefused(host.put("/api/rooms/" + room + "/participants/" + fourteenth.participantId + "/role",
                Map.of("role", "speaker")), 409, "stage_full");
    }

    /**
     * Waits until the host has been told of each person's new role (a room event), then checks the room's list:
     * exactly that many people have the role.
     */
    private static void awaitRoles(RoomClient h, Person host, String room, String role, List<RoomClient> changed)
            throws Exception {
        for (RoomClient c : changed) {
            h.awaitEvent("roleChanged", e -> e.get("participantId").asText().equals(c.participantId)
                    && e.get("role").asText().equals(role));
        }
        int n = 0;
        for (JsonNode p : host.get("/api/rooms/" + room + "/participants").body().get("participants")) {
            if (p.get("role").asText().equals(role)) n++;
        }
        assertEquals(changed.size(), n, changed.size() + " " + role + "s expected");
    }

    // ---- rights in signaling ----

    static String chromeOffer() throws IOException {
        try (InputStream in = RoomFlows.class.getResourceAsStream("/chrome-publisher-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The same offer with only its audio m-section. */
    static String audioOnlyOffer() throws IOException {
        String sdp = chromeOffer();
        String audio = sdp.substring(0, sdp.indexOf("m=video"));
        return audio.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
    }

    @Test
    void theAudienceCannotPublishAndASpaceIsAudioOnly() throws Exception {
        Person host = account("rights");
        String room = host.createRoom("space", Map.of());
        RoomClient h = enter(host, room);
        RoomClient listener = enter(guest("quiet"), room);

        listener.send(Map.of("type", "publish", "id", 1, "sdp", audioOnlyOffer(), "sources", Map.of("0", "mic")));
        JsonNode refused = listener.awaitError("publish_not_allowed");
        assertEquals(1, refused.get("ref").asInt());
        assertTrue(refused.get("message").asText().contains("raise your hand"), refused.toString());

        h.send(Map.of("type", "publish", "id", 2, "sdp", chromeOffer(), "sources", Map.of("0", "mic", "1", "camera")));
        assertTrue(h.awaitError("publish_not_allowed").get("message").asText().contains("audio only"));
        h.send(Map.of("type", "publish", "id", 3, "sdp", audioOnlyOffer(), "sources", Map.of("0", "mic")));
        assertTrue(h.awaitType("publishAnswer").get("sdp").asText().contains("m=audio"));
        // The listener is told about the host's track, and gets it in an offer.
        listener.awaitType("trackPublished");
    }

    @Test
    void screenShareIsOfferedWhileACallHasAtMostTenPeople() throws Exception {
        Person host = account("screens");
        String room = host.createRoom("call", Map.of());
        RoomClient h = enter(host, room);
        List<RoomClient> others = new ArrayList<>();
        for (int i = 0; i < 9; i++) others.add(enter(guest("caller " + i), room));
        h.send(Map.of("type", "publish", "id", 1, "sdp", chromeOffer(), "sources", Map.of("0", "mic", "1", "screen")));
        h.awaitType("publishAnswer");

        RoomClient eleventh = enter(guest("eleventh"), room);
        RoomClient tenth = others.get(8);
        tenth.send(Map.of("type", "publish", "id", 2, "sdp", chromeOffer(), "sources", Map.of("0", "mic", "1", "screen")));
        assertTrue(tenth.awaitError("publish_not_allowed").get("message").asText().contains("at most 10"));
        tenth.send(Map.of("type", "publish", "id", 3, "sdp", chromeOffer(), "sources", Map.of("0", "mic", "1", "camera")));
        tenth.awaitType("publishAnswer");
        eleventh.close();
    }

    @Test
    void promotionLetsAListenerPublishAtOnceAndDemotionTakesTheirTrackAway() throws Exception {
        Person host = account("promote");
        String room = host.createRoom("space", Map.of());
        RoomClient h = enter(host, room);
        RoomClient speaker = enter(guest("soon a speaker"), room);
        RoomClient other = enter(guest("other"), room);

        speaker.send(Map.of("type", "raiseHand"));
        h.awaitEvent("handRaised", e -> e.get("participantId").asText().equals(speaker.participantId));
        Reply r = host.put("/api/rooms/" + room + "/participants/" + speaker.participantId + "/role", Map.of("role", "speaker"));
        assertEquals("done", r.body().get("result").asText());
        speaker.awaitEvent("roleChanged", e -> e.get("role").asText().equals("speaker"));
        speaker.send(Map.of("type", "publish", "sdp", audioOnlyOffer(), "sources", Map.of("0", "mic")));
        speaker.awaitType("publishAnswer");
        JsonNode published = other.awaitType("trackPublished");
        assertEquals(speaker.participantId, published.get("participantId").asText());

        host.put("/api/rooms/" + room + "/participants/" + speaker.participantId + "/role", Map.of("role", "listener"));
        JsonNode gone = other.awaitType("trackUnpublished");
        assertEquals(published.get("trackId").asText(), gone.get("trackId").asText());
        speaker.send(Map.of("type", "publish", "sdp", audioOnlyOffer(), "sources", Map.of("0", "mic")));
        speaker.awaitError("publish_not_allowed");
    }

    @Test
    void aViewerInvitedToTheStageAcceptsOrDeclines() throws Exception {
        Person host = account("invite");
        String room = host.createRoom("live", Map.of());
        RoomClient h = enter(host, room);
        RoomClient viewer = enter(guest("invitee"), room);
        Reply r = host.put("/api/rooms/" + room + "/participants/" + viewer.participantId + "/role", Map.of("role", "guest"));
        assertEquals("invited", r.body().get("result").asText());
        assertTrue(viewer.awaitType("invited").get("message").asText().contains("stage"));
        viewer.send(Map.of("type", "acceptInvitation"));
        h.awaitEvent("roleChanged", e -> e.get("participantId").asText().equals(viewer.participantId)
                && e.get("role").asText().equals("guest"));

        RoomClient shy = enter(guest("shy"), room);
        host.put("/api/rooms/" + room + "/participants/" + shy.participantId + "/role", Map.of("role", "guest"));
        shy.awaitType("invited");
        shy.send(Map.of("type", "declineInvitation"));
        h.awaitEvent("invitationDeclined", e -> e.get("participantId").asText().equals(shy.participantId));
        shy.send(Map.of("type", "acceptInvitation"));
        shy.awaitError("bad_request");
    }

    @Test
    void theHostDeclinesARequestToJoinTheStageAndTheViewerIsTold() throws Exception {
        Person host = account("decline");
        String room = host.createRoom("live", Map.of());
        RoomClient h = enter(host, room);
        Person viewerPerson = guest("hopeful");
        RoomClient viewer = enter(viewerPerson, room);
        Person otherPerson = guest("bystander");
        RoomClient other = enter(otherPerson, room);
        String hand = "/api/rooms/" + room + "/participants/" + viewer.participantId + "/hand";

        viewer.send(Map.of("type", "raiseHand"));
        h.awaitEvent("handRaised", e -> e.get("participantId").asText().equals(viewer.participantId));
        assertRefused(otherPerson.delete(hand), 403, "not_allowed");
        assertEquals(204, host.delete(hand).status());
        viewer.awaitEvent("handLowered", e -> e.get("participantId").asText().equals(viewer.participantId)
                && e.path("declined").asBoolean());
        assertFalse(host.get("/api/rooms/" + room + "/participants").body().get("participants").findValues("handRaised")
                .stream().anyMatch(JsonNode::asBoolean), "no hand is up any more");
        assertEquals(204, host.delete(hand).status(), "declining a hand that is down changes nothing");
        assertRefused(host.delete("/api/rooms/" + room + "/participants/nobody/hand"), 409, "not_in_room");
        other.close();
    }

    // ---- moderation ----

    @Test
    void aRemovedGuestCannotComeBackUnderAnotherName() throws Exception {
        Person host = account("mod");
        String room = host.createRoom("call", Map.of());
        enter(host, room);
        Person troll = guest("Troll");
        RoomClient t = enter(troll, room);
        assertEquals(204, host.post("/api/rooms/" + room + "/participants/" + t.participantId + "/remove", null).status());
        assertTrue(t.awaitType("removed").get("message").asText().contains("removed"));
        assertTrue(t.closedWithin(Duration.ofSeconds(5)));

        Person sameBrowser = new Person(url(), "Totally Someone Else");
        sameBrowser.guestToken = troll.guestToken;
        sameBrowser.bearer = troll.guestToken;
        assertRefused(sameBrowser.joinToken(room), 403, "banned");
        // Nor with a join token obtained before the removal.
        Person again = guest("Troll again");
        again.guestToken = troll.guestToken;
        again.bearer = troll.guestToken;
        assertRefused(again.joinToken(room), 403, "banned");
    }

    @Test
    void aJoinTokenFromBeforeTheRemovalDoesNotGetBackIn() throws Exception {
        Person host = account("mod2");
        String room = host.createRoom("call", Map.of());
        enter(host, room);
        Person troll = guest("Troll");
        String spare = troll.joinToken(room).body().get("token").asText();
        RoomClient t = enter(troll, room);
        host.post("/api/rooms/" + room + "/participants/" + t.participantId + "/remove", null);
        t.awaitType("removed");
        RoomClient back = RoomClient.open(url(), room);
        clients.add(back);
        back.send(Map.of("type", "join", "token", spare));
        back.awaitError("banned");
    }

    @Test
    void aLockedRoomTakesNobodyNewButItsHost() throws Exception {
        Person host = account("lock");
        String room = host.createRoom("call", Map.of());
        RoomClient h = enter(host, room);
        assertEquals(200, host.patch("/api/rooms/" + room, Map.of("locked", true)).status());
        h.awaitEvent("lockChanged", e -> e.get("locked").asBoolean());
        assertRefused(guest("late").joinToken(room), 423, "room_locked");
        assertEquals(200, host.patch("/api/rooms/" + room, Map.of("locked", false)).status());
        enter(guest("on time"), room);
    }

    @Test
    void knockersWaitInTheLobbyAndAreAdmittedOrDenied() throws Exception {
        Person host = account("knock");
        String room = host.createRoom("call", Map.of("knock", true));
        RoomClient h = enter(host, room);
        RoomClient alice = connect(guest("Alice"), room);
        RoomClient bob = connect(guest("Bob"), room);
        String aliceLobby = alice.awaitType("waiting").get("lobbyId").asText();
        String bobLobby = bob.awaitType("waiting").get("lobbyId").asText();
        JsonNode lobby = h.await("a lobby with two", f -> f.path("type").asText().equals("lobby") && f.get("waiting").size() == 2);
        assertEquals("Alice", lobby.get("waiting").get(0).get("name").asText());
        alice.send(Map.of("type", "publish", "sdp", "v=0", "sources", Map.of()));
        alice.awaitError("waiting");

        assertEquals(204, host.post("/api/rooms/" + room + "/lobby/" + aliceLobby + "/admit", null).status());
        alice.awaitType("admitted");
        assertEquals("participant", alice.awaitType("joined").get("role").asText());
        assertEquals(204, host.post("/api/rooms/" + room + "/lobby/" + bobLobby + "/deny", null).status());
        assertTrue(bob.awaitType("denied").get("message").asText().contains("not let you in"));
        assertTrue(bob.closedWithin(Duration.ofSeconds(5)));
        assertRefused(host.post("/api/rooms/" + room + "/lobby/" + bobLobby + "/admit", null), 404, "not_found");
    }

    @Test
    void coHostsCannotEndTheRoomNorRemoveTheHost() throws Exception {
        Person host = account("cohost");
        String room = host.createRoom("call", Map.of());
        RoomClient h = enter(host, room);
        Person coHost = account("co");
        RoomClient c = enter(coHost, room);
        assertEquals(200, host.put("/api/rooms/" + room + "/participants/" + c.participantId + "/role", Map.of("role", "co_host")).status());
        c.awaitEvent("roleChanged", e -> e.get("role").asText().equals("co_host"));
        assertRefused(coHost.post("/api/rooms/" + room + "/end", null), 403, "not_allowed");
        assertRefused(coHost.post("/api/rooms/" + room + "/participants/" + h.participantId + "/remove", null), 403, "not_allowed");
        // What a co-host may do: lock the room, and remove a participant.
        RoomClient p = enter(guest("someone"), room);
        assertEquals(200, coHost.patch("/api/rooms/" + room, Map.of("locked", true)).status());
        assertEquals(204, coHost.post("/api/rooms/" + room + "/participants/" + p.participantId + "/remove", null).status());
        p.awaitType("removed");
    }

    @Test
    void noOneButTheHostTakesHostActions() throws Exception {
        Person host = account("owner");
        String room = host.createRoom("space", Map.of());
        enter(host, room);
        Person stranger = account("stranger");
        RoomClient s = enter(stranger, room);
        assertEquals(200, host.patch("/api/rooms/" + room, Map.of("knock", true)).status());
        RoomClient waiting = connect(guest("knocker"), room);
        String lobbyId = waiting.awaitType("waiting").get("lobbyId").asText();
        String base = "/api/rooms/" + room;
        String target = s.participantId;
        assertRefused(stranger.patch(base, Map.of("locked", true)), 403, "not_allowed");
        assertRefused(stranger.patch(base, Map.of("knock", false)), 403, "not_allowed");
        assertRefused(stranger.patch(base, Map.of("title", "mine now")), 403, "not_allowed");
        assertRefused(stranger.post(base + "/end", null), 403, "not_allowed");
        assertRefused(stranger.get(base + "/lobby"), 403, "not_allowed");
        assertRefused(stranger.post(base + "/lobby/" + lobbyId + "/admit", null), 403, "not_allowed");
        assertRefused(stranger.post(base + "/lobby/" + lobbyId + "/deny", null), 403, "not_allowed");
        assertRefused(stranger.post(base + "/participants/" + target + "/remove", null), 403, "not_allowed");
        assertRefused(stranger.post(base + "/participants/" + target + "/block", null), 403, "not_allowed");
        assertRefused(stranger.put(base + "/participants/" + target + "/role", Map.of("role", "speaker")), 403, "not_allowed");
        assertRefused(stranger.put(base + "/participants/" + target + "/role", Map.of("role", "co_host")), 403, "not_allowed");
        assertRefused(stranger.post(base + "/tokens", Map.of("user", "u", "displayName", "U")), 401, "unauthenticated");
        // And none of it happened.
        JsonNode room0 = host.get(base).body();
        assertFalse(room0.get("locked").asBoolean());
        assertTrue(room0.get("knock").asBoolean());
        assertEquals("open", room0.get("state").asText());
    }

    @Test
    void aBlockedPersonCannotJoinAnyOfTheHostsRooms() throws Exception {
        Person host = account("blocker");
        String first = host.createRoom("live", Map.of());
        String second = host.createRoom("space", Map.of());
        enter(host, first);
        Person pest = guest("Pest");
        RoomClient p = enter(pest, first);
        assertEquals(204, host.post("/api/rooms/" + first + "/participants/" + p.participantId + "/block", null).status());
        p.awaitType("removed");
        assertRefused(pest.joinToken(second), 403, "blocked");
        JsonNode blocks = host.get("/api/me/blocks").body().get("blocks");
        assertEquals(1, blocks.size());
        assertEquals(204, host.delete("/api/me/blocks/" + blocks.get(0).get("identity").asText()).status());
        assertEquals(200, pest.joinToken(second).status());
    }

    // ---- when the host leaves ----

    @Test
    void aCallWhoseHostLeavesLocksItselfAndGoesOn() throws Exception {
        Person host = account("leaver");
        String room = host.createRoom("call", Map.of());
        RoomClient h = enter(host, room);
        RoomClient stays = enter(guest("stays"), room);
        h.send(Map.of("type", "leave"));
        stays.awaitEvent("lockChanged", e -> e.get("locked").asBoolean());
        assertRefused(guest("newcomer").joinToken(room), 423, "room_locked");
        RoomClient back = enter(host, room);
        assertEquals("host", back.joined.get("role").asText());
        assertEquals(200, host.patch("/api/rooms/" + room, Map.of("locked", false)).status());
        enter(guest("newcomer"), room);
    }

    @Test
    void aLiveEndsWhenItsHostIsGonePastTheGrace() throws Exception {
        Person host = account("livehost");
        String room = host.createRoom("live", Map.of());
        RoomClient h = enter(host, room);
        RoomClient viewer = enter(guest("watcher"), room);
        h.close();
        assertTrue(viewer.awaitType("roomEnded").get("message").asText().contains("host"));
        assertEquals("ended", host.get("/api/rooms/" + room).body().get("state").asText());
    }

    @Test
    void aSpaceCoHostTakesOverWhenTheHostDropsOutAndHandsBack() throws Exception {
        Person host = account("spacehost");
        String room = host.createRoom("space", Map.of());
        RoomClient h = enter(host, room);
        Person coHost = account("taker");
        RoomClient c = enter(coHost, room);
        host.put("/api/rooms/" + room + "/participants/" + c.participantId + "/role", Map.of("role", "co_host"));
        RoomClient listener = enter(guest("ear"), room);
        // A witness: a live whose host leaves now ends one host's grace later, on the same timers.
        Person witnessHost = account("witness");
        String witnessRoom = witnessHost.createRoom("live", Map.of());
        RoomClient witness = enter(witnessHost, witnessRoom);
        RoomClient witnessViewer = enter(guest("witness viewer"), witnessRoom);
        h.close();
        listener.awaitEvent("roleChanged", e -> e.get("participantId").asText().equals(c.participantId)
                && e.get("role").asText().equals("host"));
        witness.close();
        witnessViewer.awaitType("roomEnded");
        // Past the grace (any the space had started would have run first): it goes on with the co-host in charge.
        assertEquals("open", host.get("/api/rooms/" + room).body().get("state").asText());
        enter(host, room);
        listener.awaitEvent("roleChanged", e -> e.get("participantId").asText().equals(c.participantId)
                && e.get("role").asText().equals("co_host"));
    }

    // ---- events ----

    @Test
    void roomEventsAreBatched() throws Exception {
        Person host = account("batch");
        String room = host.createRoom("space", Map.of());
        RoomClient h = enter(host, room);
        int before = h.roomEventFrames;
        int n = 150;
        List<Thread> joins = new ArrayList<>();
        List<RoomClient> listeners = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int k = i;
            joins.add(Thread.ofVirtual().start(() -> {
                try {
                    listeners.add(guest("listener " + k).enter(room));
                } catch (Exception | AssertionError e) {
                    failed.add(e);
                }
            }));
        }
        for (Thread t : joins) t.join();
        clients.addAll(listeners);
        if (!failed.isEmpty()) throw new AssertionError(failed.size() + " of " + n + " joins failed", failed.getFirst());
        int joined = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (joined < n && System.nanoTime() < deadline) {
            h.awaitEvent("memberJoined", e -> true);
            joined++;
        }
        assertEquals(n, joined, "the host hears of every listener");
        int frames = h.roomEventFrames - before;
        assertTrue(frames < n / 3, n + " joins reached the host in " + frames + " frames");
    }

    /**
     * Livestream mode: past rooms.listed-audience (100), a listener is counted, not listed. Those already in do not
     * meet them (no memberJoined, their hand, their leaving), the host does, everyone gets the audience's size, and
     * brought on stage they are met by everyone.
     */
    @Test
    void pastAHundredListenersTheAudienceIsCountedNotListed() throws Exception {
        Person host = account("crowd");
        String room = host.createRoom("space", Map.of());
        RoomClient h = enter(host, room);
        int listed = RoomsConfig.LISTED_AUDIENCE;
        List<RoomClient> crowd = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> joins = new ArrayList<>();
        for (int i = 0; i < listed; i++) {
            int k = i;
            joins.add(Thread.ofVirtual().start(() -> {
                try {
                    crowd.add(guest("listener " + k).enter(room));
                } catch (Exception | AssertionError e) {
                    failed.add(e);
                }
            }));
        }
        for (Thread t : joins) t.join();
        clients.addAll(crowd);
        if (!failed.isEmpty()) throw new AssertionError(failed.size() + " joins failed", failed.getFirst());
        RoomClient first = crowd.getFirst();
        first.awaitEvent("audienceChanged", e -> e.get("audience").asInt() == listed);

        RoomClient late = enter(guest("One Too Many"), room);
        assertEquals(listed + 2, late.joined.get("members").size(), "the latecomer sees the host, the listed and themselves");
        h.awaitEvent("memberJoined", e -> e.path("member").path("participantId").asText().equals(late.participantId));
        first.awaitEvent("audienceChanged", e -> e.get("audience").asInt() == listed + 1);
        late.awaitEvent("audienceChanged", e -> e.get("audience").asInt() == listed + 1);

        late.send(Map.of("type", "raiseHand"));
        h.awaitEvent("handRaised", e -> e.get("participantId").asText().equals(late.participantId));
        late.awaitEvent("handRaised", e -> e.get("participantId").asText().equals(late.participantId));
        RoomClient joiner = enter(guest("Joiner"), room); // a batch after the hand: the listed see nothing of it
        first.awaitEvent("audienceChanged", e -> e.get("audience").asInt() == listed + 2);
        for (JsonNode f : first.seen()) {
            assertFalse(f.toString().contains(late.participantId), "a listed listener meets no unlisted one: " + f);
        }
        assertFalse(joiner.joined.toString().contains(late.participantId), "nor does a newcomer's snapshot list them");

        Reply r = host.put("/api/rooms/" + room + "/participants/" + late.participantId + "/role", Map.of("role", "speaker"));
        assertEquals("done", r.body().get("result").asText());
        late.awaitEvent("roleChanged", e -> e.get("role").asText().equals("speaker"));
        h.awaitEvent("roleChanged", e -> e.get("participantId").asText().equals(late.participantId));
        JsonNode met = first.awaitEvent("memberJoined", e -> e.path("member").path("participantId").asText().equals(late.participantId));
        assertEquals("speaker", met.path("member").path("role").asText(), "on stage, they are met by everyone");
        first.awaitEvent("audienceChanged", e -> e.get("audience").asInt() == listed + 1);
    }

    // ---- a restart keeps accounts, rooms, bans and blocks ----

    @Test
    void aRestartKeepsAccountsRoomsBansAndBlocks() throws Exception {
        String username = ServerFixture.uniqueName("keeper");
        Person host = Person.account(url(), username);
        String room = host.createRoom("call", Map.of());
        String other = host.createRoom("call", Map.of());
        enter(host, room);
        Person banned = guest("Banned");
        RoomClient b = enter(banned, room);
        host.post("/api/rooms/" + room + "/participants/" + b.participantId + "/remove", null);
        b.awaitType("removed");
        Person blocked = guest("Blocked");
        RoomClient bl = enter(blocked, room);
        host.post("/api/rooms/" + room + "/participants/" + bl.participantId + "/block", null);
        bl.awaitType("removed");
        closeClients();

        fixture.restart();
        Person again = new Person(url(), username);
        assertEquals(200, again.post("/api/sessions", Map.of("username", username, "password", "correct horse " + username)).status());
        assertEquals(2, again.get("/api/me/rooms").body().get("rooms").size());
        Person bannedAgain = new Person(url(), "Banned");
        bannedAgain.guestToken = banned.guestToken;
        bannedAgain.bearer = banned.guestToken;
        assertRefused(bannedAgain.joinToken(room), 403, "banned");
        Person blockedAgain = new Person(url(), "Blocked");
        blockedAgain.guestToken = blocked.guestToken;
        blockedAgain.bearer = blocked.guestToken;
        assertRefused(blockedAgain.joinToken(other), 403, "blocked");
    }

    // ---- regressions of issue 10 ----

    @Test
    void patchStoresTheTitleActivityAndVisibilityAndTellsThoseInTheRoom() throws Exception {
        Person host = account("patcher");
        String room = host.createRoom("space", Map.of());
        RoomClient h = enter(host, room);
        Reply r = host.patch("/api/rooms/" + room, Map.of("title", "Renamed", "activity", "game_night", "visibility", "private"));
        assertEquals(200, r.status(), r.toString());
        assertEquals("Renamed", r.body().get("title").asText());
        assertEquals("game_night", r.body().get("activity").asText());
        assertEquals("private", r.body().get("visibility").asText());
        JsonNode stored = host.get("/api/rooms/" + room).body();
        assertEquals("Renamed", stored.get("title").asText());
        assertEquals("private", stored.get("visibility").asText());
        h.awaitEvent("roomChanged", e -> e.get("room").get("title").asText().equals("Renamed"));
        // A private room is no longer listed (only people with the link find it).
        for (JsonNode listed : guest("Nosy").get("/api/rooms").body().get("rooms")) {
            assertNotEquals(room, listed.get("id").asText());
        }
        // And it stays so across a room that empties out and a restart of its instance.
        closeClients();
        assertEquals("Renamed", host.get("/api/rooms/" + room).body().get("title").asText());
    }

    @Test
    void anOutsidersRemoveIsRefusedWithA403NotA500() throws Exception {
        Person host = account("guarded");
        String room = host.createRoom("call", Map.of());
        enter(host, room);
        RoomClient ann = enter(guest("Ann"), room);
        Person outsider = account("meddler");
        assertRefused(outsider.post("/api/rooms/" + room + "/participants/" + ann.participantId + "/remove", null),
                403, "not_allowed");
        assertRefused(outsider.post("/api/rooms/" + room + "/participants/nobody/remove", null), 409, "not_in_room");
    }

    @Test
    void aCoHostCannotRemoveTheCoHostWhoStandsInForTheHost() throws Exception {
        Person host = account("away");
        String room = host.createRoom("space", Map.of());
        RoomClient h = enter(host, room);
        Person first = account("first");
        Person second = account("second");
        RoomClient a = enter(first, room);
        RoomClient b = enter(second, room);
        host.put("/api/rooms/" + room + "/participants/" + a.participantId + "/role", Map.of("role", "co_host"));
        host.put("/api/rooms/" + room + "/participants/" + b.participantId + "/role", Map.of("role", "co_host"));
        h.abort(); // the host's network goes; past the resume grace the first co-host takes over
        b.awaitEvent("roleChanged", e -> e.get("participantId").asText().equals(a.participantId)
                && e.get("role").asText().equals("host"));
        assertRefused(second.post("/api/rooms/" + room + "/participants/" + a.participantId + "/remove", null),
                403, "not_allowed");
        // The host is back: the stand-in is a co-host again.
        enter(host, room);
        b.awaitEvent("roleChanged", e -> e.get("participantId").asText().equals(a.participantId)
                && e.get("role").asText().equals("co_host"));
    }
}
