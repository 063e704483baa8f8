package org.salotto.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Salotto's signaling (docs/protocol.md) for one participant: a join token from the HTTP API ({@link SalottoRoom}),
 * one WebSocket to {@code /ws/rooms/{id}}, {@code join}, for a publisher in the audience the host's invitation to the
 * stage (accepted), {@code publish} answered by {@code publishAnswer}, and {@code subscribeOffer}s the server sends
 * unasked, answered by {@code subscribeAnswer}. Every Salotto-protocol specific of the load generator is here and in
 * {@link SalottoRoom}.
 */
final class SignalingClient implements Signaling {
    static final ObjectMapper JSON = JsonWebSocket.JSON;
    private static final long TIMEOUT_MILLIS = 10_000;

    private final HttpClient http;
    private final SalottoRoom room;
    private final Events events;
    private volatile CompletableFuture<JsonNode> joined = new CompletableFuture<>();
    /** A {@code wrong_node} after joining (an edge's listener brought on stage): the room's node to join again on. */
    private final CompletableFuture<String> moved = new CompletableFuture<>();
    /** Which socket is this client's now: frames and closings of an earlier one (before a move) are ignored. */
    private volatile int generation;
    private final CompletableFuture<JsonNode> onStage = new CompletableFuture<>();
    /** Room events are read only while waiting to be put on stage; a listener skips them unparsed. */
    private volatile boolean awaitingStage;
    private volatile CompletableFuture<JsonNode> publishAnswer = new CompletableFuture<>();
    private volatile JsonWebSocket socket;
    private volatile String participantId;

    SignalingClient(HttpClient http, SalottoRoom room, Events events) {
        this.http = http;
        this.room = room;
        this.events = events;
    }

    /** Sees every frame the server sends, before this client handles it (tests); null: none. */
    private volatile java.util.function.Consumer<JsonNode> observer;

    /** Every frame from the server goes to {@code frames} first, track and room events included (tests). */
    SignalingClient observe(java.util.function.Consumer<JsonNode> frames) {
        this.observer = frames;
        return this;
    }

    /** Joins with a join token made elsewhere (an application's, minted offline); no stage invitation is waited for. */
    void joinWithToken(String token) throws Exception {
        connectAndJoin(token, false);
    }

    @Override
    public void join(String name, boolean publishes) throws Exception {
        connectAndJoin(room.joinToken(name, publishes), publishes);
    }

    private void connectAndJoin(String token, boolean publishes) throws Exception {
        awaitingStage = publishes;
        connect(room.webSocketUri());
        socket.send(message("join").put("token", token));
        JsonNode j = joined.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        participantId = j.path("participantId").asText();
        String role = j.path("role").asText();
        if (publishes && (role.equals("listener") || role.equals("viewer"))) {
            room.inviteToStage(participantId);
            onStage.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (j.path("resumeToken").isNull()) {
                // Served by an edge node (docs/protocol.md "A space's listener served by another node"): on stage,
                // it sends us to the room's node, where the same token joins us as the same participant.
                String node = moved.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                JsonWebSocket old = socket;
                joined = new CompletableFuture<>();
                connect(URI.create(node.replaceAll("/+$", "").replaceFirst("^http", "ws") + "/ws/rooms/" + room.id()));
                old.close();
                socket.send(message("join").put("token", token));
                joined.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        awaitingStage = false;
    }

    private void connect(URI uri) {
        int mine = ++generation;
        socket = JsonWebSocket.connect(http, uri, null, this::ignored, f -> {
                    if (mine == generation) onFrame(f);
                },
                () -> {
                    if (mine != generation) return;
                    IOException closed = new IOException("signaling closed");
                    joined.completeExceptionally(closed);
                    onStage.completeExceptionally(closed);
                    publishAnswer.completeExceptionally(closed);
                });
    }

    @Override
    public String publish(String offerSdp, boolean audio, boolean video) throws Exception {
        publishAnswer = new CompletableFuture<>();
        ObjectNode frame = message("publish").put("sdp", offerSdp);
        ObjectNode sourcesByMid = frame.putObject("sources");
        if (audio) sourcesByMid.put(ClientSdp.AUDIO_MID, "mic");
        if (video) sourcesByMid.put(ClientSdp.VIDEO_MID, "camera");
        socket.send(frame);
        return publishAnswer.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).path("sdp").asText();
    }

    @Override
    public void subscribe() {
        // Salotto sends a subscribeOffer whenever the set of tracks changes: nothing to ask for.
    }

    @Override
    public void answer(String answerSdp, long version) {
        socket.send(message("subscribeAnswer").put("sdp", answerSdp).put("version", version));
    }

    @Override
    public void videoSize(String trackId, int width, int height) {
        socket.send(message("videoSize").put("trackId", trackId).put("width", width).put("height", height));
    }

    /** Posts a comment (a live). */
    void comment(String text) {
        socket.send(message("comment").put("text", text));
    }

    @Override
    public String participantId() {
        return participantId;
    }

    private void onFrame(JsonNode frame) {
        java.util.function.Consumer<JsonNode> o = observer;
        if (o != null) o.accept(frame);
        switch (frame.path("type").asText()) {
            case "joined" -> joined.complete(frame);
            case "invited" -> socket.send(message("acceptInvitation"));
            case "roomEvents" -> {
                for (JsonNode e : frame.path("events")) {
                    if (e.path("type").asText().equals("roleChanged") && e.path("participantId").asText().equals(participantId)
                            && e.path("role").asText().equals(room.stageRole())) {
                        onStage.complete(e);
                    }
                }
            }
            case "publishAnswer" -> publishAnswer.complete(frame);
            case "subscribeOffer" -> events.onSubscribeOffer(frame.path("sdp").asText(), frame.path("version").asLong());
            case "publisherLayers" -> {
                java.util.Set<String> active = new java.util.HashSet<>();
                for (JsonNode rid : frame.path("active")) active.add(rid.asText());
                events.onPublisherLayers(frame.path("mid").asText(), active);
            }
            case "stageSlots" -> {
                java.util.Map<String, String> audio = new java.util.HashMap<>();
                for (String kind : new String[] {"audio", "video"}) { // slot track ids: audio-0..., video-0...
                    for (JsonNode slot : frame.path(kind)) {
                        JsonNode owner = slot.path("participantId");
                        audio.put(slot.path("trackId").asText(), owner.isTextual() ? owner.asText() : null);
                    }
                }
                events.onStageSlots(audio);
            }
            case "error" -> {
                if (frame.path("code").asText().equals("wrong_node") && joined.isDone() && frame.hasNonNull("nodeUrl")) {
                    moved.complete(frame.path("nodeUrl").asText());
                    return;
                }
                String message = frame.path("code").asText() + ": " + frame.path("message").asText();
                publishAnswer.completeExceptionally(new IOException(message));
                joined.completeExceptionally(new IOException(message));
                onStage.completeExceptionally(new IOException(message));
                events.onFailure("server error " + message);
            }
            default -> { } // participants coming and going, tracks: the offers say all we need
        }
    }

    /** Room events and tracks coming and going: the subscribe offers say all the generator needs. */
    private boolean ignored(String frame) {
        if (observer != null) return false;
        if (frame.startsWith("{\"type\":\"roomEvents")) return !awaitingStage;
        return frame.startsWith("{\"type\":\"track");
    }

    private static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    @Override
    public void close() {
        JsonWebSocket s = socket;
        if (s != null) {
            s.send(message("leave"));
            s.close();
        }
    }
}
