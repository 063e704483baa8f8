package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salotto.server.Person.Reply;

/**
 * Reminders are durable: {@code salotto serve} in a child JVM is killed with SIGKILL right after a room is scheduled
 * (invitee C) and D asked to be reminded, started again, killed again as soon as the lead-time reminder reached them,
 * and started once more: C and D each get the reminder at the lead time and the start notice at the start, exactly
 * once each, through two crashes.
 */
class ReminderCrashProcessTest {
    /** The test configuration's lead: long enough for a restart (a few seconds) to come before the reminder is due. */
    private static final Duration LEAD = Duration.ofSeconds(20);
    /** How late a notification may be written after it is due (or after the server is back, if it came back later). */
    private static final Duration SLACK = Duration.ofSeconds(4);

    @TempDir
    Path dir;

    @Test
    void remindersFireOnceOnTimeThroughKill9() throws Exception {
        Path config = dir.resolve("salotto.conf");
        Files.writeString(config, "http.port = 0\nmedia.port = 0\ndata-dir = \"%s\"\n".formatted(
                dir.resolve("data").toString().replace("\\", "\\\\"))
                + "limits { guest-tokens-per-address = 0, join-tokens-per-address = 0, login-per-address = 0,"
                + " rooms-per-account = 0, connections-per-address = 0 }\n"
                + "notifications { reminder-lead = 20s, poll-interval = 500ms, keepalive = 2s }\n");
        ServerProcess server = ServerProcess.start(config);
        Instant start;
        String room;
        try {
            Person b = Person.account(server.url(), "bea");
            Person.account(server.url(), "cleo");
            Person d = Person.account(server.url(), "dan");
            start = Instant.now().plusSeconds(45).truncatedTo(ChronoUnit.SECONDS);
            Reply r = b.post("/api/rooms", Map.of("kind", "live", "title", "Sunday jam", "scheduledStart", start.toString(),
                    "invitees", List.of("cleo")));
            assertEquals(201, r.status(), r.toString());
            room = r.body().get("id").asText();
            assertEquals(204, d.put("/api/rooms/" + room + "/reminder", Map.of()).status());
        } finally {
            server.kill(); // SIGKILL right after the last confirmed write
        }
        Instant due = start.minus(LEAD);

        server = ServerProcess.start(config);
        // On a loaded machine the server may be back only after the reminder was due: then it is due at once.
        Instant expected = latest(due, Instant.now());
        try {
            Person c = logIn(server.url(), "cleo");
            Person d = logIn(server.url(), "dan");
            try (NotificationEvents cs = c.notifications("0"); NotificationEvents ds = d.notifications("0")) {
                JsonNode reminder = await(cs, "reminder", Duration.ofSeconds(90));
                ds.awaitNotification("reminder");
                Instant at = Instant.parse(reminder.get("createdAt").asText());
                assertFalse(at.isBefore(due), "not before the lead time: " + at);
                assertTrue(at.isBefore(expected.plus(SLACK)), "on time: due " + due + ", expected by " + expected + ", written " + at);
                assertEquals(room, reminder.get("roomId").asText());
            }
        } finally {
            server.kill(); // between the reminder and the start
        }

        server = ServerProcess.start(config);
        Instant expectedStart = latest(start, Instant.now());
        try {
            Person c = logIn(server.url(), "cleo");
            Person d = logIn(server.url(), "dan");
            for (Person p : List.of(c, d)) {
                try (NotificationEvents s = p.notifications("0")) {
                    JsonNode now = await(s, "room_starting", Duration.ofSeconds(90));
                    Instant at = Instant.parse(now.get("createdAt").asText());
                    assertFalse(at.isBefore(start), "not before the start: " + at);
                    assertTrue(at.isBefore(expectedStart.plus(SLACK)), "on time: " + at + ", expected by " + expectedStart);
                }
            }
            assertEquals(List.of("room_starting", "reminder", "room_scheduled"), types(c), "cleo: each once");
            assertEquals(List.of("room_starting", "reminder"), types(d), "dan: each once");
        } finally {
            server.kill();
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static JsonNode await(NotificationEvents s, String type, Duration timeout) throws InterruptedException {
        return s.await(timeout, e -> e.event().equals("notification") && e.data().get("type").asText().equals(type)).data();
    }

    private static Person logIn(String url, String username) throws Exception {
        Person p = new Person(url, username);
        Reply r = p.post("/api/sessions", Map.of("username", username, "password", "correct horse " + username));
        assertEquals(200, r.status(), r.toString());
        return p;
    }

    private static List<String> types(Person p) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode n : p.get("/api/me/notifications").body().get("notifications")) out.add(n.get("type").asText());
        return out;
    }
}
