package org.salotto.loadtest;

import java.io.IOException;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Janus adapter: one participant's signaling with Janus's videoroom plugin over the Janus WebSocket API
 * ({@code janus-protocol}), so that the same simulated media can be measured against Janus. One session per
 * participant; a publisher handle ({@code joinandconfigure} with our offer, Janus answers) for those who publish, and a
 * subscriber handle for everyone ({@code join} as subscriber to every other publisher's feed: Janus offers, we answer
 * with {@code start}) — as in Salotto, where every participant receives everyone else.
 *
 * <p>Janus is a full ICE agent and, answering our publisher offer with {@code a=setup:active}, would be the DTLS
 * client; our offer says {@code a=setup:active} instead (Janus then takes the server role), so that the generator stays
 * a DTLS client towards both servers. See {@link JanusRoom} for the room every participant of a run shares.
 */
final class JanusClient implements Signaling {
    private static final String PLUGIN = "janus.plugin.videoroom";
    private static final long TIMEOUT_MILLIS = 10_000;
    /** Listeners wait for every publisher to be in before they subscribe: publishers are started first. */
    private static final long FEEDS_TIMEOUT_MILLIS = 60_000;
    private static final AtomicLong TRANSACTIONS = new AtomicLong();

    private final HttpClient http;
    private final LoadTestConfig config;
    private final JanusRoom room;
    private final Events events;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private volatile JsonWebSocket socket;
    private volatile long sessionId;
    private volatile long publisherHandle;
    private volatile long subscriberHandle;
    private volatile long feedId;
    private volatile boolean closing;
    private volatile String name;

    JanusClient(HttpClient http, LoadTestConfig config, JanusRoom room, Events events) {
        this.http = http;
        this.config = config;
        this.room = room;
        this.events = events;
    }

    /** Creates the run's room through a throwaway session: {@code create} on the videoroom plugin. */
    static void createRoom(HttpClient http, LoadTestConfig config, JanusRoom room) throws Exception {
        JanusClient admin = new JanusClient(http, config, room, new Events() {
            @Override
            public void onSubscribeOffer(String sdp, long version) {
            }

            @Override
            public void onFailure(String why) {
            }
        });
        try {
            admin.connect();
            long handle = admin.attach();
            ObjectNode body = JsonWebSocket.object().put("request", "create").put("room", room.id())
                    .put("description", config.room()).put("publishers", Math.max(1, config.publishers()))
                    .put("bitrate", 0).put("fir_freq", 0).put("audiocodec", "opus").put("videocodec", "vp8")
                    .put("audiolevel_ext", true).put("transport_wide_cc_ext", true).put("notify_joining", false)
                    .put("permanent", false);
            JsonNode data = admin.message(handle, body, null).path("plugindata").path("data");
            if (!data.path("videoroom").asText().equals("created")) {
                throw new IOException("Janus did not create the room: " + data);
            }
        } finally {
            admin.closing = true;
            admin.socket.close();
        }
    }

    @Override
    public void join(String name, boolean publishes) throws Exception {
        this.name = name;
        connect();
        if (!publishes) return;
        publisherHandle = attach();
        // Nothing to send yet: Janus's publisher joins with its offer (joinandconfigure).
    }

    @Override
    public String publish(String offerSdp, boolean audio, boolean video) throws Exception {
        ObjectNode body = JsonWebSocket.object().put("request", "joinandconfigure").put("room", room.id())
                .put("ptype", "publisher").put("display", name);
        JsonNode event = message(publisherHandle, body, jsep("offer", offerSdp));
        JsonNode data = event.path("plugindata").path("data");
        if (!data.path("videoroom").asText().equals("joined") || !event.has("jsep")) {
            throw new IOException("Janus refused to publish: " + data);
        }
        feedId = data.path("id").asLong();
        return event.path("jsep").path("sdp").asText();
    }

