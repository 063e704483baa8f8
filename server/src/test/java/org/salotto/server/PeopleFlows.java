package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.people.PeopleConfig;
import org.salotto.server.Person.Reply;

/**
 * People (issue 13) through HTTP against the running server: profiles and avatars, follows and their lists, the home
 * page's sections and the public room list, reports to the admins, what admins do, and a suspended account refused
 * everywhere; each with its bad input. Runs on the embedded database and on PostgreSQL (the subclasses), which start
 * the server with {@link #config} and then sign up {@link #founder}, the server's first account.
 */
abstract class PeopleFlows {
    /** A username the configuration makes an admin. */
    static final String CONFIGURED_ADMIN = "cfg_admin";
    static final int AVATAR_MAX = 64 * 1024;
    static final int REPORTS_PER_HOUR = 5;

    static ServerFixture fixture;
    /** The first account created on the server: an admin. */
    static Person founder;
    private final List<RoomClient> clients = new ArrayList<>();

    static ServerConfig config(ServerConfig c) {
        return c.withPeople(PeopleConfig.defaults().withAdmins(List.of(CONFIGURED_ADMIN)).withAvatarMaxBytes(AVATAR_MAX)
                .withReportsPerHour(REPORTS_PER_HOUR));
    }

    static void signUpFounder() throws Exception {
        founder = Person.account(fixture.url(), ServerFixture.uniqueName("founder"));
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

    String url() {
        return fixture.url();
    }

    Person account(String prefix) throws Exception {
        return Person.account(url(), ServerFixture.uniqueName(prefix));
    }

    RoomClient enter(Person p, String room) throws Exception {
        RoomClient c = p.enter(room);
        clients.add(c);
        return c;
    }

    static void assertRefused(Reply r, int status, String code) {
        assertEquals(status, r.status(), "status of " + r);
        assertEquals(code, r.code(), "code of " + r);
        assertFalse(r.body().path("error").path("message").asText().isBlank(), "a readable message in " + r);
    }

    static String message(Reply r) {
        return r.body().path("error").path("message").asText();
    }

    // ---- profiles and follows ----

    @Test
    void aProfileShowsCountsAndWhetherTheCallerFollows() throws Exception {
        Person ada = account("ada");
        Person bea = account("bea");
        Person stranger = new Person(url(), "anonymous");

        JsonNode profile = stranger.get("/api/users/" + bea.name.toUpperCase()).body();
        assertEquals(bea.name, profile.get("username").asText(), "usernames compare case-insensitively");
        assertEquals(bea.name, profile.get("displayName").asText());
        assertEquals("", profile.get("bio").asText());
        assertTrue(profile.get("avatarUrl").isNull(), "no avatar: the web app shows initials");
        assertEquals(0, profile.get("followers").asInt());
        assertFalse(profile.get("followedByMe").asBoolean());
        assertFalse(profile.get("me").asBoolean());
        assertTrue(bea.get("/api/users/" + bea.name).body().get("me").asBoolean());

        assertEquals(204, ada.put("/api/users/" + bea.name + "/follow", Map.of()).status());
        assertEquals(204, ada.put("/api/users/" + bea.name + "/follow", Map.of()).status(), "following is idempotent");
        JsonNode seenByAda = ada.get("/api/users/" + bea.name).body();
        assertTrue(seenByAda.get("followedByMe").asBoolean());
        assertEquals(1, seenByAda.get("followers").asInt());
        assertEquals(1, ada.get("/api/users/" + ada.name).body().get("following").asInt());
        assertFalse(stranger.get("/api/users/" + bea.name).body().get("followedByMe").asBoolean());

        assertEquals(204, ada.delete("/api/users/" + bea.name + "/follow").status());
        assertEquals(204, ada.delete("/api/users/" + bea.name + "/follow").status(), "unfollowing is idempotent");
        assertEquals(0, ada.get("/api/users/" + bea.name).body().get("followers").asInt());

        // Bad input.
        Reply unknown = stranger.get("/api/users/nobody_here");
        assertRefused(unknown, 404, "not_found");
        assertTrue(message(unknown).contains("no one is called"), message(unknown));
        assertRefused(ada.put("/api/users/nobody_here/follow", Map.of()), 404, "not_found");
        Reply self = ada.put("/api/users/" + ada.name + "/follow", Map.of());
        assertRefused(self, 400, "bad_request");
        assertEquals("you cannot follow yourself", message(self));
        assertRefused(stranger.put("/api/users/" + bea.name + "/follow", Map.of()), 401, "unauthenticated");
        Person guest = Person.guest(url(), "Gus");
        assertRefused(guest.put("/api/users/" + bea.name + "/follow", Map.of()), 401, "unauthenticated");
    }

    @Test
    void followerListsArePagedNewestFirstWithoutLossOrRepeat() throws Exception {
        Person star = account("star");
        List<String> fans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Person fan = account("fan");
            assertEquals(204, fan.put("/api/users/" + star.name + "/follow", Map.of()).status());
            fans.add(fan.name);
        }
        assertEquals(204, star.put("/api/users/" + fans.get(0) + "/follow", Map.of()).status());
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = star.get("/api/users/" + star.name + "/followers?limit=2" + (next == null ? "" : "&before=" + next)).body();
            for (JsonNode p : page.get("people")) {
                seen.add(p.get("username").asText());
                assertEquals(p.get("username").asText().equals(fans.get(0)), p.get("followedByMe").asBoolean());
                assertTrue(p.has("avatarUrl") && p.has("displayName"), p.toString());
            }
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null && pages < 10);
        assertEquals(fans.reversed(), seen, "newest follow first, each once");
        assertEquals(3, pages);
        JsonNode following = star.get("/api/users/" + star.name + "/following").body();
        assertEquals(List.of(fans.get(0)), names(following.get("people")));
        assertTrue(following.get("next").isNull());

