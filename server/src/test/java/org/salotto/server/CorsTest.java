package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salotto.server.security.BrowserSecurity;

/**
 * The CORS protocol (Fetch standard) over real sockets, as a browser on a page of another origin speaks it: the
 * preflight of {@code /api/}, {@code /whip/} and {@code /whep/}, and the headers that let the page read the answers,
 * for the origins of {@code http.allowed-origins} only; the WebSocket takes the same list (docs/security.md).
 */
class CorsTest {
    private static final String APP = "https://app.example";
    private static final String OTHER = "https://evil.example";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ServerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded(c -> c.withBrowserSecurity(BrowserSecurity.defaults().withAllowedOrigins(List.of(APP))));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> preflight(String path, String origin, String method, String headers) throws Exception {
        return send("OPTIONS", path, Map.of("Origin", origin, "Access-Control-Request-Method", method,
                "Access-Control-Request-Headers", headers));
    }

    /** A comma-separated header's values, lower case (a browser compares header names case-insensitively). */
    private static Set<String> list(HttpHeaders h, String name) {
        Set<String> values = new TreeSet<>();
        for (String v : h.allValues(name)) {
            for (String part : v.split(",")) if (!part.isBlank()) values.add(part.strip().toLowerCase());
        }
        return values;
    }

    @Test
    void theApisPreflightGrantsAnAllowedOriginItsMethodsHeadersAndCookies() throws Exception {
        HttpResponse<String> r = preflight("/api/rooms", APP, "POST", "authorization,content-type,idempotency-key");
        assertEquals(204, r.statusCode(), r.body());
        HttpHeaders h = r.headers();
        assertEquals(APP, h.firstValue("Access-Control-Allow-Origin").orElseThrow(), "the origin itself, never *");
        assertEquals("true", h.firstValue("Access-Control-Allow-Credentials").orElse(null));
        assertTrue(list(h, "Access-Control-Allow-Methods").containsAll(Set.of("get", "post", "put", "patch", "delete")));
        assertTrue(list(h, "Access-Control-Allow-Headers").containsAll(Set.of("authorization", "content-type",
                "idempotency-key", "if-match", "x-salotto-request")), h.map().toString());
        assertEquals("600", h.firstValue("Access-Control-Max-Age").orElse(null));
        assertTrue(list(h, "Vary").contains("origin"), h.map().toString());
        // Any route of the API, one that needs a key too: the preflight carries no credentials.
        assertEquals(204, preflight("/api/rooms/abc/end", APP, "POST", "x-salotto-request").statusCode());
        assertEquals(204, preflight("/api/me/api-keys", APP, "DELETE", "authorization").statusCode());
    }

    @Test
    void whipAndWhepArePreflightedWithoutCookies() throws Exception {
        for (String path : List.of("/whip/rooms/r1", "/whep/rooms/r1", "/whip/rooms/r1/sessions/s1")) {
            HttpResponse<String> r = preflight(path, APP, "PATCH", "authorization,content-type,if-match");
            assertEquals(204, r.statusCode(), path + ": " + r.body());
            HttpHeaders h = r.headers();
            assertEquals(APP, h.firstValue("Access-Control-Allow-Origin").orElseThrow());
            assertFalse(h.firstValue("Access-Control-Allow-Credentials").isPresent(), "WHIP and WHEP take a bearer token");
            assertEquals(Set.of("post", "patch", "delete"), list(h, "Access-Control-Allow-Methods"));
            assertEquals(Set.of("authorization", "content-type", "if-match"), list(h, "Access-Control-Allow-Headers"));
        }
    }

