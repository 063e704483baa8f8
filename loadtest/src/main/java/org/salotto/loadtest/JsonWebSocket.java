package org.salotto.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A WebSocket that carries one JSON object per text frame, on the JDK's client: frames arrive in order on the client's
 * thread and go to {@code onFrame}; sends are chained, since a JDK WebSocket takes one send at a time. Knows no
 * server's protocol: {@link SignalingClient} (Salotto) and {@link JanusClient} (Janus) are built on it.
 */
final class JsonWebSocket implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    private JsonWebSocket(WebSocket socket) {
        this.socket = socket;
    }

    /**
     * Connects, blocking; {@code subprotocol} may be null. Frames that {@code skip} accepts (a cheap test on the raw
     * text) are dropped unparsed: in a room of a thousand, every join and leave reaches every participant, and parsing
     * a million frames nobody reads would make the generator, not the server, the bottleneck.
     */
    static JsonWebSocket connect(HttpClient http, URI uri, String subprotocol, Predicate<String> skip,
                                 Consumer<JsonNode> onFrame, Runnable onClose) {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    if (skip.test(text)) {
                        ws.request(1);
                        return null;
                    }
                    JsonNode frame = null;
                    try {
                        frame = JSON.readTree(text);
                    } catch (Exception e) {
                        System.err.println("loadtest: bad frame from the server: " + e.getMessage());
                    }
                    if (frame != null) onFrame.accept(frame);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                onClose.run();
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                onClose.run();
            }
        };
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (subprotocol != null) builder.subprotocols(subprotocol);
        return new JsonWebSocket(builder.buildAsync(uri, listener).join());
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    synchronized void send(ObjectNode frame) {
        String text = frame.toString();
        sending = sending.handle((r, e) -> null).thenCompose(x -> socket.sendText(text, true));
    }

    @Override
    public synchronized void close() {
        sending.handle((r, e) -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
    }
}