    @Override
    public void subscribe() throws Exception {
        List<Long> feeds = room.feeds().get(FEEDS_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        ArrayNode streams = JsonWebSocket.JSON.createArrayNode();
        for (long feed : feeds) if (feed != feedId) streams.addObject().put("feed", feed);
        if (streams.isEmpty()) return;
        subscriberHandle = attach();
        ObjectNode body = JsonWebSocket.object().put("request", "join").put("room", room.id())
                .put("ptype", "subscriber").put("use_msid", true);
        body.set("streams", streams);
        JsonNode event = message(subscriberHandle, body, null);
        JsonNode data = event.path("plugindata").path("data");
        if (!data.path("videoroom").asText().equals("attached") || !event.has("jsep")) {
            throw new IOException("Janus refused the subscription: " + data);
        }
        events.onSubscribeOffer(event.path("jsep").path("sdp").asText(), 1);
    }

    @Override
    public void answer(String answerSdp, long version) {
        ObjectNode body = JsonWebSocket.object().put("request", "start").put("room", room.id());
        Thread.ofVirtual().name("janus-start").start(() -> {
            try {
                message(subscriberHandle, body, jsep("answer", answerSdp));
            } catch (Exception e) {
                events.onFailure("Janus start: " + e);
            }
        });
    }

    @Override
    public String participantId() {
        return Long.toString(feedId != 0 ? feedId : sessionId);
    }

    private void connect() throws Exception {
        socket = JsonWebSocket.connect(http, config.webSocketUri(), "janus-protocol", f -> false, this::onFrame,
                this::onClosed);
        sessionId = request(JsonWebSocket.object().put("janus", "create")).path("data").path("id").asLong();
    }

    private long attach() throws Exception {
        return request(JsonWebSocket.object().put("janus", "attach").put("session_id", sessionId)
                .put("plugin", PLUGIN)).path("data").path("id").asLong();
    }

    /** A plugin message: the synchronous answer ({@code success}) or the event that follows the {@code ack}. */
    private JsonNode message(long handle, ObjectNode body, ObjectNode jsep) throws Exception {
        ObjectNode m = JsonWebSocket.object().put("janus", "message").put("session_id", sessionId)
                .put("handle_id", handle);
        m.set("body", body);
        if (jsep != null) m.set("jsep", jsep);
        JsonNode reply = request(m);
        JsonNode data = reply.path("plugindata").path("data");
        if (data.has("error_code")) {
            throw new IOException("Janus " + body.path("request").asText() + ": " + data.path("error_code").asInt()
                    + " " + data.path("error").asText());
        }
        return reply;
    }

    private JsonNode request(ObjectNode m) throws Exception {
        String transaction = Long.toString(TRANSACTIONS.incrementAndGet());
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(transaction, reply);
        socket.send(m.put("transaction", transaction));
        try {
            JsonNode r = reply.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (r.path("janus").asText().equals("error")) {
                throw new IOException("Janus " + m.path("janus").asText() + ": " + r.path("error"));
            }
            return r;
        } finally {
            pending.remove(transaction);
        }
    }

    private static ObjectNode jsep(String type, String sdp) {
        return JsonWebSocket.object().put("type", type).put("sdp", sdp);
    }

    private void onFrame(JsonNode frame) {
        String kind = frame.path("janus").asText();
        String transaction = frame.path("transaction").asText(null);
        if (kind.equals("ack")) return; // an event with the same transaction follows
        if (transaction != null) {
            CompletableFuture<JsonNode> f = pending.get(transaction);
            if (f != null) {
                f.complete(frame);
                return;
            }
        }
        // Janus lets subscribers in only once a feed's PeerConnection is up: then the feed counts as published.
        if (kind.equals("webrtcup") && frame.path("sender").asLong() == publisherHandle && publisherHandle != 0) {
            room.publisherJoined(feedId);
        }
        if (kind.equals("hangup") && !closing) events.onFailure("Janus hung up: " + frame.path("reason").asText());
        // webrtcup, media, slowlink, publishers joining: nothing the measurement needs
    }

    private void onClosed() {
        IOException closed = new IOException("signaling closed");
        pending.values().forEach(f -> f.completeExceptionally(closed));
        if (!closing) events.onFailure("Janus closed the WebSocket");
    }

    @Override
    public void close() {
        closing = true;
        JsonWebSocket s = socket;
        if (s == null) return;
        if (sessionId != 0) s.send(JsonWebSocket.object().put("janus", "destroy").put("session_id", sessionId)
                .put("transaction", Long.toString(TRANSACTIONS.incrementAndGet())));
        s.close();
    }
}
