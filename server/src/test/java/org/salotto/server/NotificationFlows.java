package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.notify.NotificationsConfig;
import org.salotto.rooms.people.PeopleConfig;
import org.salotto.server.Person.Reply;

/**
 * Notifications end to end on the real server (embedded database and PostgreSQL subclasses): followers told when a
 * space opens or a live goes live, in real time on their stream and in their inbox; the host told of a raised hand;
 * a co-host told; a scheduled room's invitees and reminded people told at the lead time and at the start, once each;
 * changes and cancellation; bad input. Follows are rows written straight into the database (the follow routes are
 * another part of issue 13).
 */
abstract class NotificationFlows {
    /** A short reminder lead, keepalive and poll: the test configuration, so that the reminders come within the test. */
    static final Duration LEAD = Duration.ofSeconds(2);
    static ServerFixture fixture;

    /** A username the configuration makes an admin (who ends rooms and suspends accounts). */
    static final String ADMIN = "ntf_admin";

    static ServerConfig config(ServerConfig c) {
        return c.withNotifications(NotificationsConfig.defaults().withReminderLead(LEAD).withKeepalive(Duration.ofSeconds(1)))
                .withPeople(PeopleConfig.defaults().withAdmins(List.of(ADMIN)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) fixture.close();
        fixture = null;
    }

    Person account(String name) throws Exception {
        return Person.account(fixture.url(), ServerFixture.uniqueName(name));
    }

    private Connection db() throws Exception {
        var d = fixture.config.databaseConfig();
        return DriverManager.getConnection(d.url(), d.user(), d.password());
    }

    /** {@code follower} follows {@code followee}: a row of follows, as the follow route writes it. */
    void follow(Person follower, Person followee) throws Exception {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("INSERT INTO follows (follower_id, followee_id, at) "
                + "SELECT f.id, e.id, CURRENT_TIMESTAMP FROM accounts f, accounts e WHERE f.username = ? AND e.username = ?")) {
            ps.setString(1, follower.name);
            ps.setString(2, followee.name);
            assertEquals(1, ps.executeUpdate());
            if (!c.getAutoCommit()) c.commit();
        }
    }

    int pendingJobs(String roomId) throws Exception {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM notification_jobs WHERE room_id = ?")) {
            ps.setString(1, roomId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static List<String> types(JsonNode page) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : page.get("notifications")) out.add(n.get("type").asText());
        return out;
    }

    @Test
    void followersAreToldInRealTimeWhenASpaceOpensAndReadMarksUpdateTheirStreams() throws Exception {
        Person b = account("bea");
        Person a = account("ann");
        Person c = account("cid");
        Person stranger = account("stranger");
        follow(a, b);
        follow(c, b);
        try (NotificationEvents aStream = a.notifications(null); NotificationEvents strangerStream = stranger.notifications(null)) {
            assertEquals(200, aStream.status());
            assertEquals(0, aStream.awaitUnread(), "a stream starts with the unread count");
            String room = b.createRoom("space", Map.of());
            b.enter(room);
            NotificationEvents.Event e = aStream.awaitNotification("space_opened");
            JsonNode n = e.data();
            assertEquals(e.id(), n.get("id").asText(), "the event id is the notification id (Last-Event-ID)");
            assertEquals("/r/" + room, n.get("link").asText());
            assertEquals(room, n.get("roomId").asText());
            assertEquals(b.name, n.get("actor").get("username").asText());
            assertTrue(n.get("actor").get("avatarUrl").isNull());
            assertTrue(n.get("text").asText().contains("opened a space"), n.toString());
            assertFalse(n.get("read").asBoolean());

            JsonNode inbox = a.get("/api/me/notifications").body();
            assertEquals(List.of("space_opened"), types(inbox));
            assertEquals(1, inbox.get("unread").asInt());
            assertTrue(inbox.get("next").isNull());
            assertEquals(List.of("space_opened"), types(c.get("/api/me/notifications").body()));
            assertEquals(List.of(), types(stranger.get("/api/me/notifications").body()), "only followers");
            assertEquals(List.of(), types(b.get("/api/me/notifications").body()), "not the host");

            assertEquals(204, a.post("/api/me/notifications/read", Map.of("ids", List.of(n.get("id").asText()))).status());
            assertEquals(0, aStream.awaitUnread());
            assertEquals(0, a.get("/api/me/notifications").body().get("unread").asInt());
            assertTrue(a.get("/api/me/notifications").body().get("notifications").get(0).get("read").asBoolean());

            // The host comes back after leaving: nobody is told twice of the same room.
            try (NotificationEvents again = a.notifications(e.id())) {
                b.enter(room);
                assertEquals(0, again.awaitUnread());
                assertEquals(List.of("space_opened"), types(a.get("/api/me/notifications").body()));
            }
            assertTrue(strangerStream.drain().stream().noneMatch(x -> x.event().equals("notification")));
        }
    }

