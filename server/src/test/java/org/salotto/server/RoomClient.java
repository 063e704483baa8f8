package org.salotto.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A room WebSocket in a test: frames arrive in a queue; the test waits for the ones it expects. */
final class RoomClient implements AutoCloseable {
    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket ws;
    volatile int roomEventFrames;
    String participantId;
    JsonNode joined;

    static RoomClient open(String baseUrl, String roomId) throws Exception {
        RoomClient c = new RoomClient();
        c.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(baseUrl.replace("http:", "ws:") + "/ws/rooms/" + roomId), c.listener())
                .get(10, TimeUnit.SECONDS);
        return c;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        JsonNode f = Person.JSON.readTree(partial.toString());
                        if (f.path("type").asText().equals("roomEvents")) {
                            roomEventFrames++;
                            // Each event of a batch is queued on its own, marked as an event.
                            for (JsonNode e : f.get("events")) frames.add(((com.fasterxml.jackson.databind.node.ObjectNode) e).put("event", true));
                        } else {
                            frames.add(f);
                        }
                    } catch (Exception e) {
                        throw new AssertionError("the server sent a frame that is not JSON: " + partial, e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        };
    }

    /** The socket itself, for frames a client library would not send on its own (control, binary, fragments). */
    WebSocket socket() {
        return ws;
    }

    void send(Object frame) throws Exception {
        String text = frame instanceof String s ? s : Person.JSON.writeValueAsString(frame);
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    /** The next frame matching, skipping (and keeping) others; fails after 10 s. */
    JsonNode await(String what, Predicate<JsonNode> match) throws InterruptedException {
        for (JsonNode f : seen) {
            if (match.test(f)) {
                seen.remove(f);
                return f;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (f == null) throw new AssertionError("no " + what + " within 10 s; got " + seen);
            if (match.test(f)) {
                if ("joined".equals(f.path("type").asText())) {
                    participantId = f.get("participantId").asText();
                    joined = f;
                }
                return f;
            }
            seen.add(f);
        }
    }

    JsonNode awaitType(String type) throws InterruptedException {
        return await("'" + type + "'", f -> f.path("type").asText().equals(type));
    }

    JsonNode awaitError(String code) throws InterruptedException {
        return await("error " + code, f -> f.path("type").asText().equals("error") && f.path("code").asText().equals(code));
    }

    /** The next room event of this type (room events come batched in roomEvents frames). */
    JsonNode awaitEvent(String type, Predicate<JsonNode> match) throws InterruptedException {
        return await("room event " + type, e -> e.path("event").asBoolean() && e.path("type").asText().equals(type) && match.test(e));
    }

    /** True if the server closed the socket within the time. */
    boolean closedWithin(Duration d) throws Exception {
        try {
            closed.get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Cuts the connection without a closing handshake, as a lost network does. */
    void abort() {
        ws.abort();
    }

    /** The close code the server sent, once it closed (-1 for an error), waiting up to 10 s. */
    int closeCode() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    /** The frames seen so far and not consumed by an await. */
    List<JsonNode> seen() {
        List<JsonNode> all = new ArrayList<>(seen);
        all.addAll(frames);
        return all;
    }

    /** The close code the server sent (-1: the connection failed); fails if it did not close within the time. */
    int closeCode(Duration d) throws Exception {
        try {
            return closed.get(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the server did not close the socket within " + d);
        }
    }

    @Override
    public void close() {
        if (ws != null && !ws.isOutputClosed()) ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
