package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salotto.server.Person.Reply;
import org.salotto.server.security.BrowserSecurity;

/**
 * Cross-origin request forgery, framing and the other browser defences, against the real server over real sockets
 * (docs/security.md). The attacker is a page of another origin, here another port of the same host, as in issue 11:
 * the victim's browser sends the victim's session cookie with the attacker's {@code Origin}.
 */
class BrowserSecurityTest {
    private static ServerFixture fixture;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        fixture = ServerFixture.embedded();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static String url() {
        return fixture.url();
    }

    private static String ownOrigin() {
        return url();
    }

    /** Another port of the same host: same site, another origin. */
    private static String foreignOrigin() {
        return "http://127.0.0.1:" + (fixture.server.httpPort() == 9 ? 10 : 9);
    }

    private static Person host() throws Exception {
        return Person.account(url(), ServerFixture.uniqueName("csrf"));
    }

    @Test
    void aStateChangingRequestWithTheSessionCookieFromAForeignOriginIsRefused() throws Exception {
        Person host = host();
        String room = host.createRoom("call", Map.of("knock", true));

        host.headers.put("Origin", foreignOrigin());
        Reply end = host.post("/api/rooms/" + room + "/end", null);
        assertEquals(403, end.status(), end.toString());
        assertEquals("origin_not_allowed", end.code());
        Reply lock = host.patch("/api/rooms/" + room, Map.of("locked", true));
        assertEquals("origin_not_allowed", lock.code(), lock.toString());
        Reply keys = host.post("/api/me/api-keys", Map.of("name", "stolen"));
        assertEquals("origin_not_allowed", keys.code(), keys.toString());

        host.headers.clear();
        Reply after = host.get("/api/rooms/" + room);
        assertEquals("open", after.body().get("state").asText(), "the forged end changed nothing: " + after);
        assertFalse(after.body().get("locked").asBoolean());
        assertEquals(0, host.get("/api/me/api-keys").body().get("apiKeys").size());

        // The same requests from the app's own page go through.
        host.headers.put("Origin", ownOrigin());
        assertEquals(200, host.patch("/api/rooms/" + room, Map.of("locked", true)).status());
        assertEquals(204, host.post("/api/rooms/" + room + "/end", null).status());
    }

    @Test
    void aCookieRequestWithoutTheAppsHeaderIsRefusedAndABearerOneNeedsNone() throws Exception {
        Person host = host();
        host.csrfHeader = false;
        Reply create = host.post("/api/rooms", Map.of("kind", "call", "title", "no header"));
        assertEquals(403, create.status(), create.toString());
        assertEquals("csrf_header_missing", create.code());
        assertEquals(0, host.get("/api/me/rooms").body().get("rooms").size(), "a GET needs no header, and nothing was made");

        Person guest = Person.guest(url(), "Gail");
        guest.csrfHeader = false;
        host.csrfHeader = true;
        String room = host.createRoom("call", Map.of());
        assertEquals(200, guest.joinToken(room).status(), "a guest token is not sent by the browser on its own");
    }