    @Test
    void aLiveGoingLiveTellsFollowersAndAStreamResumesAfterItsLastEventId() throws Exception {
        Person b = account("liv");
        Person a = account("fan");
        follow(a, b);
        String room = b.createRoom("live", Map.of("practice", true));
        b.enter(room);
        assertEquals(List.of(), types(a.get("/api/me/notifications").body()), "a backstage is not live");
        assertEquals(200, b.post("/api/rooms/" + room + "/go-live", Map.of()).status());
        JsonNode first = awaitInbox(a, "went_live");
        assertTrue(first.get("text").asText().startsWith(b.name) || first.get("text").asText().contains("went live"), first.toString());
        // A tab that missed it (it was offline) gets it on connecting with the id before it.
        long id = Long.parseLong(first.get("id").asText());
        try (NotificationEvents resumed = a.notifications(Long.toString(id - 1))) {
            assertEquals(first.get("id").asText(), resumed.awaitNotification("went_live").id());
        }
        // A private room tells nobody: a public one opened after it is the last thing the follower hears of.
        String secret = b.createRoom("space", Map.of("visibility", "private"));
        b.enter(secret);
        String open = b.createRoom("space", Map.of());
        b.enter(open);
        assertEquals(open, awaitInbox(a, "space_opened").get("roomId").asText());
        assertEquals(List.of("space_opened", "went_live"), types(a.get("/api/me/notifications").body()));
    }

    @Test
    void theHostHearsOfARaisedHandAndACoHostOfTheirRole() throws Exception {
        Person b = account("hst");
        Person l = account("lis");
        Person guest = Person.guest(fixture.url(), "Gus");
        String room = b.createRoom("space", Map.of());
        b.enter(room);
        RoomClient listener = l.enter(room);
        RoomClient g = guest.enter(room);
        try (NotificationEvents bStream = b.notifications(null); NotificationEvents lStream = l.notifications(null)) {
            g.send(Map.of("type", "raiseHand"));
            JsonNode raised = bStream.awaitNotification("hand_raised").data();
            assertTrue(raised.get("actor").isNull(), "a guest is no account");
            assertTrue(raised.get("text").asText().startsWith("Gus asks to join the stage"), raised.toString());
            Reply r = b.put("/api/rooms/" + room + "/participants/" + listener.participantId + "/role", Map.of("role", "co_host"));
            assertEquals(200, r.status(), r.toString());
            JsonNode made = lStream.awaitNotification("made_cohost").data();
            assertEquals(b.name, made.get("actor").get("username").asText());
            assertEquals("/r/" + room, made.get("link").asText());
        }
    }

