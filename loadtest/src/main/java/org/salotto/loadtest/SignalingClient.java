package org.salotto.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
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
 *
 * <p>Given the cluster's nodes ({@link #followNodes}), a listener whose socket closes without its leaving (its node
 * lost) comes back as a person would: {@code resume} with its token through the next node in the list (following
 * {@code wrong_node}), and if that is refused a fresh {@code join} with a new join token.
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
    /** The cluster's nodes (base URLs) a listener goes through, and the one it is on now; null: the room's node only. */
    private volatile List<String> nodes;
    private volatile int node;
    private volatile String resumeToken;
    /** This client left (or the room ended, or it was removed): a closing socket is not a loss. */
    private volatile boolean over;
    /** Coming back after a loss: the server's errors answer the attempt, they are not the participant's failure. */
    private volatile boolean reconnecting;
    private String joinName;
    /** The node the last come-back went through (reconnect thread). */
    private String cameThrough;

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

    /**
     * Goes through the cluster's nodes {@code nodeUrls} (base URLs), joining through the one at {@code first}, and after
     * a loss coming back through the next ones in turn.
     */
    SignalingClient followNodes(List<String> nodeUrls, int first) {
        this.nodes = List.copyOf(nodeUrls);
        this.node = Math.floorMod(first, nodeUrls.size());
        return this;
    }

    private URI socketUri(String base) {
        return URI.create(base.replaceAll("/+$", "").replaceFirst("^http", "ws") + "/ws/rooms/" + room.id());
    }

    /** Joins with a join token made elsewhere (an application's, minted offline); no stage invitation is waited for. */
    void joinWithToken(String token) throws Exception {
        connectAndJoin(token, false);
    }

    @Override
    public void join(String name, boolean publishes) throws Exception {
        joinName = name;
        connectAndJoin(room.joinToken(name, publishes), publishes);
    }

    private void connectAndJoin(String token, boolean publishes) throws Exception {
        awaitingStage = publishes;
        List<String> n = nodes;
        URI uri = n == null ? room.webSocketUri() : socketUri(n.get(node));
        JsonNode j;
        for (int hop = 0; ; hop++) {
            // With a cluster, a node that does not hold the room (and does not serve this person as its listener)
            // answers wrong_node before spending the token: the same join goes to the node it names.
            newAttempt();
            connect(uri);
            JsonWebSocket s = socket;
            s.send(message("join").put("token", token));
            try {
                j = joined.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof Refused r) || !r.code.equals("wrong_node") || r.nodeUrl == null || hop >= 3) {
                    throw e;
                }
                s.close();
                room.ownerIs(r.nodeUrl);
                uri = socketUri(r.nodeUrl);
            }
        }
        participantId = j.path("participantId").asText();
        resumeToken = j.path("resumeToken").asText(null);
        String role = j.path("role").asText();
        if (publishes && (role.equals("listener") || role.equals("viewer"))) {
            room.inviteToStage(participantId);
            onStage.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (!room.socketsOnApiNode()) {
                // Served by an edge node (docs/protocol.md "A space's listener served by another node"): on stage,
                // it sends us to the room's node, where the same token joins us as the same participant.
                String node = moved.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                JsonWebSocket old = socket;
                newAttempt();
                connect(URI.create(node.replaceAll("/+$", "").replaceFirst("^http", "ws") + "/ws/rooms/" + room.id()));
                old.close();
                socket.send(message("join").put("token", token));
                joined.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        awaitingStage = false;
    }

    /**
     * A new {@code joined} to wait for, and the sockets opened so far no longer this client's: their closing (the old
     * node closing it after {@code wrong_node}, say) must not fail the new wait.
     */
    private synchronized void newAttempt() {
        generation++;
        joined = new CompletableFuture<>();
    }

    private void connect(URI uri) {
        int mine;
        synchronized (this) {
            mine = ++generation;
        }
        java.util.concurrent.atomic.AtomicBoolean closedOnce = new java.util.concurrent.atomic.AtomicBoolean();
        socket = JsonWebSocket.connect(http, uri, null, this::ignored, f -> {
                    if (mine == generation) onFrame(f);
                },
                () -> {
                    synchronized (this) {
                        onClosed(mine, closedOnce);
                    }
                });
    }

    /** A socket of this client closed (its callback, under the client's lock). */
    private void onClosed(int mine, java.util.concurrent.atomic.AtomicBoolean closedOnce) {
        if (mine != generation || !closedOnce.compareAndSet(false, true)) return;
        IOException closed = new IOException("signaling closed");
        boolean wasIn = joined.isDone() && !joined.isCompletedExceptionally();
        joined.completeExceptionally(closed);
        onStage.completeExceptionally(closed);
        publishAnswer.completeExceptionally(closed);
        // Not after wrong_node (brought on stage: the move to the room's node is connectAndJoin's).
        if (wasIn && !over && !reconnecting && !moved.isDone() && nodes != null && resumeToken != null) {
            long lostAt = System.nanoTime();
            Thread.ofVirtual().name("reconnect-" + joinName).start(() -> comeBack(lostAt));
        }
    }

    /** A server's refusal of a resume or join while coming back. */
    private static final class Refused extends IOException {
        final String code;
        final String nodeUrl;

        Refused(String code, String message, String nodeUrl) {
            super(code + ": " + message);
            this.code = code;
            this.nodeUrl = nodeUrl;
        }
    }

    /**
     * The socket closed without this client leaving (its node lost): {@code resume} through the next node (and the
     * ones after it, following {@code wrong_node}), and if refused a fresh join; tried for {@link #COME_BACK_MILLIS}.
     */
    private void comeBack(long lostAt) {
        reconnecting = true;
        events.onConnectionLost(lostAt);
        long deadline = lostAt + COME_BACK_MILLIS * 1_000_000L;
        List<String> n = nodes;
        boolean resume = true;
        Exception last = null;
        try {
            for (int attempt = 1; System.nanoTime() < deadline; attempt++) {
                int next = (node + 1) % n.size();
                String base = n.get(next);
                try {
                    String token = resume ? resumeToken : room.joinToken(joinName, false);
                    JsonNode j = through(base, resume ? "resume" : "join", token, 3);
                    participantId = j.path("participantId").asText();
                    resumeToken = j.path("resumeToken").asText(null);
                    events.onReconnected(resume ? "resumed" : "joined", cameThrough, System.nanoTime() - lostAt);
                    return;
                } catch (Refused r) {
                    last = r;
                    if (resume && !r.code.equals("unavailable")) {
                        resume = false; // not in the room any more (or cannot be resumed here): join afresh
                        continue;
                    }
                } catch (Exception e) {
                    last = e; // the node cannot be reached: the next one
                }
                node = next;
                if (attempt % n.size() == 0) Thread.sleep(200); // every node tried: a moment before the next round
            }
            events.onFailure("could not come back after a loss: " + last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reconnecting = false;
        }
    }

    /** Sends {@code type} with {@code token} through the node at {@code base}, following {@code wrong_node} up to hops. */
    private JsonNode through(String base, String type, String token, int hops) throws Exception {
        newAttempt();
        connect(socketUri(base));
        JsonWebSocket s = socket;
        s.send(message(type).put("token", token));
        try {
            JsonNode j = joined.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            for (int i = 0; i < nodes.size(); i++) if (sameNode(nodes.get(i), base)) node = i;
            cameThrough = base;
            return j;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            s.close(); // refused there: that socket is done
            if (e.getCause() instanceof Refused r && r.code.equals("wrong_node") && r.nodeUrl != null && hops > 0) {
                return through(r.nodeUrl, type, token, hops - 1);
            }
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    private static boolean sameNode(String a, String b) {
        return a.replaceAll("/+$", "").equals(b.replaceAll("/+$", ""));
    }

    /** How long a listener tries to come back after a loss before it counts as failed. */
    static final long COME_BACK_MILLIS = 30_000;

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
            case "joined", "resumed" -> joined.complete(frame);
            case "roomEnded", "removed", "denied" -> over = true; // the socket closes: not a loss to come back from
            case "error" -> {
                if (frame.path("code").asText().equals("replaced")) over = true; // another connection of ours took over
                onError(frame);
            }
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
            default -> { } // participants coming and going, tracks: the offers say all we need
        }
    }

    private void onError(JsonNode frame) {
        String code = frame.path("code").asText();
        if (code.equals("wrong_node") && joined.isDone() && frame.hasNonNull("nodeUrl")) {
            moved.complete(frame.path("nodeUrl").asText());
            return;
        }
        if ((reconnecting || code.equals("wrong_node")) && !joined.isDone()) {
            joined.completeExceptionally(new Refused(code, frame.path("message").asText(), frame.path("nodeUrl").asText(null)));
            return;
        }
        String message = code + ": " + frame.path("message").asText();
        publishAnswer.completeExceptionally(new IOException(message));
        joined.completeExceptionally(new IOException(message));
        onStage.completeExceptionally(new IOException(message));
        events.onFailure("server error " + message);
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
        over = true;
        JsonWebSocket s = socket;
        if (s != null) {
            s.send(message("leave"));
            s.close();
        }
    }
}