    @Test
    void aClusterNodesPagesStayAllowedAfterTheNodeIsLostButNoLongerInTheConnectSrc() throws Exception {
        String lost = "http://10.0.0.2:8080";
        var live = new java.util.concurrent.atomic.AtomicReference<Set<String>>(Set.of(lost));
        try (ServerFixture node = ServerFixture.embedded()) {
            node.server.security().allowClusterOrigins(live::get);
            HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(node.url() + "/api/rooms"));
            HttpResponse<String> before = HTTP.send(get.header("Origin", lost).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(lost, before.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertTrue(before.headers().firstValue("Content-Security-Policy").orElseThrow().contains(lost));

            live.set(Set.of()); // its lease ended: a page it served comes back through this node
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/rooms/x/join"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", lost)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type,x-salotto-request").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, r.statusCode(), r.body());
            assertEquals(lost, r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertFalse(r.headers().firstValue("Content-Security-Policy").orElse("").contains(lost),
                    "this node's pages connect to live nodes only");
            HttpResponse<String> never = HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/api/rooms"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://10.0.0.3:8080")
                    .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, never.statusCode(), "an origin the cluster never listed: " + never.body());
        }
    }

    @Test
    void anotherOriginsPreflightIsRefusedAndItsAnswersCarryNoPermission() throws Exception {
        for (String origin : List.of(OTHER, "null", fixture.url(), APP + "/")) {
            HttpResponse<String> r = preflight("/api/rooms", origin, "POST", "content-type");
            assertEquals(403, r.statusCode(), origin);
            assertTrue(r.body().contains("origin_not_allowed"), r.body());
            assertFalse(r.headers().firstValue("Access-Control-Allow-Origin").isPresent(), origin);
            assertFalse(r.headers().firstValue("Access-Control-Allow-Methods").isPresent(), origin);
        }
        HttpResponse<String> get = send("GET", "/api/rooms", Map.of("Origin", OTHER));
        assertEquals(200, get.statusCode(), "a simple GET is answered: the browser, not the server, keeps it from the page");
        assertFalse(get.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        assertTrue(list(get.headers(), "Vary").contains("origin"), "a cache must not serve it to the allowed origin");
    }

    @Test
    void anAllowedPageReadsTheAnswersAndTheirHeaders() throws Exception {
        Person host = Person.account(fixture.url(), ServerFixture.uniqueName("cors"));
        String key = host.post("/api/me/api-keys", Map.of("name", "app")).body().get("key").asText();

        Person app = new Person(fixture.url(), "app");
        app.bearer = key;
        app.csrfHeader = false;
        app.headers.put("Origin", APP);
        Person.Answer created = app.postWithKey("/api/rooms", Map.of("kind", "call", "title", "from the app"), "k-1");
        assertEquals(201, created.status(), created.toString());
        HttpHeaders h = created.headers();
        assertEquals(APP, h.firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("true", h.firstValue("Access-Control-Allow-Credentials").orElse(null));
        assertTrue(list(h, "Access-Control-Expose-Headers").containsAll(Set.of("location", "etag", "link", "retry-after",
                "idempotent-replayed")), h.map().toString());
        assertTrue(list(h, "Vary").contains("origin"));

        // Refusals are readable too: the page learns why.
        Person.Answer unknown = app.postWithKey("/api/rooms/nothing-here/end", Map.of(), null);
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals(APP, unknown.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());

        // Another origin may not act, even with the key (the Origin check, same list).
        app.headers.put("Origin", OTHER);
        Person.Answer refused = app.postWithKey("/api/rooms", Map.of("kind", "call", "title", "x"), null);
        assertEquals(403, refused.status());
        assertEquals("origin_not_allowed", refused.code());
        assertFalse(refused.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }

    @Test
    void pagesAndTheSocketAreNotOpenedToOtherOrigins() throws Exception {
        for (String path : List.of("/", "/health", "/r/abc")) {
            HttpResponse<String> r = send("GET", path, Map.of("Origin", APP));
            assertFalse(r.headers().firstValue("Access-Control-Allow-Origin").isPresent(), path);
        }
        HttpResponse<String> options = preflight("/", APP, "GET", "content-type");
        assertFalse(options.headers().firstValue("Access-Control-Allow-Origin").isPresent());

        // The WebSocket's Origin check reads the same list: the allowed page connects, another is refused.
        Person host = Person.account(fixture.url(), ServerFixture.uniqueName("corsws"));
        String room = host.createRoom("call", Map.of());
        URI ws = URI.create(fixture.url().replace("http:", "ws:") + "/ws/rooms/" + room);
        WebSocket allowed = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", APP)
                .buildAsync(ws, new WebSocket.Listener() {
                }).get(10, TimeUnit.SECONDS);
        allowed.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        ExecutionException refused = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient()
                .newWebSocketBuilder().header("Origin", OTHER).buildAsync(ws, new WebSocket.Listener() {
                }).get(10, TimeUnit.SECONDS));
        assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode());
    }
}
