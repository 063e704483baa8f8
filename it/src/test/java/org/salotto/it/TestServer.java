package org.salotto.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.salotto.server.SalottoServer;
import org.salotto.server.ServerConfig;

/** The real Salotto server, started in this JVM on ephemeral loopback ports. */
final class TestServer implements AutoCloseable {

    private final ServerConfig config;
    private SalottoServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(ServerConfig config, SalottoServer server) {
        this.config = config;
        this.server = server;
    }

    static TestServer start() throws IOException {
        return start(ServerConfig.forTests());
    }

    /** With settings of the test's own, e.g. timeouts shortened so that a long session fits in a short test. */
    static TestServer start(ServerConfig config) throws IOException {
        return new TestServer(config, SalottoServer.start(config));
    }

    /**
     * Stops the server and starts it again on the same ports and database, as an operator's restart does: the pages
     * of a browser test keep their address, their session cookies still hold, durable work resumes.
     */
    void restart() throws IOException {
        int httpPort = server.httpPort();
        int mediaPort = server.mediaPort();
        int tcpPort = server.mediaTcpPort();
        server.close();
        ServerConfig same = config.withPorts(httpPort, mediaPort);
        server = SalottoServer.start(same.withMedia(same.media().withTcpPort(tcpPort)));
    }

    /**
     * A room of this kind, hosted by a new account that signs up for it; returns the room id (its link is
     * {@code /r/<id>}). The pages of a test join it as guests.
     */
    String createRoom(String kind) throws IOException, InterruptedException {
        HttpClient withCookies = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
        String user = "host" + System.nanoTime();
        HttpResponse<String> signUp = withCookies.send(json(baseUrl() + "/api/accounts",
                "{\"username\":\"" + user + "\",\"password\":\"a test password\"}"), HttpResponse.BodyHandlers.ofString());
        if (signUp.statusCode() != 201) throw new IOException("sign up: " + signUp.statusCode() + " " + signUp.body());
        HttpResponse<String> room = withCookies.send(json(baseUrl() + "/api/rooms",
                "{\"kind\":\"" + kind + "\",\"title\":\"test " + kind + "\"}"), HttpResponse.BodyHandlers.ofString());
        if (room.statusCode() != 201) throw new IOException("create room: " + room.statusCode() + " " + room.body());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(room.body()).get("id").asText();
    }

    private static HttpRequest json(String url, String body) {
        // The session cookie goes with these, so they carry the CSRF header as the web app does (docs/api.md).
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-Salotto-Request", "1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    /**
     * Adds a listener told the id of a room each time a decision of it with events is stored (after the room applied
     * it: a read after the call sees it); closing the answer removes it. What a test waits on for a room's change.
     */
    AutoCloseable onRoomEventsStored(java.util.function.Consumer<String> listener) {
        return server.rooms().runtime().onEventsStored(listener);
    }

    int mediaPort() {
        return server.mediaPort();
    }

    /** The media plane's counters (datagrams, ICE-TCP frames, drops). */
    org.salotto.media.transport.MediaCounters counters() {
        return server.media().counters();
    }

    /** The Prometheus text of {@code GET /metrics}, or empty if the server does not serve it (yet). */
    Optional<String> metrics() {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
