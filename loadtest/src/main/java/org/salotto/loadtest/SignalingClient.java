package org.salotto.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One participant's signaling WebSocket (docs/protocol.md) on the JDK's client. Frames arrive in order on the
 * client's thread and go to {@code onFrame}; sends are chained, since a JDK WebSocket takes one send at a time.
 */
final class SignalingClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    private SignalingClient(WebSocket socket) {
        this.socket = socket;
    }

    static SignalingClient connect(HttpClient http, URI uri, Consumer<JsonNode> onFrame, Runnable onClose) {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    try {
                        onFrame.accept(JSON.readTree(text));
                    } catch (Exception e) {
                        System.err.println("loadtest: bad frame from the server: " + e.getMessage());
                    }
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
        WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, listener).join();
        return new SignalingClient(ws);
    }

    static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
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
