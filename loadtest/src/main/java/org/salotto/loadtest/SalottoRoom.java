package org.salotto.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Salotto room of one run, made the way a person makes one (docs/api.md): a new account signs up and creates a
 * room of the asked kind. The first publisher joins as that host; everyone else joins as a guest by the link, and the
 * other publishers are invited onto the stage by the host and accept, as in the web app.
 */
final class SalottoRoom {
    /** The host's requests carry its session cookie, so they send the CSRF header as the web app does (docs/api.md). */
    private static final String CSRF_HEADER = "X-Salotto-Request";
    private final HttpClient http;
    private final HttpClient host;
    private volatile String base;
    private final String id;
    private final String kind;
    private final AtomicBoolean hostTaken;
    /** Where the WebSockets go: the API's node, or another node of a cluster (its edge audience). */
    private volatile String socketBase;

    private SalottoRoom(HttpClient http, HttpClient host, String base, String id, String kind) {
        this(http, host, base, id, kind, new AtomicBoolean(), base);
    }

    private SalottoRoom(HttpClient http, HttpClient host, String base, String id, String kind, AtomicBoolean hostTaken,
                        String socketBase) {
        this.http = http;
        this.host = host;
        this.base = base;
        this.id = id;
        this.kind = kind;
        this.hostTaken = hostTaken;
        this.socketBase = socketBase;
    }

    /**
     * The same room through a cluster's nodes: its API (tokens, the stage) on {@code apiBase} (the room's owner), its
     * participants' WebSockets on {@code socketBase}. The host's session cookie is the loopback host's, any port.
     */
    SalottoRoom through(String apiBase, String socketBase) {
        return new SalottoRoom(http, host, apiBase.replaceAll("/+$", ""), id, kind, hostTaken,
                socketBase.replaceAll("/+$", ""));
    }

    static SalottoRoom create(HttpClient http, LoadTestConfig config) throws IOException, InterruptedException {
        String base = config.url().toString().replaceAll("/+$", "");
        HttpClient host = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
        String user = "loadtest" + Long.toString(System.nanoTime(), 36);
        post(host, base + "/api/accounts", null,
                SignalingClient.JSON.createObjectNode().put("username", user).put("password", "load test " + user), 201);
        JsonNode room = post(host, base + "/api/rooms", null, SignalingClient.JSON.createObjectNode()
                .put("kind", config.kind()).put("title", config.room()), 201);
        return new SalottoRoom(http, host, base, room.get("id").asText(), config.kind());
    }

    String id() {
        return id;
    }

    /**
     * A cluster named the room's node ({@code wrong_node} to a join): the API goes there from now on, and so do the
     * WebSockets when they went to the API's node.
     */
    synchronized void ownerIs(String nodeUrl) {
        String url = nodeUrl.replaceAll("/+$", "");
        if (socketBase.equals(base)) socketBase = url;
        base = url;
    }

    /** The same room with its participants' WebSockets on {@code socketBase} (a node of the cluster), its API here. */
    SalottoRoom onNode(String socketBase) {
        return through(base, socketBase);
    }

    /**
     * Whether the WebSockets go to the node the API is on (the room's own node): a listener joining through another
     * node is served there (the edge audience) and moved to the room's node when brought on stage.
     */
    boolean socketsOnApiNode() {
        return socketBase.equals(base);
    }

    URI webSocketUri() {
        return URI.create(socketBase.replaceFirst("^http", "ws") + "/ws/rooms/" + id);
    }

    /** A join token: the host's for the first publisher to ask, a new guest's for everyone else. */
    String joinToken(String name, boolean publishes) throws IOException, InterruptedException {
        if (publishes && hostTaken.compareAndSet(false, true)) {
            return post(host, base + "/api/rooms/" + id + "/join", null, SignalingClient.JSON.createObjectNode(), 200)
                    .get("token").asText();
        }
        String guest = post(http, base + "/api/guests", null, SignalingClient.JSON.createObjectNode(), 201)
                .get("guestToken").asText();
        return post(http, base + "/api/rooms/" + id + "/join", guest,
                SignalingClient.JSON.createObjectNode().put("displayName", name), 200).get("token").asText();
    }

    /** The role on stage in this kind of room, or null when everyone is on stage (a call). */
    String stageRole() {
        return switch (kind) {
            case "space" -> "speaker";
            case "live" -> "guest";
            default -> null;
        };
    }

    /** The host puts someone on the stage (they are invited, and accept). */
    void inviteToStage(String participantId) throws IOException, InterruptedException {
        setRole(participantId, stageRole());
    }

    /** The host gives someone a role: on the stage, or back to the audience ("listener", "viewer"). */
    void setRole(String participantId, String role) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/api/rooms/" + id + "/participants/" + participantId + "/role"))
                .header("Content-Type", "application/json").header(CSRF_HEADER, "1").timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"role\":\"" + role + "\"}")).build();
        HttpResponse<String> response = host.send(r, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IOException("set role " + role + ": " + response.statusCode() + " " + response.body());
    }

    /** A request of the host's browser session (tests: API keys, signing keys); the answer's JSON, or null for 204. */
    JsonNode asHost(String method, String path, JsonNode body, int expected) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header(CSRF_HEADER, "1")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response = host.send(r, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body().isEmpty() ? null : SignalingClient.JSON.readTree(response.body());
    }

    private static JsonNode post(HttpClient client, String url, String bearer, JsonNode body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header(CSRF_HEADER, "1")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        HttpResponse<String> response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException("POST " + url + ": " + response.statusCode() + " " + response.body());
        }
        return SignalingClient.JSON.readTree(response.body());
    }
}