        assertRefused(star.get("/api/users/" + star.name + "/followers?limit=0"), 400, "bad_request");
        assertRefused(star.get("/api/users/" + star.name + "/followers?limit=101"), 400, "bad_request");
        assertRefused(star.get("/api/users/" + star.name + "/followers?before=yesterday"), 400, "bad_request");
        assertRefused(star.get("/api/users/nobody_here/following"), 404, "not_found");
    }

    @Test
    void theProfileIsEditedAndTheAvatarIsCroppedResizedAndCachedForGood() throws Exception {
        Person ada = account("painter");
        Reply edited = ada.put("/api/me/profile", Map.of("displayName", "  Ada   Painter ", "bio", "I paint\nwith light"));
        assertEquals(200, edited.status(), edited.toString());
        assertEquals("Ada Painter", edited.body().get("displayName").asText());
        assertEquals("I paint with light", edited.body().get("bio").asText());
        assertEquals("Ada Painter", ada.get("/api/me").body().get("displayName").asText());
        assertEquals("I paint with light", ada.put("/api/me/profile", Map.of("displayName", "Ada P")).body().get("bio").asText(),
                "an absent field stays");
        assertRefused(ada.put("/api/me/profile", Map.of("bio", "x".repeat(161))), 400, "bad_request");
        assertRefused(ada.put("/api/me/profile", Map.of("displayName", "   ")), 400, "bad_request");
        assertEquals("", ada.put("/api/me/profile", Map.of("bio", "")).body().get("bio").asText());
        assertRefused(new Person(url(), "anon").put("/api/me/profile", Map.of("bio", "hi")), 401, "unauthenticated");

        // A 600x400 picture: red bands at the sides, blue in the middle square. Only the blue is kept.
        BufferedImage wide = new BufferedImage(600, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = wide.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 600, 400);
        g.setColor(Color.BLUE);
        g.fillRect(100, 0, 400, 400);
        g.dispose();
        Reply uploaded = ada.sendBytes("PUT", "/api/me/avatar", "image/jpeg", encode(wide, "jpg"));
        assertEquals(200, uploaded.status(), uploaded.toString());
        String avatarUrl = uploaded.body().get("avatarUrl").asText();
        assertTrue(avatarUrl.startsWith("/api/users/" + ada.name + "/avatar?v="), avatarUrl);
        HttpResponse<byte[]> image = new Person(url(), "anon").getBytes(avatarUrl);
        assertEquals(200, image.statusCode());
        assertEquals("image/png", image.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("public, max-age=31536000, immutable", image.headers().firstValue("Cache-Control").orElseThrow());
        BufferedImage stored = ImageIO.read(new ByteArrayInputStream(image.body()));
        assertEquals(256, stored.getWidth());
        assertEquals(256, stored.getHeight());
        // Near the edges, not on them: JPEG bleeds a little colour across the red/blue boundary. Squeezed rather than
        // cropped, these would be red.
        for (int[] xy : new int[][] {{4, 4}, {251, 4}, {4, 251}, {251, 251}, {128, 128}}) {
            Color c = new Color(stored.getRGB(xy[0], xy[1]));
            assertTrue(c.getBlue() > 180 && c.getRed() < 80, "the centred square only, at " + xy[0] + "," + xy[1] + ": " + c);
        }

        // A new upload is a new URL.
        Reply again = ada.sendBytes("PUT", "/api/me/avatar", "image/png", encode(wide, "png"));
        assertFalse(again.body().get("avatarUrl").asText().equals(avatarUrl));

        // Bad input: too large, not an image, a type never accepted, too many pixels, WebP, nothing.
        Reply huge = ada.sendBytes("PUT", "/api/me/avatar", "image/png", new byte[AVATAR_MAX + 1]);
        assertRefused(huge, 413, "payload_too_large");
        Reply text = ada.sendBytes("PUT", "/api/me/avatar", "image/png", "<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8));
        assertRefused(text, 415, "unsupported_media_type");
        assertRefused(ada.sendBytes("PUT", "/api/me/avatar", "image/svg+xml", encode(wide, "png")), 415, "unsupported_media_type");
        assertRefused(ada.sendBytes("PUT", "/api/me/avatar", null, encode(wide, "png")), 415, "unsupported_media_type");
        Reply tooMany = ada.sendBytes("PUT", "/api/me/avatar", "image/png",
                encode(new BufferedImage(5000, 2, BufferedImage.TYPE_BYTE_GRAY), "png"));
        assertRefused(tooMany, 400, "bad_request");
        assertTrue(message(tooMany).contains("5000x2"), message(tooMany));
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
        Reply notReadable = ada.sendBytes("PUT", "/api/me/avatar", "image/webp", webp);
        assertRefused(notReadable, 415, "unsupported_media_type");
        assertTrue(message(notReadable).contains("WebP"), message(notReadable));
        assertRefused(ada.sendBytes("PUT", "/api/me/avatar", "image/png", new byte[0]), 400, "bad_request");
        assertRefused(new Person(url(), "anon").sendBytes("PUT", "/api/me/avatar", "image/png", encode(wide, "png")), 401,
                "unauthenticated");
        assertEquals(again.body().get("avatarUrl").asText(), ada.get("/api/users/" + ada.name).body().get("avatarUrl").asText(),
                "a refused upload changes nothing");

        assertEquals(204, ada.delete("/api/me/avatar").status());
        assertTrue(ada.get("/api/users/" + ada.name).body().get("avatarUrl").isNull());
        assertEquals(404, ada.getBytes("/api/users/" + ada.name + "/avatar").statusCode());
        assertEquals(404, ada.getBytes("/api/users/nobody_here/avatar").statusCode());
    }

    // ---- home and the room list ----

    @Test
    void homeAndTheRoomListShowRoomsWithPeopleAndLivesOnlyWhileLive() throws Exception {
        Person host = account("host");
        Person fan = account("fan");
        Person other = account("other");
        assertEquals(204, fan.put("/api/users/" + host.name + "/follow", Map.of()).status());

        String space = host.createRoom("space", Map.of());
        String backstage = host.createRoom("live", Map.of("practice", true));
        String later = host.createRoom("live", Map.of("scheduledStart", java.time.Instant.now().plusSeconds(3600).toString()));
        String secret = host.createRoom("call", Map.of("visibility", "private"));
        // Nobody is in them yet: none is open to go to.
        assertFalse(ids(fan.get("/api/rooms").body().get("rooms")).contains(space), "an empty open room is not listed");
        assertTrue(ids(fan.get("/api/rooms").body().get("rooms")).contains(later), "a scheduled one is");
        JsonNode home = fan.get("/api/home").body();
        assertFalse(roomIds(home.get("openNow")).contains(space));
        assertTrue(roomIds(home.get("upcoming")).contains(later));

        enter(host, space);
        enter(host, backstage);
        enter(host, secret);
        home = fan.get("/api/home").body();
        assertTrue(roomIds(home.get("liveFromFollowed")).contains(space));
        assertFalse(roomIds(home.get("liveFromFollowed")).contains(backstage), "a live in its backstage is not live");
        assertFalse(roomIds(home.get("openNow")).contains(secret), "a private room is never listed");
        JsonNode listed = find(home.get("liveFromFollowed"), space);
        assertEquals(host.name, listed.get("host").get("username").asText());
        assertTrue(listed.get("host").get("followedByMe").asBoolean());
        assertFalse(listed.get("remindMe").asBoolean());
        assertFalse(listed.get("invited").asBoolean());
        assertTrue(listed.get("room").get("people").asInt() >= 1);
        assertTrue(roomIds(other.get("/api/home").body().get("openNow")).contains(space));
        assertTrue(other.get("/api/home").body().get("liveFromFollowed").isEmpty(), "other follows nobody");
        JsonNode anonymous = new Person(url(), "anon").get("/api/home").body();
        assertTrue(anonymous.get("liveFromFollowed").isEmpty());
        assertTrue(roomIds(anonymous.get("openNow")).contains(space));
        assertTrue(ids(fan.get("/api/rooms").body().get("rooms")).contains(space));
        assertFalse(ids(fan.get("/api/rooms").body().get("rooms")).contains(backstage));
        JsonNode profile = fan.get("/api/users/" + host.name).body();
        assertEquals(List.of(space), ids(profile.get("openRooms")));
        assertEquals(List.of(later), ids(profile.get("upcomingRooms")));

        assertEquals(200, host.post("/api/rooms/" + backstage + "/go-live", Map.of()).status());
        assertTrue(roomIds(fan.get("/api/home").body().get("liveFromFollowed")).contains(backstage), "live once it is live");
        assertTrue(ids(fan.get("/api/rooms").body().get("rooms")).contains(backstage));

        assertEquals(204, host.post("/api/rooms/" + backstage + "/end", Map.of()).status());
        assertFalse(roomIds(fan.get("/api/home").body().get("openNow")).contains(backstage), "an ended live is gone");
        assertFalse(ids(fan.get("/api/rooms").body().get("rooms")).contains(backstage));
    }

    // ---- reports and admins ----

    @Test
    void reportsReachTheAdminsWithTheirContextAndAnAdminEndsTheRoom() throws Exception {
        Person host = account("streamer");
        Person viewer = account("viewer");
        Person reporter = account("reporter");
        String live = host.createRoom("live", Map.of());
        enter(host, live);
        RoomClient v = enter(viewer, live);
        RoomClient r = enter(reporter, live);
        v.send(Map.of("type", "comment", "text", "buy cheap followers here"));
        String commentId = v.awaitEvent("commentPosted", e -> e.path("comment").path("text").asText().startsWith("buy"))
                .get("comment").get("id").asText();

        Reply roomReport = reporter.post("/api/reports", Map.of("kind", "room", "roomId", live, "reason", "not what the title says"));
        assertEquals(201, roomReport.status(), roomReport.toString());
        assertEquals("room", roomReport.body().get("kind").asText());
        assertEquals("open", roomReport.body().get("state").asText());
        assertEquals(host.name + "'s live", roomReport.body().get("context").asText());
        assertEquals(host.name, roomReport.body().get("targetName").asText());
        assertEquals(reporter.name, roomReport.body().get("reporter").get("username").asText());
        assertEquals(live, roomReport.body().get("room").get("id").asText());

        Reply participant = reporter.post("/api/reports", Map.of("kind", "participant", "roomId", live,
                "participantId", v.participantId, "reason", "spam"));
        assertEquals(201, participant.status(), participant.toString());
        assertEquals(viewer.name, participant.body().get("targetName").asText());
        assertTrue(participant.body().get("context").asText().contains(viewer.name));
        // The live's own route tells the host and also files an admin report, once.
        assertEquals(204, reporter.post("/api/rooms/" + live + "/comments/" + commentId + "/report", Map.of("reason", "spam link")).status());
        assertEquals(204, reporter.post("/api/rooms/" + live + "/comments/" + commentId + "/report", Map.of()).status());

        // Bad input.
        assertRefused(reporter.post("/api/reports", Map.of("kind", "vibes", "roomId", live, "reason", "x")), 400, "bad_request");
        assertRefused(reporter.post("/api/reports", Map.of("kind", "room", "roomId", live, "reason", "  ")), 400, "bad_request");
        assertRefused(reporter.post("/api/reports", Map.of("kind", "room", "roomId", live, "reason", "x".repeat(501))), 400, "bad_request");
        assertRefused(reporter.post("/api/reports", Map.of("kind", "room", "roomId", "nosuchroom", "reason", "x")), 404, "not_found");
        assertRefused(reporter.post("/api/reports", Map.of("kind", "participant", "roomId", live, "participantId", "p-none",
                "reason", "x")), 404, "not_found");
        assertRefused(reporter.post("/api/reports", Map.of("kind", "comment", "roomId", live, "commentId", "c-none",
                "reason", "x")), 404, "not_found");
        assertRefused(new Person(url(), "anon").post("/api/reports", Map.of("kind", "room", "roomId", live, "reason", "x")), 401,
                "unauthenticated");
        assertRefused(Person.guest(url(), "Gus").post("/api/reports", Map.of("kind", "room", "roomId", live, "reason", "x")), 401,
                "unauthenticated");

        // Not an admin.
        assertFalse(reporter.get("/api/me").body().get("admin").asBoolean());
        assertRefused(reporter.get("/api/admin/reports"), 403, "not_allowed");
        assertRefused(reporter.post("/api/admin/rooms/" + live + "/end", Map.of()), 403, "not_allowed");
        assertRefused(new Person(url(), "anon").get("/api/admin/reports"), 401, "unauthenticated");

        // The admin sees all three with their context, newest first.
        assertTrue(founder.get("/api/me").body().get("admin").asBoolean(), "the first account is an admin");
        List<JsonNode> mine = reportsBy(founder.get("/api/admin/reports").body(), reporter.name);
        assertEquals(List.of("comment", "participant", "room"), mine.stream().map(n -> n.get("kind").asText()).toList());
        JsonNode comment = mine.get(0);
        assertEquals("buy cheap followers here", comment.get("context").asText());
        assertEquals(commentId, comment.get("commentId").asText());
        assertEquals(viewer.name, comment.get("targetName").asText());
        assertEquals("spam link", comment.get("reason").asText());
        // Who is reported, beside the reporter: the account's username and display name.
        assertEquals(List.of(viewer.name, viewer.name, host.name),
                mine.stream().map(n -> n.get("target").get("username").asText()).toList());
        assertEquals(viewer.get("/api/me").body().get("displayName").asText(), comment.get("target").get("displayName").asText());
        assertTrue(roomReport.body().get("target").isNull(), "the reporter is not told the account's username");

        // Dismiss one; end the room on another.
        assertEquals(204, founder.post("/api/admin/reports/" + mine.get(1).get("id").asText() + "/dismiss", Map.of()).status());
        assertRefused(founder.post("/api/admin/reports/99999999/dismiss", Map.of()), 404, "not_found");
        assertEquals(204, founder.post("/api/admin/rooms/" + live + "/end", Map.of("reportId", mine.get(2).get("id").asText())).status());
        JsonNode ended = r.awaitType("roomEnded");
        assertEquals("an admin ended this room", ended.get("message").asText());
        assertEquals("ended", viewer.get("/api/rooms/" + live).body().get("state").asText());
        assertRefused(founder.post("/api/admin/rooms/nosuchroom/end", Map.of()), 404, "not_found");

        List<JsonNode> open = reportsBy(founder.get("/api/admin/reports").body(), reporter.name);
        assertEquals(List.of("comment"), open.stream().map(n -> n.get("kind").asText()).toList());
        List<JsonNode> all = reportsBy(founder.get("/api/admin/reports?state=all").body(), reporter.name);
        assertEquals(List.of("open", "dismissed", "actioned"), all.stream().map(n -> n.get("state").asText()).toList());
        assertRefused(founder.get("/api/admin/reports?state=closed"), 400, "bad_request");

        JsonNode log = founder.get("/api/admin/actions").body().get("actions");
        assertEquals("end_room", log.get(0).get("action").asText());
        assertEquals(live, log.get(0).get("roomId").asText());
        assertEquals(host.name, log.get(0).get("account").asText());
        assertEquals(founder.name, log.get(0).get("admin").asText());
        assertEquals("dismiss", log.get(1).get("action").asText());
    }

    @Test
    void reportsAreLimitedPerAccount() throws Exception {
        Person host = account("busy");
        Person eager = account("eager");
        String room = host.createRoom("space", Map.of());
        for (int i = 0; i < REPORTS_PER_HOUR; i++) {
            assertEquals(201, eager.post("/api/reports", Map.of("kind", "room", "roomId", room, "reason", "again " + i)).status());
        }
        assertRefused(eager.post("/api/reports", Map.of("kind", "room", "roomId", room, "reason", "one more")), 429, "rate_limited");
        assertEquals(201, account("calm").post("/api/reports", Map.of("kind", "room", "roomId", room, "reason", "mine")).status(),
                "the limit is per account");
    }

    @Test
    void aSuspendedAccountCannotLogInHostOrJoinAndItsRoomsEnd() throws Exception {
        Person admin = account("x");
        assertFalse(admin.get("/api/me").body().get("admin").asBoolean());
        Person configured = new Person(url(), CONFIGURED_ADMIN);
        Reply signUp = configured.post("/api/accounts", Map.of("username", CONFIGURED_ADMIN, "password", "correct horse admin"));
        assertEquals(201, signUp.status(), signUp.toString());
        assertTrue(signUp.body().get("admin").asBoolean(), "people.admins makes an admin");

        Person bad = account("troll");
        Person guest = Person.guest(url(), "Gus");
        String key = bad.post("/api/me/api-keys", Map.of("name", "bot")).body().get("key").asText();
        String room = bad.createRoom("space", Map.of());
        String scheduled = bad.createRoom("space", Map.of("scheduledStart", java.time.Instant.now().plusSeconds(3600).toString()));
        String other = account("fine").createRoom("call", Map.of());
        enter(bad, room);
        RoomClient listener = enter(guest, room);
        String tokenBefore = bad.joinToken(other).body().get("token").asText();
        RoomClient inOther = enter(bad, other);

        assertRefused(bad.post("/api/admin/accounts/" + configured.name + "/suspend", Map.of("reason", "x")), 403, "not_allowed");
        assertRefused(configured.post("/api/admin/accounts/nobody_here/suspend", Map.of("reason", "spam")), 404, "not_found");
        assertRefused(configured.post("/api/admin/accounts/" + bad.name + "/suspend", Map.of()), 400, "bad_request");
        assertRefused(configured.post("/api/admin/accounts/" + configured.name + "/suspend", Map.of("reason", "me")), 400,
                "bad_request");
        assertEquals(204, configured.post("/api/admin/accounts/" + bad.name + "/suspend", Map.of("reason", "spam bot")).status());

        assertEquals("an admin ended this room", listener.awaitType("roomEnded").get("message").asText(), "its open room ends");
        assertEquals("ended", guest.get("/api/rooms/" + room).body().get("state").asText());
        assertEquals("ended", guest.get("/api/rooms/" + scheduled).body().get("state").asText(), "and its scheduled one");
        assertTrue(inOther.awaitType("removed").get("message").asText().contains("suspended"), "out of the rooms of others too");
        assertTrue(inOther.closedWithin(java.time.Duration.ofSeconds(10)));
        assertRefused(bad.get("/api/me"), 401, "unauthenticated");
        Reply logIn = bad.post("/api/sessions", Map.of("username", bad.name, "password", "correct horse " + bad.name));
        assertRefused(logIn, 403, "suspended");
        Person app = new Person(url(), "app");
        app.bearer = key;
        assertRefused(app.post("/api/rooms", Map.of("kind", "call", "title", "x")), 401, "unauthenticated");
        RoomClient late = RoomClient.open(url(), other);
        clients.add(late);
        late.send(Map.of("type", "join", "token", tokenBefore));
        late.awaitError("suspended");

        JsonNode log = configured.get("/api/admin/actions").body().get("actions");
        assertEquals("suspend", log.get(0).get("action").asText());
        assertEquals(bad.name, log.get(0).get("account").asText());
        assertEquals("spam bot", log.get(0).get("detail").asText());

        assertEquals(204, configured.post("/api/admin/accounts/" + bad.name + "/restore", Map.of()).status());
        assertEquals(200, bad.post("/api/sessions", Map.of("username", bad.name, "password", "correct horse " + bad.name)).status());
        assertEquals(201, bad.post("/api/rooms", Map.of("kind", "call", "title", "back")).status(), "restored: hosts again");
        assertEquals("restore", configured.get("/api/admin/actions").body().get("actions").get(0).get("action").asText());
    }

    // ---- helpers ----

    private static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out));
        return out.toByteArray();
    }

    private static List<String> names(JsonNode people) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : people) out.add(p.get("username").asText());
        return out;
    }

    private static List<String> ids(JsonNode rooms) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : rooms) out.add(r.get("id").asText());
        return out;
    }

    private static Set<String> roomIds(JsonNode homeRooms) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : homeRooms) out.add(r.get("room").get("id").asText());
        return out;
    }

    private static JsonNode find(JsonNode homeRooms, String id) {
        for (JsonNode r : homeRooms) if (r.get("room").get("id").asText().equals(id)) return r;
        throw new AssertionError("no room " + id + " in " + homeRooms);
    }

    private static List<JsonNode> reportsBy(JsonNode list, String reporter) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : list.get("reports")) if (r.get("reporter").get("username").asText().equals(reporter)) out.add(r);
        assertNotNull(list);
        return out;
    }
}