    @Test
    void anEmptyBodyDoesNotSkipTheContentTypeCheck() throws Exception {
        Person host = host();
        String room = host.createRoom("call", Map.of());
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            host.headers.put("Content-Type", type);
            Reply r = host.post("/api/rooms/" + room + "/end", null);
            assertEquals(415, r.status(), type + ": " + r);
            assertEquals("unsupported_media_type", r.code());
        }
        host.headers.clear();
        assertEquals("open", host.get("/api/rooms/" + room).body().get("state").asText());
    }

    @Test
    void theWebSocketUpgradeFromAForeignOriginIsRefused() throws Exception {
        String room = host().createRoom("call", Map.of());
        URI ws = URI.create(url().replace("http:", "ws:") + "/ws/rooms/" + room);
        ExecutionException refused = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient()
                .newWebSocketBuilder().header("Origin", foreignOrigin()).buildAsync(ws, new WebSocket.Listener() {
                }).get(10, TimeUnit.SECONDS));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(403, handshake.getResponse().statusCode());

        WebSocket own = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", ownOrigin())
                .buildAsync(ws, new WebSocket.Listener() {
                }).get(10, TimeUnit.SECONDS);
        own.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndNoServerVersion() throws Exception {
        for (String path : List.of("/", "/r/someroom", "/api/rooms", "/api/nothing", "/health", "/nowhere")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            var h = r.headers();
            String csp = h.firstValue("Content-Security-Policy").orElse(null);
            assertNotNull(csp, path);
            assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'")
                    && csp.contains("script-src 'self';") && csp.contains("connect-src 'self' ws://127.0.0.1:"), path + ": " + csp);
            assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
            assertEquals("DENY", h.firstValue("X-Frame-Options").orElse(null), path);
            assertEquals("nosniff", h.firstValue("X-Content-Type-Options").orElse(null), path);
            assertEquals("no-referrer", h.firstValue("Referrer-Policy").orElse(null), path);
            assertTrue(h.firstValue("Server").isEmpty(), path + " names the server: " + h.firstValue("Server"));
            assertTrue(h.firstValue("Strict-Transport-Security").isEmpty(), "no HSTS over plain HTTP");
        }
    }

    @Test
    void metricsAreForLoopbackOnlyAndNotThroughAProxy() throws Exception {
        assertEquals(200, get("/metrics", Map.of()).statusCode());
        assertEquals(403, get("/metrics", Map.of("X-Forwarded-For", "203.0.113.9")).statusCode());
        assertEquals(403, get("/metrics", Map.of("Forwarded", "for=203.0.113.9")).statusCode());
    }

    @Test
    void withATokenMetricsNeedItAndBehindATrustedProxyCookiesAreSecure() throws Exception {
        String token = "metrics-token-0123456789";
        ServerConfig config = ServerConfig.forTests().withRooms(ServerFixture.testRooms()).withBrowserSecurity(
                BrowserSecurity.defaults().withMetricsToken(token).withTrustedProxies(List.of("127.0.0.1")));
        try (SalottoServer proxied = SalottoServer.start(config)) {
            String base = "http://127.0.0.1:" + proxied.httpPort();
            assertEquals(403, send(base + "/metrics", Map.of()).statusCode());
            assertEquals(403, send(base + "/metrics", Map.of("Authorization", "Bearer wrong-token-0123456789")).statusCode());
            assertEquals(200, send(base + "/metrics", Map.of("Authorization", "Bearer " + token)).statusCode());

            // The proxy ended TLS for https://salotto.example: the page's origin is that, and the cookie is Secure.
            Map<String, String> viaProxy = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "salotto.example",
                    "X-Forwarded-For", "198.51.100.7", "Origin", "https://salotto.example");
            HttpResponse<String> signUp = send(base + "/api/accounts", viaProxy, "{\"username\":\"" + ServerFixture.uniqueName("tls")
                    + "\",\"password\":\"correct horse battery\"}");
            assertEquals(201, signUp.statusCode(), signUp.body());
            String cookie = signUp.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.contains("Secure") && cookie.contains("HttpOnly"), cookie);
            assertTrue(signUp.headers().firstValue("Strict-Transport-Security").isPresent());
            assertTrue(signUp.headers().firstValue("Content-Security-Policy").orElseThrow().contains("wss://salotto.example"));
            // The same page over plain HTTP is another origin.
            Map<String, String> plain = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "salotto.example",
                    "Origin", "http://salotto.example");
            assertEquals(403, send(base + "/api/guests", plain, "{}").statusCode());
        }
        // Without the proxy trusted, the same headers are ignored: no Secure cookie, and the origin does not match.
        HttpResponse<String> direct = send(url() + "/api/accounts", Map.of("X-Forwarded-Proto", "https"),
                "{\"username\":\"" + ServerFixture.uniqueName("plain") + "\",\"password\":\"correct horse battery\"}");
        assertEquals(201, direct.statusCode(), direct.body());
        assertFalse(direct.headers().firstValue("Set-Cookie").orElseThrow().contains("Secure"));
        assertEquals(403, send(url() + "/api/guests", Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host",
                "salotto.example", "Origin", "https://salotto.example"), "{}").statusCode());
    }

    @Test
    void configuredOriginsReplaceTheServersOwn() throws Exception {
        ServerConfig config = ServerConfig.forTests().withRooms(ServerFixture.testRooms()).withBrowserSecurity(
                BrowserSecurity.defaults().withAllowedOrigins(List.of("https://salotto.example")));
        try (SalottoServer server = SalottoServer.start(config)) {
            String base = "http://127.0.0.1:" + server.httpPort();
            assertEquals(201, send(base + "/api/guests", Map.of("Origin", "https://salotto.example"), "{}").statusCode());
            assertEquals(403, send(base + "/api/guests", Map.of("Origin", base), "{}").statusCode());
            assertEquals(403, send(base + "/api/guests", Map.of("Origin", "null"), "{}").statusCode());
        }
        ServerConfig.ConfigException e = assertThrows(ServerConfig.ConfigException.class, () -> ServerConfig.forTests()
                .withBrowserSecurity(BrowserSecurity.defaults().withAllowedOrigins(List.of("https://salotto.example/"))));
        assertEquals("http.allowed-origins", e.key());
    }

    @Test
    void aRequestWithoutOriginThatABrowserSaysCameFromAnotherSiteIsRefused() throws Exception {
        HttpResponse<String> r = send(url() + "/api/guests", Map.of("Sec-Fetch-Site", "cross-site"), "{}");
        assertEquals(403, r.statusCode());
        assertEquals(201, send(url() + "/api/guests", Map.of(), "{}").statusCode(), "a program sends no Origin");
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        return send(url() + path, headers);
    }

    private static HttpResponse<String> send(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String url, Map<String, String> headers, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
