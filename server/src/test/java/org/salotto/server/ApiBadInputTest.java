package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.RoomException;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * What the API does with bad input: every refusal is {@code {"error": {"code", "message"}}} with the code's status,
 * an unknown room and someone else's private room get the very same bytes, the OpenAPI document lists every route the
 * server serves, and the room WebSocket refuses forged and misdirected join tokens. One server, embedded database.
 */
class ApiBadInputTest {
    /**
     * Every route ApiHandler serves. When a route is added to ApiHandler, add it here and to openapi.json; the test
     * checks the document against this list and this list against the running server.
     */
    static final List<String> ROUTES = List.of(
            "GET /api/openapi.json",
            "GET /api/asyncapi.json",
            "POST /api/accounts",
            "POST /api/sessions",
            "DELETE /api/sessions/current",
            "DELETE /api/sessions",
            "GET /api/me",
            "GET /api/me/rooms",
            "GET /api/me/api-keys",
            "POST /api/me/api-keys",
            "DELETE /api/me/api-keys/{keyId}",
            "GET /api/me/blocks",
            "GET /api/me/webhooks",
            "POST /api/me/webhooks",
            "GET /api/me/webhooks/{endpointId}",
            "PATCH /api/me/webhooks/{endpointId}",
            "DELETE /api/me/webhooks/{endpointId}",
            "GET /api/me/webhooks/{endpointId}/deliveries",
            "POST /api/me/webhooks/{endpointId}/test",
            "POST /api/me/webhooks/{endpointId}/replay",
            "POST /api/me/webhooks/{endpointId}/deliveries/{deliveryId}/replay",
            "DELETE /api/me/blocks/{identity}",
            "POST /api/guests",
            "GET /api/rooms",
            "POST /api/rooms",
            "GET /api/rooms/{roomId}",
            "PATCH /api/rooms/{roomId}",
            "POST /api/rooms/{roomId}/end",
            "POST /api/rooms/{roomId}/join",
            "POST /api/rooms/{roomId}/tokens",
            "GET /api/rooms/{roomId}/participants",
            "GET /api/rooms/{roomId}/lobby",
            "POST /api/rooms/{roomId}/lobby/{lobbyId}/admit",
            "POST /api/rooms/{roomId}/lobby/{lobbyId}/deny",
            "POST /api/rooms/{roomId}/hand",
            "DELETE /api/rooms/{roomId}/hand",
            "POST /api/rooms/{roomId}/invitation/accept",
            "POST /api/rooms/{roomId}/invitation/decline",
            "POST /api/rooms/{roomId}/participants/{participantId}/remove",
            "POST /api/rooms/{roomId}/participants/{participantId}/block",
            "DELETE /api/rooms/{roomId}/participants/{participantId}/hand",
            "PUT /api/rooms/{roomId}/participants/{participantId}/role",
            "GET /api/badges/prices",
            "PUT /api/rooms/{roomId}/participants/{participantId}/comments-off",
            "POST /api/rooms/{roomId}/go-live",
            "GET /api/rooms/{roomId}/comments",
            "DELETE /api/rooms/{roomId}/comments/{commentId}",
            "POST /api/rooms/{roomId}/comments/{commentId}/report",
            "PUT /api/rooms/{roomId}/pin",
            "DELETE /api/rooms/{roomId}/pin",
            "PUT /api/rooms/{roomId}/comments-off",
            "GET /api/rooms/{roomId}/moderation",
            "POST /api/rooms/{roomId}/badges",
            "GET /api/rooms/{roomId}/earnings",
            "GET /api/rooms/{roomId}/supporters",
            "POST /api/purchases/{purchaseId}/refund",
            "GET /api/ledger/accounts/{account}/balance",
            // people (issue 13)
            "GET /api/users/{username}",
            "GET /api/users/{username}/avatar",
            "PUT /api/users/{username}/follow",
            "DELETE /api/users/{username}/follow",
            "GET /api/users/{username}/followers",
            "GET /api/users/{username}/following",
            "GET /api/home",
            "PUT /api/me/profile",
            "PUT /api/me/avatar",
            "DELETE /api/me/avatar",
            "POST /api/reports",
            "GET /api/admin/reports",
            "POST /api/admin/reports/{reportId}/dismiss",
            "POST /api/admin/rooms/{roomId}/end",
            "POST /api/admin/accounts/{username}/suspend",
            "POST /api/admin/accounts/{username}/restore",
            "GET /api/admin/actions",
            // join tokens with grants (issue 14)
            "GET /api/me/signing-keys",
            "POST /api/me/signing-keys",
            "DELETE /api/me/signing-keys/{keyId}",
            "PUT /api/rooms/{roomId}/participants/{participantId}/grants",
            // WHIP and WHEP (issue 14)
            "GET /api/rooms/{roomId}/whep",
            "PUT /api/rooms/{roomId}/whep",
            // notifications (issue 13)
            "GET /api/me/notifications",
            "POST /api/me/notifications/read",
            "GET /api/me/notifications/stream",
            "PUT /api/rooms/{roomId}/reminder",
            "DELETE /api/rooms/{roomId}/reminder");

