package org.salotto.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.salotto.server.ServerConfig;
import org.salotto.server.security.BrowserSecurity;

/**
 * CORS as Chromium speaks it (docs/security.md): a page served from another origin (another port), listed in
 * {@code http.allowed-origins}, makes a preflighted {@code fetch} to the API with an API key and reads the answer, and
 * gets through the preflight of a WHIP path; the same calls from a page of an origin not listed are blocked by the
 * browser.
 */
class CorsFetchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A web server of another origin that serves one empty page. */
    private static HttpServer page() throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", exchange -> {
            byte[] html = "<!doctype html><title>an application</title><p>app</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        s.start();
        return s;
    }

    @Test
    void aPageOfAnAllowedOriginCallsTheApiAndAnotherCannot() throws Exception {
        BrowserHarness.requireBrowsers();
        HttpServer app = page();
        HttpServer other = page();
        String appOrigin = "http://127.0.0.1:" + app.getAddress().getPort();
        try (var server = TestServer.start(ServerConfig.forTests()
                .withBrowserSecurity(BrowserSecurity.defaults().withAllowedOrigins(List.of(appOrigin))))) {
            String apiKey = apiKey(server.baseUrl());
            JsonNode r = new BrowserHarness().run("corsfetch.mjs", Map.of("baseUrl", server.baseUrl(),
                    "appUrl", appOrigin + "/", "otherUrl", "http://127.0.0.1:" + other.getAddress().getPort() + "/",
                    "apiKey", apiKey), Duration.ofSeconds(90));
            System.out.println("cors: " + r);
            assertTrue(r.path("ok").asBoolean(), r.toString());

            JsonNode fromApp = r.path("app");
            assertEquals(201, fromApp.path("create").path("status").asInt(), fromApp.toString());
            String id = fromApp.path("create").path("body").path("id").asText();
            assertEquals("From another origin", fromApp.path("create").path("body").path("title").asText());
            assertEquals(200, fromApp.path("list").path("status").asInt(), fromApp.toString());
            assertEquals(id, fromApp.path("list").path("body").path("rooms").path(0).path("id").asText());
            // Past the preflight (PATCH, If-Match, a content type no form sends): the page reads the server's answer.
            assertTrue(fromApp.path("whip").has("status"), "the WHIP preflight passed: " + fromApp.path("whip"));

            JsonNode fromOther = r.path("other");
            for (String call : List.of("create", "list", "whip")) {
                assertTrue(fromOther.path(call).path("error").asText().contains("Failed to fetch"),
                        call + " from another origin: " + fromOther.path(call));
            }
        } finally {
            app.stop(0);
            other.stop(0);
        }
    }

    /** A new account's API key, made as a person does in the settings page. */
    private static String apiKey(String baseUrl) throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String user = "cors" + System.nanoTime();
        post(http, baseUrl + "/api/accounts", "{\"username\":\"" + user + "\",\"password\":\"a test password\"}");
        return JSON.readTree(post(http, baseUrl + "/api/me/api-keys", "{\"name\":\"app\"}")).get("key").asText();
    }

    private static String post(HttpClient http, String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-Salotto-Request", "1").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new AssertionError(url + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }
}
