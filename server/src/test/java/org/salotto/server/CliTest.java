package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salotto.server.cli.Cli;
import org.salotto.server.cli.CliContext;
import picocli.CommandLine;

/**
 * Every command of the {@code salotto} command line, run in-process as a person types it, its output and exit status
 * read as they would (docs/operations.md, "The command line"): against the real server for the rooms, against a
 * receiver the test runs for the webhook routes (another part of issue 14 adds them to the server).
 */
class CliTest {
    private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");
    private static ServerFixture fixture;
    private static String apiKey;
    private static Person host;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded();
        host = Person.account(fixture.url(), ServerFixture.uniqueName("cli"));
        Person.Reply key = host.post("/api/me/api-keys", Map.of("name", "cli"));
        assertEquals(201, key.status(), key.toString());
        apiKey = key.body().get("key").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** What one command printed, and its exit status. */
    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\nout: " + out + "\nerr: " + err;
        }
    }

    private Run run(Map<String, String> env, String... args) {
        Map<String, String> e = new HashMap<>(env);
        // Never the home of whoever runs the tests.
        e.putIfAbsent("HOME", temp.toString());
        CommandLine cli = Cli.commandLine(new CliContext(e, Clock.fixed(NOW, ZoneOffset.UTC)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private Map<String, String> withKey() {
        return Map.of("SALOTTO_API_KEY", apiKey, "SALOTTO_SERVER", fixture.url());
    }

    private static JsonNode part(String jwt, int i) throws Exception {
        return Person.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]));
    }

    @Test
    void everyCommandAnswersHelp() {
        List<String> commands = List.of("", "serve", "token", "token create", "rooms", "rooms list", "rooms create",
                "rooms end", "webhooks", "webhooks test", "webhooks replay");
        for (String command : commands) {
            List<String> args = new java.util.ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
            args.add("--help");
            Run r = run(Map.of(), args.toArray(String[]::new));
            assertEquals(0, r.status(), command + ": " + r);
            assertTrue(r.out().startsWith("Usage: salotto" + (command.isEmpty() ? "" : " " + command) + " "), command + ": " + r);
            assertTrue(r.out().contains("--help"), command);
        }
        Run root = run(Map.of(), "--help");
        for (String c : List.of("token", "rooms", "webhooks", "serve")) assertTrue(root.out().contains("  " + c + " "), c);
    }

    @Test
    void tokenCreateMintsTheJwtOfTheContractOffline() throws Exception {
        Run r = run(Map.of("SALOTTO_API_KEY", apiKey, "SALOTTO_SERVER", "http://127.0.0.1:1"), "token", "create",
                "--room", "r8fk2", "--identity", "user-42", "--name", "Ada", "--grant", "publish:camera,microphone",
                "--grant", "subscribe", "--role", "speaker", "--ttl", "2h", "--metadata", "{\"team\":7}");
        assertEquals(0, r.status(), r.toString());
        String jwt = r.out().strip();
        assertEquals(3, jwt.split("\\.").length, jwt);
        String keyId = apiKey.substring(3, 15);
        JsonNode header = part(jwt, 0);
        assertEquals("HS256", header.get("alg").asText());
        assertEquals("JWT", header.get("typ").asText());
        assertEquals(keyId, header.get("kid").asText());
        JsonNode claims = part(jwt, 1);
        assertEquals("user-42", claims.get("sub").asText());
        assertEquals("r8fk2", claims.get("room").asText());
        assertEquals("Ada", claims.get("name").asText());
        assertEquals("{\"team\":7}", claims.get("metadata").asText());
        assertEquals(keyId, claims.get("iss").asText());
        assertEquals(NOW.getEpochSecond(), claims.get("iat").asLong());
        assertEquals(NOW.getEpochSecond() + 7200, claims.get("exp").asLong());
        assertFalse(claims.has("jti"));
        JsonNode grants = claims.get("grants");
        assertTrue(grants.get("join").asBoolean());
        assertEquals("[\"camera\",\"microphone\"]", grants.get("publish").toString());
        assertTrue(grants.get("subscribe").asBoolean());
        assertFalse(grants.get("admin").asBoolean());
        assertFalse(grants.get("hidden").asBoolean());
        assertEquals("speaker", grants.get("role").asText());

        // The signature, checked as RFC 7515 says: HMAC-SHA256 of header.payload with the key's whole text.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(apiKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal(jwt.substring(0, jwt.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
        assertTrue(MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(jwt.split("\\.")[2])), "signature");
        assertTrue(r.err().contains("publish camera+microphone, subscribe"), r.err());

        // No grant at all: join and subscribe. --once: a jti. --hidden, admin.
        JsonNode plain = part(run(Map.of("SALOTTO_API_KEY", apiKey), "token", "create", "--room", "r1", "--identity", "v",
                "--once").out().strip(), 1);
        assertEquals("[]", plain.get("grants").get("publish").toString());
        assertTrue(plain.get("grants").get("subscribe").asBoolean());
        assertEquals(NOW.getEpochSecond() + 3600, plain.get("exp").asLong(), "an hour by default");
        assertTrue(plain.get("jti").asText().length() >= 16);
        JsonNode hidden = part(run(Map.of("SALOTTO_API_KEY", apiKey), "token", "create", "--room", "r1", "--identity", "h",
                "--hidden", "--grant", "admin").out().strip(), 1).get("grants");
        assertTrue(hidden.get("hidden").asBoolean());
        assertTrue(hidden.get("admin").asBoolean());
        assertFalse(hidden.get("subscribe").asBoolean(), "with some --grant, exactly those");
    }

    @Test
    void tokenCreateReadsTheConfigFileAndSaysWhatToTypeWhenSomethingIsWrong() throws Exception {
        Run noKey = run(Map.of(), "token", "create", "--room", "r1", "--identity", "u");
        assertEquals(2, noKey.status(), noKey.toString());
        assertTrue(noKey.err().contains("export SALOTTO_API_KEY=sk_"), noKey.err());
        assertEquals("", noKey.out());

        Path conf = temp.resolve(".config/salotto/cli.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "# salotto's command line\napi-key = \"" + apiKey + "\"\n");
        Run fromFile = run(Map.of(), "token", "create", "--room", "r1", "--identity", "u");
        assertEquals(0, fromFile.status(), fromFile.toString());
        assertEquals(apiKey.substring(3, 15), part(fromFile.out().strip(), 0).get("kid").asText());

        Map<String, String> key = Map.of("SALOTTO_API_KEY", apiKey);
        Run grant = run(key, "token", "create", "--room", "r1", "--identity", "u", "--grant", "publish:webcam");
        assertEquals(2, grant.status());
        assertTrue(grant.err().contains("give camera, microphone or screen"), grant.err());
        Run unknownGrant = run(key, "token", "create", "--room", "r1", "--identity", "u", "--grant", "speak");
        assertTrue(unknownGrant.err().contains("publish:camera,microphone,screen"), unknownGrant.err());
        Run ttl = run(key, "token", "create", "--room", "r1", "--identity", "u", "--ttl", "25h");
        assertEquals(2, ttl.status());
        assertTrue(ttl.err().contains("at most 24h"), ttl.err());
        Run badTtl = run(key, "token", "create", "--room", "r1", "--identity", "u", "--ttl", "soon");
        assertTrue(badTtl.err().contains("90s, 15m, 2h or 1h30m"), badTtl.err());
        Run role = run(key, "token", "create", "--room", "r1", "--identity", "u", "--role", "king");
        assertTrue(role.err().contains("co_host"), role.err());
        Run missing = run(key, "token", "create", "--identity", "u");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("Missing required option: '--room=ROOM'"), missing.err());
        Run typo = run(key, "tokn", "create");
        assertEquals(2, typo.status());
        assertTrue(typo.err().contains("token"), typo.err());
        Run bare = run(key, "token");
        assertEquals(2, bare.status());
        assertTrue(bare.err().contains("salotto token create"), bare.err());
        Run notAKey = run(Map.of("SALOTTO_API_KEY", "hunter2"), "token", "create", "--room", "r1", "--identity", "u");
        assertTrue(notAKey.err().contains("starts with sk_"), notAKey.err());
    }

    @Test
    void roomsAreCreatedListedAndEndedThroughTheApi() throws Exception {
        Run created = run(withKey(), "rooms", "create", "--kind", "space", "--title", "Made from the CLI", "--knock");
        assertEquals(0, created.status(), created.toString());
        String id = created.out().strip().split("\\s+")[0];
        assertTrue(created.out().contains(fixture.url() + "/r/" + id), created.out());
        Person.Reply room = host.get("/api/rooms/" + id);
        assertEquals("Made from the CLI", room.body().get("title").asText());
        assertEquals("space", room.body().get("kind").asText());
        assertTrue(room.body().get("knock").asBoolean());

        Run list = run(withKey(), "rooms", "list");
        assertEquals(0, list.status(), list.toString());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("space") && l.contains("Made from the CLI")),
                list.out());
        Run json = run(withKey(), "rooms", "list", "--json");
        assertEquals(id, Person.JSON.readTree(json.out()).get("rooms").get(0).get("id").asText(), json.out());
        Run publicRooms = run(withKey(), "rooms", "list", "--public");
        assertEquals(0, publicRooms.status(), publicRooms.toString());
        assertTrue(publicRooms.out().startsWith("ID"), publicRooms.out());

        Run ended = run(withKey(), "rooms", "end", id);
        assertEquals(0, ended.status(), ended.toString());
        assertEquals("ended " + id, ended.out().strip());
        assertEquals("ended", host.get("/api/rooms/" + id).body().get("state").asText());

        Run kind = run(withKey(), "rooms", "create", "--kind", "party", "--title", "x");
        assertEquals(2, kind.status());
        assertTrue(kind.err().contains("give call, live or space"), kind.err());
        Run unknown = run(withKey(), "rooms", "end", "no-such-room");
        assertEquals(1, unknown.status(), unknown.toString());
        assertTrue(unknown.err().contains("404"), unknown.err());
    }

    @Test
    void theServersRefusalOrAbsenceIsToldWithWhatToDo() {
        String wrongKey = apiKey.substring(0, 16) + (apiKey.charAt(16) == 'A' ? 'B' : 'A') + apiKey.substring(17);
        Run refused = run(Map.of("SALOTTO_API_KEY", wrongKey, "SALOTTO_SERVER", fixture.url()), "rooms", "list");
        assertEquals(1, refused.status(), refused.toString());
        assertTrue(refused.err().contains("was not accepted: check SALOTTO_API_KEY"), refused.err());

        Run absent = run(Map.of("SALOTTO_API_KEY", apiKey), "rooms", "list", "--server", "http://127.0.0.1:1");
        assertEquals(1, absent.status(), absent.toString());
        assertTrue(absent.err().contains("no Salotto server answers at http://127.0.0.1:1"), absent.err());
        assertTrue(absent.err().contains("--server URL or SALOTTO_SERVER"), absent.err());

        Run badUrl = run(Map.of("SALOTTO_API_KEY", apiKey), "rooms", "list", "--server", "salotto.example");
        assertEquals(2, badUrl.status());
        assertTrue(badUrl.err().contains("--server https://salotto.example"), badUrl.err());
    }

    @Test
    void webhooksTestAndReplayCallTheirRoutes() throws Exception {
        record Seen(String method, String path, String authorization, String body) {
        }
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/api/me/webhooks/", exchange -> {
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            boolean known = exchange.getRequestURI().getPath().startsWith("/api/me/webhooks/wh_1/");
            byte[] answer = (known ? "{\"deliveryId\":\"dl_9\",\"status\":\"queued\"}"
                    : "{\"error\":{\"code\":\"not_found\",\"message\":\"you have no webhook endpoint with this id\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(known ? 202 : 404, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        stub.start();
        try {
            Map<String, String> env = Map.of("SALOTTO_API_KEY", apiKey, "SALOTTO_SERVER",
                    "http://127.0.0.1:" + stub.getAddress().getPort());
            Run test = run(env, "webhooks", "test", "wh_1");
            assertEquals(0, test.status(), test.toString());
            assertTrue(test.out().contains("dl_9"), test.out());
            Run since = run(env, "webhooks", "replay", "wh_1", "--since", "2026-12-01T18:00:00Z");
            assertEquals(0, since.status(), since.toString());
            Run one = run(env, "webhooks", "replay", "wh_1", "--delivery", "dl_4");
            assertEquals(0, one.status(), one.toString());
            Run unknown = run(env, "webhooks", "test", "wh_2");
            assertEquals(1, unknown.status());
            assertTrue(unknown.err().contains("404 not_found: you have no webhook endpoint with this id"), unknown.err());

            assertEquals(4, seen.size(), seen.toString());
            assertEquals(new Seen("POST", "/api/me/webhooks/wh_1/test", "Bearer " + apiKey, "{}"), seen.get(0));
            assertEquals(new Seen("POST", "/api/me/webhooks/wh_1/replay", "Bearer " + apiKey,
                    "{\"since\":\"2026-12-01T18:00:00Z\"}"), seen.get(1));
            assertEquals(new Seen("POST", "/api/me/webhooks/wh_1/replay", "Bearer " + apiKey,
                    "{\"deliveryId\":\"dl_4\"}"), seen.get(2));

            Run both = run(env, "webhooks", "replay", "wh_1", "--since", "2026-12-01T18:00:00Z", "--delivery", "dl_4");
            assertEquals(2, both.status());
            assertTrue(both.err().contains("mutually exclusive"), both.err());
            Run badTime = run(env, "webhooks", "replay", "wh_1", "--since", "yesterday");
            assertTrue(badTime.err().contains("2026-12-01T18:00:00Z"), badTime.err());
            assertEquals(4, seen.size(), "mistakes send nothing");
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void serveChecksItsConfigurationFromTheSameCommandLine() {
        Run check = run(Map.of(), "serve", "--check", "--http-port", "0");
        assertEquals(0, check.status(), check.toString());
        assertTrue(check.out().contains("http.port"), check.out());
        Run bad = run(Map.of(), "serve", "--htp-port", "0");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--http-port"), bad.err());
    }
}