    static final String JSON = "application/json";

    static ServerFixture fixture;
    static HttpClient http;
    static Person host;
    static String publicRoom;
    static String privateRoom;
    /** Credentials of people who have nothing to do with the host's rooms. */
    static String strangerCookie;
    static String strangerGuest;

    private final List<RoomClient> clients = new ArrayList<>();

    /** An answer as the bytes came: status, Content-Type, body text. */
    record Raw(int status, String contentType, String body) {
        JsonNode json() throws Exception {
            return Person.JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        host = Person.account(url(), ServerFixture.uniqueName("host"));
        publicRoom = host.createRoom("call", Map.of());
        privateRoom = host.createRoom("call", Map.of("visibility", "private"));
        Raw signUp = send("POST", "/api/accounts", JSON,
                "{\"username\":\"" + ServerFixture.uniqueName("stranger") + "\",\"password\":\"not the host's\"}");
        assertEquals(201, signUp.status(), signUp.toString());
        strangerCookie = lastSessionCookie;
        strangerGuest = send("POST", "/api/guests", null, null).json().get("guestToken").asText();
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

    static String url() {
        return fixture.url();
    }

    // ---- sending, raw ----

    private static String lastSessionCookie;

    static Raw send(String method, String path, String contentType, String body, String... headers) throws Exception {
        return sendBody(method, path, contentType,
                body == null ? null : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), headers);
    }