    @Test
    void aScheduledRoomRemindsItsInviteesAndRemindedPeopleAtTheLeadTimeAndAtTheStartOnceEach() throws Exception {
        Person b = account("sch");
        Person c = account("inv");
        Person d = account("rem");
        Person f = account("flw");
        follow(f, b);
        Instant start = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (NotificationEvents cStream = c.notifications(null); NotificationEvents dStream = d.notifications(null)) {
            Reply created = b.post("/api/rooms", Map.of("kind", "live", "title", "Sunday jam", "scheduledStart", start.toString(),
                    "invitees", List.of(c.name.toUpperCase())));
            assertEquals(201, created.status(), created.toString());
            String room = created.body().get("id").asText();
            assertEquals("scheduled", created.body().get("state").asText());
            cStream.awaitNotification("room_scheduled");
            assertEquals(List.of("room_scheduled"), types(awaitInboxBody(f, 1)), "followers hear of it too");
            assertEquals(204, d.put("/api/rooms/" + room + "/reminder", Map.of()).status());
            assertEquals(204, d.put("/api/rooms/" + room + "/reminder", Map.of()).status(), "idempotent");

            JsonNode soon = cStream.awaitNotification("reminder").data();
            Instant due = start.minus(LEAD);
            Instant at = Instant.parse(soon.get("createdAt").asText());
            assertFalse(at.isBefore(due), "not before the lead time: " + at + " < " + due);
            assertTrue(at.isBefore(due.plusSeconds(2)), "on time: " + at);
            assertTrue(soon.get("text").asText().contains("starts in 2 seconds"), soon.toString());
            dStream.awaitNotification("reminder");
            JsonNode now = cStream.awaitNotification("room_starting").data();
            assertFalse(Instant.parse(now.get("createdAt").asText()).isBefore(start));
            dStream.awaitNotification("room_starting");
            assertEquals(0, pendingJobs(room), "every job done and gone");
            assertEquals(List.of("room_starting", "reminder", "room_scheduled"), types(c.get("/api/me/notifications").body()));
            assertEquals(List.of("room_starting", "reminder"), types(d.get("/api/me/notifications").body()));
            assertEquals(List.of("room_starting", "reminder", "room_scheduled"), types(awaitInboxBody(f, 3)),
                    "followers of the host of a public room are reminded too, once each");
        }
    }

    @Test
    void movingAScheduledRoomTellsItsPeopleAndMovesTheRemindersAndEndingItCancels() throws Exception {
        Person b = account("mov");
        Person c = account("inv");
        Instant start = Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String room = b.createRoom("space", Map.of("scheduledStart", start.toString(), "invitees", List.of(c.name)));
        awaitInboxBody(c, 1);
        assertEquals(2, pendingJobs(room), "the reminder and the start");
        Instant later = start.plus(Duration.ofHours(1));
        Reply moved = b.patch("/api/rooms/" + room, Map.of("scheduledStart", later.toString(), "title", "Later jam"));
        assertEquals(200, moved.status(), moved.toString());
        assertEquals(later.toString(), moved.body().get("scheduledStart").asText());
        JsonNode page = awaitInboxBody(c, 3);
        assertEquals(List.of("room_changed", "room_changed", "room_scheduled"), types(page));
        assertEquals(2, pendingJobs(room), "the reminders moved, not doubled");

        assertEquals(204, b.post("/api/rooms/" + room + "/end", Map.of()).status());
        JsonNode cancelled = awaitInbox(c, "room_cancelled");
        assertTrue(cancelled.get("text").asText().contains("cancelled"), cancelled.toString());
        assertEquals(0, pendingJobs(room), "no reminder of a cancelled room");
        Reply refused = c.put("/api/rooms/" + room + "/reminder", Map.of());
        assertEquals(409, refused.status());
        assertEquals("conflict", refused.code());
        Reply late = b.patch("/api/rooms/" + room, Map.of("scheduledStart", later.toString()));
        assertEquals(409, late.status());
    }

