package org.salotto.loadtest;

import java.io.IOException;
import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Salotto's signaling (docs/protocol.md) for one participant: one WebSocket to {@code /ws/rooms/{room}}, {@code join},
 * {@code publish} answered by {@code publishAnswer}, and {@code subscribeOffer}s the server sends unasked, answered by
 * {@code subscribeAnswer}. Every Salotto-protocol specific of the load generator is in this class.
 */
final class SignalingClient implements Signaling {
    static final ObjectMapper JSON = JsonWebSocket.JSON;
    private static final long TIMEOUT_MILLIS = 10_000;

    private final HttpClient http;
    private final LoadTestConfig config;
    private final Events events;
    private final CompletableFuture<JsonNode> joined = new CompletableFuture<>();
    private volatile CompletableFuture<JsonNode> publishAnswer = new CompletableFuture<>();
    private volatile JsonWebSocket socket;
    private volatile String participantId;

    SignalingClient(HttpClient http, LoadTestConfig config, Events events) {
        this.http = http;
        this.config = config;
        this.events = events;
    }

    @Override
    public void join(String name, boolean publishes) throws Exception {
        socket = JsonWebSocket.connect(http, config.webSocketUri(), null, SignalingClient::ignored, this::onFrame,
                () -> {
                    IOException closed = new IOException("signaling closed");
                    joined.completeExceptionally(closed);
                    publishAnswer.completeExceptionally(closed);
                });
        socket.send(message("join").put("name", name));
        participantId = joined.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).path("participantId").asText();
    }

    @Override
    public String publish(String offerSdp, boolean audio, boolean video) throws Exception {
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
    public String participantId() {
        return participantId;
    }

    private void onFrame(JsonNode frame) {
        switch (frame.path("type").asText()) {
            case "joined" -> joined.complete(frame);
            case "publishAnswer" -> publishAnswer.complete(frame);
            case "subscribeOffer" -> events.onSubscribeOffer(frame.path("sdp").asText(), frame.path("version").asLong());
            case "error" -> {
                String message = frame.path("code").asText() + ": " + frame.path("message").asText();
                publishAnswer.completeExceptionally(new IOException(message));
                joined.completeExceptionally(new IOException(message));
                events.onFailure("server error " + message);
            }
            default -> { } // participants coming and going, tracks: the offers say all we need
        }
    }

    /** Participants and tracks coming and going: the subscribe offers say all the generator needs. */
    private static boolean ignored(String frame) {
        return frame.startsWith("{\"type\":\"participant") || frame.startsWith("{\"type\":\"track");
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
