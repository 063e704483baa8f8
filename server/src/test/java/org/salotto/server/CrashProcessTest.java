package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salotto.server.Person.Reply;

/**
 * A write the server confirmed (answered 2xx) is still there after {@code kill -9}: {@code salotto serve} in a child
 * JVM takes a few hundred writes of every kind through the HTTP API and the room WebSocket (accounts, rooms, PATCH,
 * API keys, bans, blocks), is killed with SIGKILL right after the last answer, and is started again on the same
 * database, which must hold every one of them. Three crashes in a row, on the embedded default (compacted every few
 * dozen writes while running, so that kills land around its rewrites) and on PostgreSQL.
 */
class CrashProcessTest {
    private static final int CRASHES = 3;
    /** Accounts per round; each makes six confirmed writes (account, room, PATCH, API key, a ban, a block). */
    private static final int ACCOUNTS_PER_ROUND = 20;

    @TempDir
    Path dir;

    @Test
    void embeddedDatabaseKeepsEveryConfirmedWriteThroughKill9() throws Exception {
        // A small growth threshold: the file is rewritten every few dozen writes, so the kills land around rewrites.
        crashAndCheck("data-dir = \"%s\"\ndatabase.embedded-compact-growth = 256k"
                .formatted(dir.resolve("data").toString().replace("\\", "\\\\")));
    }

    @Test
    void postgresKeepsEveryConfirmedWriteThroughKill9() throws Exception {
        String schema = "salotto_crash_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
        try (Connection c = DriverManager.getConnection(ServerFixture.POSTGRES, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try {
            crashAndCheck("database { url = \"%s?currentSchema=%s\", user = postgres }".formatted(ServerFixture.POSTGRES, schema));
        } finally {
            try (Connection c = DriverManager.getConnection(ServerFixture.POSTGRES, "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** What one account did and the server confirmed: each part is checked after every crash that follows. */
    private record Confirmed(String username, String password, String roomId, String title, String apiKeyId,
                             Person banned, String blockedName) {
    }

    private void crashAndCheck(String databaseSettings) throws Exception {
        Path config = dir.resolve("salotto.conf");
        // Every simulated person comes from 127.0.0.1: the per-address limits would refuse the burst itself.
        Files.writeString(config, "http.port = 0\nmedia.port = 0\n" + databaseSettings + "\n"
                + "limits { guest-tokens-per-address = 0, join-tokens-per-address = 0, login-per-address = 0,"
                + " rooms-per-account = 0, connections-per-address = 0 }\n");
        List<Confirmed> confirmed = new ArrayList<>();
        for (int crash = 1; crash <= CRASHES; crash++) {
            ServerProcess server = ServerProcess.start(config);
            try {
                if (crash > 1) checkAll(server, confirmed, "after crash " + (crash - 1));
                for (int i = 0; i < ACCOUNTS_PER_ROUND; i++) confirmed.add(writeAll(server.url(), crash, i));
                server.kill(); // SIGKILL right after the last confirmed write: nothing gets to flush
            } finally {
                server.kill();
            }
        }
        ServerProcess last = ServerProcess.start(config);
        try {
            checkAll(last, confirmed, "after crash " + CRASHES);
        } finally {
            last.kill();
        }
    }

    /** One account's six writes, each asserted to be confirmed. */
    private static Confirmed writeAll(String url, int crash, int i) throws Exception {
        String username = ServerFixture.uniqueName("crash" + crash + "_");
        Person host = Person.account(url, username); // 201 checked there
        String roomId = host.createRoom("call", Map.of()); // 201 checked there
        String title = "renamed " + crash + "." + i;
        expect(200, host.patch("/api/rooms/" + roomId, Map.of("title", title)), "PATCH");
        Reply key = host.post("/api/me/api-keys", Map.of("name", "key " + i));
        expect(201, key, "API key");

        Person banned = Person.guest(url, "banned " + crash + "." + i);
        try (RoomClient b = banned.enter(roomId)) {
            expect(204, host.post("/api/rooms/" + roomId + "/participants/" + b.participantId + "/remove", null), "remove");
        }
        Person blocked = Person.guest(url, "blocked " + crash + "." + i);
        try (RoomClient b = blocked.enter(roomId)) {
            expect(204, host.post("/api/rooms/" + roomId + "/participants/" + b.participantId + "/block", null), "block");
        }
        return new Confirmed(username, "correct horse " + username, roomId, title, key.body().get("id").asText(),
                banned, blocked.name);
    }

    private static void checkAll(ServerProcess server, List<Confirmed> confirmed, String when) throws Exception {
        List<String> missing = new ArrayList<>();
        for (Confirmed c : confirmed) {
            Person again = new Person(server.url(), c.username());
            Reply login = again.post("/api/sessions", Map.of("username", c.username(), "password", c.password()));
            if (login.status() != 200) {
                missing.add(c.username() + ": the account (log in answered " + login + ")");
                continue;
            }
            Reply room = again.get("/api/rooms/" + c.roomId());
            if (room.status() != 200) missing.add(c.username() + ": room " + c.roomId() + " (" + room + ")");
            else if (!c.title().equals(room.body().get("title").asText())) {
                missing.add(c.username() + ": the PATCH of room " + c.roomId() + " (title " + room.body().get("title") + ")");
            }
            Set<String> keys = new HashSet<>();
            for (JsonNode k : again.get("/api/me/api-keys").body().get("apiKeys")) keys.add(k.get("id").asText());
            if (!keys.contains(c.apiKeyId())) missing.add(c.username() + ": API key " + c.apiKeyId());
            Set<String> blocks = new HashSet<>();
            for (JsonNode b : again.get("/api/me/blocks").body().get("blocks")) blocks.add(b.get("name").asText());
            if (!blocks.contains(c.blockedName())) missing.add(c.username() + ": the block of " + c.blockedName());
            Person banned = new Person(server.url(), c.banned().name);
            banned.guestToken = c.banned().guestToken;
            banned.bearer = c.banned().bearer;
            Reply join = banned.joinToken(c.roomId());
            if (join.status() != 403 || !"banned".equals(join.code())) {
                missing.add(c.username() + ": the ban of " + banned.name + " (join answered " + join + ")");
            }
        }
        assertTrue(missing.isEmpty(), when + ", " + missing.size() + " of " + confirmed.size() * 6
                + " confirmed writes are missing:\n" + String.join("\n", missing) + "\nserver log:\n" + server.output());
    }

    private static void expect(int status, Reply reply, String what) {
        assertEquals(status, reply.status(), what + ": " + reply);
    }
}
