package org.salotto.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Someone using the API in a test: their own cookie jar (an account's session) or guest token, like one browser.
 */
final class Person {
    static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP answer: status and parsed JSON body (null when empty). */
    record Reply(int status, JsonNode body) {
        String code() {
            return body == null ? null : body.path("error").path("code").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    final String baseUrl;
    final String name;
    private final HttpClient http;
    String guestToken;
    String bearer;
    /** Sends the CSRF header as the web app does; a test of the defence turns it off. */
    boolean csrfHeader = true;
    /** More headers on every request (an Origin, a proxy's X-Forwarded-*). */
    final Map<String, String> headers = new java.util.LinkedHashMap<>();

    Person(String baseUrl, String name) {
        this.baseUrl = baseUrl;
        this.name = name;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A person with a new account, logged in. */
    static Person account(String baseUrl, String username) throws Exception {
        Person p = new Person(baseUrl, username);
        Reply r = p.post("/api/accounts", Map.of("username", username, "password", "correct horse " + username));
        if (r.status() != 201) throw new AssertionError("sign up " + username + ": " + r);
        return p;
    }

    /** A guest: a guest token from the server, kept like the browser keeps it. */
    static Person guest(String baseUrl, String name) throws Exception {
        Person p = new Person(baseUrl, name);
        Reply r = p.post("/api/guests", Map.of());
        if (r.status() != 201) throw new AssertionError("guest token: " + r);
        p.guestToken = r.body().get("guestToken").asText();
        p.bearer = p.guestToken;
        return p;
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Reply post(String path, Object body) throws IOException, InterruptedException {
        return send("POST", path, body == null ? null : JSON.writeValueAsString(body));
    }

    Reply put(String path, Object body) throws IOException, InterruptedException {
        return send("PUT", path, JSON.writeValueAsString(body));
    }

    Reply patch(String path, Object body) throws IOException, InterruptedException {
        return send("PATCH", path, JSON.writeValueAsString(body));
    }

    Reply delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    Reply send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        if (json != null) b.header("Content-Type", "application/json");
        if (csrfHeader) b.header("X-Salotto-Request", "1");
        headers.forEach(b::header);
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
        return new Reply(r.statusCode(), body);
    }

    /** Sends raw bytes (an avatar) with this Content-Type (null: none). */
    Reply sendBytes(String method, String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        if (contentType != null) b.header("Content-Type", contentType);
        if (csrfHeader) b.header("X-Salotto-Request", "1");
        headers.forEach(b::header);
        b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    /** A GET whose answer is kept as bytes with its headers (an image). */
    HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20)).GET();
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** An answer with its headers (a purchase's Idempotent-Replayed). */
    record Answer(int status, JsonNode body, java.net.http.HttpHeaders headers) {
        String code() {
            return body == null ? null : body.path("error").path("code").asText(null);
        }

        boolean replayed() {
            return headers.firstValue("Idempotent-Replayed").map("true"::equals).orElse(false);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A POST with an Idempotency-Key header (null: none). */
    Answer postWithKey(String path, Object body, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        if (csrfHeader) b.header("X-Salotto-Request", "1");
        if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()), r.headers());
    }

    /** Creates a room and returns its id. */
    String createRoom(String kind, Map<String, Object> more) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("kind", kind);
        body.put("title", name + "'s " + kind);
        more.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        Reply r = post("/api/rooms", body);
        if (r.status() != 201) throw new AssertionError("create room: " + r);
        return r.body().get("id").asText();
    }

    /** Asks for a join token; the reply is an error when the server refuses early. */
    Reply joinToken(String roomId) throws Exception {
        return post("/api/rooms/" + roomId + "/join", guestToken != null ? Map.of("displayName", name) : Map.of());
    }

    /** Gets a join token and opens the room's WebSocket with it; does not wait for the answer. */
    RoomClient connect(String roomId) throws Exception {
        Reply r = joinToken(roomId);
        if (r.status() != 200) throw new AssertionError(name + " join " + roomId + ": " + r);
        RoomClient c = RoomClient.open(baseUrl, roomId);
        c.send(Map.of("type", "join", "token", r.body().get("token").asText()));
        return c;
    }

    /** The notification stream of this account (server-sent events), resuming after {@code lastEventId} if not null. */
    NotificationEvents notifications(String lastEventId) throws Exception {
        return NotificationEvents.open(http, baseUrl, lastEventId);
    }

    /** Joins and waits until in the room; returns the client with its participant id. */
    RoomClient enter(String roomId) throws Exception {
        RoomClient c = connect(roomId);
        c.awaitType("joined");
        return c;
    }
}