    @Test
    void anAdminEndingAScheduledRoomOrSuspendingItsHostCancelsItForItsPeople() throws Exception {
        Person admin = Person.account(fixture.url(), ADMIN);
        Person b = account("sch");
        Person c = account("inv");
        Person d = account("rem");
        Instant start = Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String room = b.createRoom("space", Map.of("scheduledStart", start.toString(), "invitees", List.of(c.name)));
        assertEquals(204, d.put("/api/rooms/" + room + "/reminder", Map.of()).status());
        awaitInbox(c, "room_scheduled");
        assertEquals(204, admin.post("/api/admin/rooms/" + room + "/end", Map.of()).status());
        JsonNode cancelled = awaitInbox(c, "room_cancelled");
        assertTrue(cancelled.get("text").asText().contains("cancelled"), cancelled.toString());
        assertEquals(room, cancelled.get("roomId").asText());
        assertEquals(room, awaitInbox(d, "room_cancelled").get("roomId").asText(), "the people reminded too");
        assertEquals(0, pendingJobs(room), "no reminder of a room an admin ended");

        // Suspending a host cancels its scheduled rooms the same way.
        Person e = account("sus");
        Person f = account("inv");
        String other = e.createRoom("live", Map.of("scheduledStart", start.toString(), "invitees", List.of(f.name)));
        awaitInbox(f, "room_scheduled");
        assertEquals(204, admin.post("/api/admin/accounts/" + e.name + "/suspend", Map.of("reason", "spam")).status());
        assertEquals(other, awaitInbox(f, "room_cancelled").get("roomId").asText());
        assertEquals(0, pendingJobs(other));
    }

    @Test
    void badInputIsAnsweredWithClearErrors() throws Exception {
        Person b = account("bad");
        Instant start = Instant.now().plus(Duration.ofHours(1));
        Reply unknown = b.post("/api/rooms", Map.of("kind", "space", "title", "x", "scheduledStart", start.toString(),
                "invitees", List.of("nobody_here_1", "nobody_here_2")));
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.code());
        assertTrue(unknown.body().get("error").get("message").asText().contains("nobody_here_1, nobody_here_2"), unknown.toString());
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) many.add("u" + i);
        Reply tooMany = b.post("/api/rooms", Map.of("kind", "space", "title", "x", "scheduledStart", start.toString(), "invitees", many));
        assertEquals(400, tooMany.status());
        Reply notScheduled = b.post("/api/rooms", Map.of("kind", "space", "title", "x", "invitees", List.of(b.name)));
        assertEquals(400, notScheduled.status());
        Reply notArray = b.post("/api/rooms", Map.of("kind", "space", "title", "x", "invitees", "ann"));
        assertEquals(400, notArray.status());
        String open = b.createRoom("space", Map.of());
        Reply remind = b.put("/api/rooms/" + open + "/reminder", Map.of());
        assertEquals(409, remind.status());
        assertEquals("conflict", remind.code());
        assertEquals(400, b.get("/api/me/notifications?limit=0").status());
        assertEquals(400, b.get("/api/me/notifications?before=abc").status());
        assertEquals(400, b.post("/api/me/notifications/read", Map.of()).status());
        Person guest = Person.guest(fixture.url(), "G");
        assertEquals(401, guest.get("/api/me/notifications").status());
        try (NotificationEvents s = guest.notifications(null)) {
            assertEquals(401, s.status());
        }
        try (NotificationEvents s = b.notifications("not-a-number")) {
            assertEquals(400, s.status());
        }
    }

    @Test
    void anIdleStreamGetsKeepalives() throws Exception {
        Person a = account("idl");
        try (NotificationEvents s = a.notifications(null)) {
            assertEquals(0, s.awaitUnread());
            s.awaitComments(3, Duration.ofSeconds(5));
            assertTrue(s.comments() >= 3, "the first line and keepalives every second: " + s.comments());
        }
    }

    /** The newest notification of the inbox once it has this type (the fan-out is asynchronous: waits on the stream). */
    JsonNode awaitInbox(Person p, String type) throws Exception {
        return NotificationEvents.awaitInboxOf(p, type, Duration.ofSeconds(30));
    }

    JsonNode awaitInboxBody(Person p, int count) throws Exception {
        return NotificationEvents.awaitInbox(p, page -> page.get("notifications").size() >= count, Duration.ofSeconds(30),
                p.name + " has fewer than " + count + " notifications");
    }
}