    static Raw sendBody(String method, String path, String contentType, HttpRequest.BodyPublisher body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(20));
        if (contentType != null) b.header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        r.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(ApiHandler.SESSION_COOKIE + "="))
                .findFirst().ifPresent(c -> lastSessionCookie = c.substring(0, c.indexOf(';')));
        return new Raw(r.statusCode(), r.headers().firstValue("content-type").orElse(null), r.body());
    }

    /** A request as the stranger with an account (session cookie, and the CSRF header as the web app sends it). */
    static Raw asStranger(String method, String path, String json) throws Exception {
        return send(method, path, json == null ? null : JSON, json, "Cookie", strangerCookie, "X-Salotto-Request", "1");
    }

    /** A request as the stranger who is a guest (guest token). */
    static Raw asGuest(String method, String path, String json) throws Exception {
        return send(method, path, json == null ? null : JSON, json, "Authorization", "Bearer " + strangerGuest);
    }

    /** A request by someone who sends no credentials. */
    static Raw anonymous(String method, String path, String json) throws Exception {
        return send(method, path, json == null ? null : JSON, json);
    }

    /**
     * The one error shape: a JSON object with exactly {@code error}, itself with exactly a string {@code code} and a
     * non-blank string {@code message}, and the given status.
     */
    static JsonNode assertError(Raw r, int status, String code) throws Exception {
        assertEquals(status, r.status(), "status of " + r);
        assertTrue(r.contentType() != null && r.contentType().startsWith(JSON), "JSON answer: " + r);
        JsonNode body = r.json();
        assertTrue(body.isObject(), "an object: " + r);
        assertEquals(List.of("error"), names(body), "only 'error' at the top: " + r);
        JsonNode e = body.get("error");
        assertEquals(List.of("code", "message"), names(e), "'error' has exactly code and message: " + r);
        assertTrue(e.get("code").isTextual(), r.toString());
        assertTrue(e.get("message").isTextual() && !e.get("message").asText().isBlank(), "a readable message: " + r);
        assertEquals(code, e.get("code").asText(), "code of " + r);
        return e;
    }

    static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        out.sort(null);
        return out;
    }

    static String createRoomBody(String extra) {
        return "{\"kind\":\"call\",\"title\":\"a room\"" + extra + "}";
    }

    // ---- bodies ----

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        List<String> bodies = List.of(
                "{\"kind\":\"call\",",                           // cut short
                "{kind: 'call', title: 'x'}",                    // not JSON
                "{\"kind\":\"call\",\"title\":\"x\"} {}",        // a second value after the object
                "{\"kind\":\"call\",\"title\":\"x\"}]",          // trailing garbage
                "{\"kind\":\"call\",\"title\":\"x\",\"title\":\"y\"}", // a field twice
                "{\"kind\":\"call\",\"title\":NaN}",
                "{\"kind\":\"call\",\"title\":\"x\",\"activity\":" + "[".repeat(40) + "]".repeat(40) + "}");
        for (String b : bodies) {
            Raw r = asStranger("POST", "/api/rooms", b);
            assertError(r, 400, "bad_request");
        }
        // And nothing was created by any of them.
        JsonNode mine = send("GET", "/api/me/rooms", null, null, "Cookie", strangerCookie, "X-Salotto-Request", "1").json();
        assertEquals(0, mine.get("rooms").size(), mine.toString());
    }

    @Test
    void aBodyThatIsNotAnObjectIsABadRequest() throws Exception {
        for (String b : List.of("[]", "[{\"kind\":\"call\",\"title\":\"x\"}]", "\"call\"", "42", "true", "null")) {
            JsonNode e = assertError(asStranger("POST", "/api/rooms", b), 400, "bad_request");
            assertTrue(e.get("message").asText().contains("object"), e.toString());
        }
        assertError(asStranger("POST", "/api/sessions", "[\"user\",\"password\"]"), 400, "bad_request");
        assertError(asGuest("POST", "/api/rooms/" + publicRoom + "/join", "[]"), 400, "bad_request");
    }

    @Test
    void aBodyOver16KiBIsRefusedWithOrWithoutAContentLength() throws Exception {
        String big = createRoomBody(",\"activity\":\"" + "x".repeat(ApiHandler.MAX_BODY) + "\"");
        assertTrue(big.length() > 16 * 1024);
        // The Content-Length says so: refused before reading.
        assertError(asStranger("POST", "/api/rooms", big), 413, "payload_too_large");
        // No Content-Length (chunked): refused once 16 KiB + 1 byte have come.
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        Raw chunked = sendBody("POST", "/api/rooms", JSON,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)), "Cookie", strangerCookie, "X-Salotto-Request", "1");
        assertError(chunked, 413, "payload_too_large");
        // A client that asks "Expect: 100-continue" is answered without sending the body.
        HttpResponse<String> expecting = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/rooms"))
                .header("Content-Type", JSON).header("Cookie", strangerCookie).header("X-Salotto-Request", "1").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertError(new Raw(expecting.statusCode(), expecting.headers().firstValue("content-type").orElse(null),
                expecting.body()), 413, "payload_too_large");
        // Also where no body is expected at all, and before the Content-Type is looked at.
        assertError(anonymous("POST", "/api/guests", big), 413, "payload_too_large");
        assertError(send("POST", "/api/guests", "text/plain", big), 413, "payload_too_large");

        // 16 KiB exactly is not too large: it gets to the field checks.
        String padding = "y".repeat(ApiHandler.MAX_BODY - createRoomBody(",\"activity\":\"\"").length());
        String exact = createRoomBody(",\"activity\":\"" + padding + "\"");
        assertEquals(ApiHandler.MAX_BODY, exact.getBytes(StandardCharsets.UTF_8).length);
        JsonNode e = assertError(asStranger("POST", "/api/rooms", exact), 400, "bad_request");
        assertTrue(e.get("message").asText().contains("'activity'"), e.toString());
        // The server is still fine after all that.
        assertEquals(201, anonymous("POST", "/api/guests", null).status());
    }

    @Test
    void unknownFieldsAreRefusedByName() throws Exception {
        Map<String, String[]> cases = Map.of(
                "POST /api/rooms", new String[] {createRoomBody(",\"hostAccountId\":1"), "hostAccountId"},
                "PATCH /api/rooms/" + publicRoom, new String[] {"{\"state\":\"ended\"}", "state"},
                "POST /api/guests", new String[] {"{\"displayName\":\"Gus\"}", "displayName"},
                "POST /api/rooms/" + publicRoom + "/join", new String[] {"{\"displayName\":\"Gus\",\"role\":\"host\"}", "role"},
                "POST /api/accounts", new String[] {"{\"username\":\"someone_new\",\"password\":\"12345678\",\"admin\":true}", "admin"},
                "POST /api/sessions", new String[] {"{\"username\":\"a\",\"password\":\"b\",\"remember\":true}", "remember"},
                "POST /api/rooms/" + publicRoom + "/end", new String[] {"{\"reason\":\"bye\"}", "reason"});
        for (var c : cases.entrySet()) {
            String[] mp = c.getKey().split(" ");
            Raw r = asGuest(mp[0], mp[1], c.getValue()[0]);
            JsonNode e = assertError(r, 400, "bad_request");
            assertTrue(e.get("message").asText().contains("'" + c.getValue()[1] + "'"), c.getKey() + ": " + e);
        }
        // The PATCH and the end did not happen.
        assertEquals("open", host.get("/api/rooms/" + publicRoom).body().get("state").asText());
    }

    @Test
    void fieldsOfTheWrongTypeAreRefusedByName() throws Exception {
        String patch = "/api/rooms/" + publicRoom;
        Map<String, String[]> cases = Map.of(
                "number for title", new String[] {"POST", "/api/rooms", "{\"kind\":\"call\",\"title\":42}", "title"},
                "string for knock", new String[] {"POST", "/api/rooms", createRoomBody(",\"knock\":\"yes\""), "knock"},
                "string for locked", new String[] {"PATCH", patch, "{\"locked\":\"true\"}", "locked"},
                "number for knock", new String[] {"PATCH", patch, "{\"knock\":1}", "knock"},
                "object for title", new String[] {"PATCH", patch, "{\"title\":{\"text\":\"x\"}}", "title"},
                "array for kind", new String[] {"POST", "/api/rooms", "{\"kind\":[\"call\"],\"title\":\"x\"}", "kind"},
                "number for time", new String[] {"POST", "/api/rooms", createRoomBody(",\"scheduledStart\":1800000000"), "scheduledStart"},
                "bad time", new String[] {"POST", "/api/rooms", createRoomBody(",\"scheduledStart\":\"tomorrow\""), "scheduledStart"},
                "unknown visibility", new String[] {"PATCH", patch, "{\"visibility\":\"secret\"}", "visibility"},
                "unknown kind", new String[] {"POST", "/api/rooms", "{\"kind\":\"party\",\"title\":\"x\"}", "kind"});
        for (var c : cases.entrySet()) {
            String[] v = c.getValue();
            // As the host, so that nothing but the body is wrong.
            Raw r = send(v[0], v[1], JSON, v[2], "Cookie", hostCookie(), "X-Salotto-Request", "1");
            JsonNode e = assertError(r, 400, "bad_request");
            assertTrue(e.get("message").asText().contains("'" + v[3] + "'"), c.getKey() + ": " + e);
        }
        JsonNode room = host.get(patch).body();
        assertFalse(room.get("locked").asBoolean());
        assertFalse(room.get("knock").asBoolean());
        assertEquals("public", room.get("visibility").asText());
    }

    private static String hostCookieValue;

    /** The host's session as a Cookie header (a second session of the same account). */
    static synchronized String hostCookie() throws Exception {
        if (hostCookieValue == null) {
            Raw r = send("POST", "/api/sessions", JSON, "{\"username\":\"" + host.name + "\",\"password\":\"correct horse "
                    + host.name + "\"}");
            assertEquals(200, r.status(), r.toString());
            hostCookieValue = lastSessionCookie;
        }
        return hostCookieValue;
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIsRefused() throws Exception {
        String body = createRoomBody("");
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "text/json"}) {
            assertError(send("POST", "/api/rooms", type, body, "Cookie", strangerCookie, "X-Salotto-Request", "1"), 415, "unsupported_media_type");
        }
        assertError(send("POST", "/api/rooms", null, body, "Cookie", strangerCookie, "X-Salotto-Request", "1"), 415, "unsupported_media_type");
        // With a charset parameter, or in capitals, it is JSON.
        Raw ok = send("POST", "/api/rooms", "Application/JSON; charset=utf-8", body, "Cookie", hostCookie(), "X-Salotto-Request", "1");
        assertEquals(201, ok.status(), ok.toString());
        // No body at all needs no Content-Type.
        assertEquals(201, send("POST", "/api/guests", null, null).status());
    }

    // ---- rooms one may not see ----

    /** A room id of the same form as real ones (20 characters of [A-Za-z0-9]) that names no room. */
    static String unknownRoomId() {
        byte[] b = new byte[15];
        new java.security.SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('-', 'x').replace('_', 'y');
    }

    @Test
    void anUnknownRoomAndSomeoneElsesPrivateRoomGetTheSameBytes() throws Exception {
        String unknown = unknownRoomId();
        assertError(anonymous("GET", "/api/rooms/" + unknown, null), 404, "not_found");
        record Action(String method, String suffix, String body) {
        }
        List<Action> actions = List.of(
                new Action("PATCH", "", "{\"locked\":true}"),
                new Action("PATCH", "", "{\"knock\":true}"),
                new Action("PATCH", "", "{\"title\":\"mine now\"}"),
                new Action("POST", "/end", null),
                new Action("GET", "/participants", null),
                new Action("GET", "/lobby", null),
                new Action("POST", "/lobby/L1/admit", null),
                new Action("POST", "/lobby/L1/deny", null),
                new Action("POST", "/participants/P1/remove", null),
                new Action("POST", "/participants/P1/block", null),
                new Action("PUT", "/participants/P1/role", "{\"role\":\"co_host\"}"),
                new Action("POST", "/hand", null),
                new Action("DELETE", "/hand", null),
                new Action("POST", "/invitation/accept", null));
        for (Action a : actions) {
            String what = a.method() + " /api/rooms/{id}" + a.suffix();
            Raw unknownAnswer = asStranger(a.method(), "/api/rooms/" + unknown + a.suffix(), a.body());
            Raw privateAnswer = asStranger(a.method(), "/api/rooms/" + privateRoom + a.suffix(), a.body());
            assertError(unknownAnswer, 404, "not_found");
            assertEquals(unknownAnswer, privateAnswer, what + " as an account");

            Raw unknownGuest = asGuest(a.method(), "/api/rooms/" + unknown + a.suffix(), a.body());
            Raw privateGuest = asGuest(a.method(), "/api/rooms/" + privateRoom + a.suffix(), a.body());
            assertError(unknownGuest, 404, "not_found");
            assertEquals(unknownGuest, privateGuest, what + " as a guest");
            assertEquals(unknownAnswer, unknownGuest, what + ": the same for everyone");

            // Someone with no credentials at all learns nothing either: they are asked to log in for both.
            Raw unknownAnon = anonymous(a.method(), "/api/rooms/" + unknown + a.suffix(), a.body());
            Raw privateAnon = anonymous(a.method(), "/api/rooms/" + privateRoom + a.suffix(), a.body());
            assertEquals(unknownAnon, privateAnon, what + " with no credentials");
            assertError(unknownAnon, 401, "unauthenticated");
        }
        // The message is the rooms layer's one sentence for both.
        assertEquals(RoomException.NO_SUCH_ROOM,
                asStranger("POST", "/api/rooms/" + privateRoom + "/end", null).json().get("error").get("message").asText());
        // None of it happened.
        JsonNode room = host.get("/api/rooms/" + privateRoom).body();
        assertFalse(room.get("locked").asBoolean());
        assertFalse(room.get("knock").asBoolean());
        assertEquals("open", room.get("state").asText());
        assertNotEquals("mine now", room.get("title").asText());
        // The host, on the other hand, is answered about their own private room.
        assertEquals(200, host.get("/api/rooms/" + privateRoom + "/participants").status());
        assertEquals(200, host.get("/api/rooms/" + privateRoom + "/lobby").status());
    }

    // ---- endpoints and methods ----

    @Test
    void anUnknownPathIsNoSuchEndpointAndAnUnusedMethodIs405() throws Exception {
        for (String path : List.of("/api/nothing", "/api", "/api/", "/api/rooms/" + publicRoom + "/dance",
                "/api/rooms/" + publicRoom + "/lobby/x/y/z", "/api/sessions/all", "/api/openapi.yaml")) {
            assertError(anonymous("GET", path, null), 404, "no_such_endpoint");
        }
        // Under /api/me the account is asked for first; with one, an unknown path is no such endpoint.
        assertError(anonymous("GET", "/api/me/everything", null), 401, "unauthenticated");
        assertError(asStranger("GET", "/api/me/everything", null), 404, "no_such_endpoint");
        assertError(asStranger("GET", "/api/me/api-keys/x/y", null), 404, "no_such_endpoint");
        // A known path with a method it does not take is no such endpoint too.
        assertError(asStranger("PUT", "/api/rooms", "{}"), 404, "no_such_endpoint");
        assertError(asStranger("DELETE", "/api/rooms/" + publicRoom, null), 404, "no_such_endpoint");
        assertError(asStranger("POST", "/api/me", "{}"), 404, "no_such_endpoint");
        assertError(asStranger("PATCH", "/api/me", "{}"), 404, "no_such_endpoint");
        assertError(asStranger("GET", "/api/rooms/" + publicRoom + "/end", null), 404, "no_such_endpoint");
        JsonNode e = assertError(anonymous("GET", "/api/nothing", null), 404, "no_such_endpoint");
        assertTrue(e.get("message").asText().contains("/api/openapi.json"), e.toString());

        for (String method : List.of("OPTIONS", "PROPFIND", "CONNECTX")) {
            assertError(anonymous(method, "/api/rooms", null), 405, "method_not_allowed");
        }
        assertError(anonymous("OPTIONS", "/api/nothing", null), 405, "method_not_allowed");
    }

    // ---- the OpenAPI document ----

    @Test
    void theOpenApiDocumentListsEveryRouteTheServerServes() throws Exception {
        Raw r = anonymous("GET", "/api/openapi.json", null);
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith(JSON), r.contentType());
        JsonNode doc = r.json();
        assertTrue(doc.path("openapi").asText().matches("3\\.1\\.\\d+"), "openapi: " + doc.path("openapi"));
        assertFalse(doc.path("info").path("title").asText().isBlank());
        assertFalse(doc.path("info").path("version").asText().isBlank());

        Set<String> documented = new TreeSet<>();
        Set<String> methods = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
        Pattern param = Pattern.compile("\\{([A-Za-z]+)}");
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            var path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                var op = ops.next();
                if (!methods.contains(op.getKey())) continue;
                String route = op.getKey().toUpperCase() + " " + path.getKey();
                documented.add(route);
                assertTrue(op.getValue().path("responses").size() > 0, "responses of " + route);
                // Every {param} of the path is declared on the operation.
                Set<String> declared = new HashSet<>();
                for (JsonNode p : op.getValue().path("parameters")) if (p.path("in").asText().equals("path")) declared.add(p.get("name").asText());
                Matcher m = param.matcher(path.getKey());
                while (m.find()) assertTrue(declared.contains(m.group(1)), m.group(1) + " declared in " + route);
            }
        }
        assertEquals(new TreeSet<>(ROUTES), documented, "openapi.json documents exactly the routes of ApiHandler");

        // The list is the server's: each route is served (whatever it answers to an unknown id, it is not 404
        // no_such_endpoint).
        for (String route : ROUTES) {
            String[] mp = route.split(" ");
            String path = mp[1].replaceAll("\\{[A-Za-z]+}", "x1");
            Raw answer = anonymous(mp[0], path, mp[0].equals("GET") || mp[0].equals("DELETE") ? null : "{}");
            String code = answer.body().isEmpty() ? "" : answer.json().path("error").path("code").asText();
            assertNotEquals("no_such_endpoint", code, route + " is served: " + answer);
            assertTrue(answer.status() < 500, route + ": " + answer);
        }

        // The error codes: exactly the catalogue's HTTP codes (ProtocolDocumentsTest checks the rest of it).
        Set<String> codes = new TreeSet<>();
        for (ErrorCode c : ErrorCode.ofHttp()) codes.add(c.wireName());
        Set<String> documentedCodes = new TreeSet<>();
        doc.at("/components/schemas/ErrorCode/enum").forEach(c -> documentedCodes.add(c.asText()));
        assertEquals(codes, documentedCodes);
        JsonNode error = doc.at("/components/schemas/Error");
        assertEquals(List.of("error"), Person.JSON.convertValue(error.get("required"), List.class));
        // nodeUrl: only on wrong_node, the room's owner node in a cluster (docs/api.md, "Several nodes").
        assertEquals(Set.of("code", "message", "nodeUrl"), new HashSet<>(names(error.at("/properties/error/properties"))));

        // Request bodies allow no other fields, as the server refuses them.
        for (JsonNode schema : doc.at("/components/schemas")) {
            if (schema.has("additionalProperties")) continue;
            assertFalse(isRequestBody(doc, schema), "a request body without additionalProperties: false: " + schema);
        }
        JsonNode schemes = doc.at("/components/securitySchemes");
        assertEquals("salotto_session", schemes.path("sessionCookie").path("name").asText());
        assertEquals("cookie", schemes.path("sessionCookie").path("in").asText());
        assertEquals("bearer", schemes.path("apiKey").path("scheme").asText());
        assertEquals("bearer", schemes.path("guestToken").path("scheme").asText());
    }

    private static boolean isRequestBody(JsonNode doc, JsonNode schema) {
        for (JsonNode path : doc.get("paths")) {
            for (JsonNode op : path) {
                String ref = op.at("/requestBody/content/application~1json/schema/$ref").asText();
                if (!ref.isEmpty() && doc.at(ref.substring(1)).equals(schema)) return true;
            }
        }
        return false;
    }

    // ---- the WebSocket join ----

    @Test
    void aForgedOrGarbledJoinTokenIsAnInvalidToken() throws Exception {
        Person guest = Person.guest(url(), "Gia");
        String token = guest.joinToken(publicRoom).body().get("token").asText();
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length, token);
        // The same grant for someone else, with the original signature: the signature no longer matches.
        ObjectNode grant = (ObjectNode) Person.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        grant.put("sub", "a:" + 1);
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Person.JSON.writeValueAsBytes(grant)) + "." + parts[2];
        char last = parts[2].charAt(parts[2].length() - 2);
        String badSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
                + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);
        String unsigned = parts[0] + "." + parts[1];

        RoomClient ws = open(publicRoom);
        for (String t : List.of(forged, badSignature, unsigned, "hello", "j1..", "j1.e30.", ".", "j1." + parts[1] + ".!!!",
                guest.guestToken, token + "x")) {
            ws.send(Map.of("type", "join", "token", t));
            JsonNode e = ws.awaitError("invalid_token");
            assertFalse(e.path("message").asText().isBlank(), e.toString());
        }
        // Not a token at all: a bad message.
        for (Object t : List.of("", "x".repeat(5000), 12345)) {
            ws.send(Map.of("type", "join", "token", t));
            ws.awaitError("bad_message");
        }
        // The refusals left the socket as it was: the real token still gets in.
        ws.send(Map.of("type", "join", "token", token));
        assertEquals("participant", ws.awaitType("joined").get("role").asText());
    }

    @Test
    void aJoinTokenForOneRoomDoesNotOpenAnother() throws Exception {
        String roomA = host.createRoom("call", Map.of());
        String roomB = host.createRoom("call", Map.of());
        Person guest = Person.guest(url(), "Bo");
        String tokenA = guest.joinToken(roomA).body().get("token").asText();
        String tokenB = guest.joinToken(roomB).body().get("token").asText();

        RoomClient onB = open(roomB);
        onB.send(Map.of("type", "join", "token", tokenA));
        JsonNode e = onB.awaitError("wrong_room");
        assertTrue(e.path("message").asText().contains("another room"), e.toString());
        // Nor a room that does not exist, nor the private room.
        RoomClient onUnknown = open(unknownRoomId());
        onUnknown.send(Map.of("type", "join", "token", tokenA));
        onUnknown.awaitError("invalid_token");
        RoomClient onPrivate = open(privateRoom);
        onPrivate.send(Map.of("type", "join", "token", tokenA));
        onPrivate.awaitError("invalid_token");
        assertEquals(0, host.get("/api/rooms/" + privateRoom + "/participants").body().get("participants").size());
        assertEquals(0, host.get("/api/rooms/" + roomB + "/participants").body().get("participants").size());

        onB.send(Map.of("type", "join", "token", tokenB));
        onB.awaitType("joined");
        assertEquals(1, host.get("/api/rooms/" + roomB + "/participants").body().get("participants").size());
    }

    private RoomClient open(String room) throws Exception {
        RoomClient c = RoomClient.open(url(), room);
        clients.add(c);
        return c;
    }
}
