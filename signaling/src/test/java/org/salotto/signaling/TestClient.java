package org.salotto.signaling;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One person's signaling as the conference sees it: an outbox over a connection that records every frame in order. */
final class TestClient implements ClientConnection {
    private final LinkedBlockingQueue<ObjectNode> unread = new LinkedBlockingQueue<>();
    private final List<ObjectNode> all = new ArrayList<>();
    final Outbox outbox;
    volatile String closedWith;
    MediaSession media;

    TestClient(String name) {
        this.outbox = new Outbox(this, name);
    }

    @Override
    public void send(String json) {
        try {
            ObjectNode frame = (ObjectNode) Messages.JSON.readTree(json);
            synchronized (all) {
                all.add(frame);
            }
            unread.add(frame);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the server sent a frame that is not JSON: " + json, e);
        }
    }

    @Override
    public void close(String reason) {
        closedWith = reason;
    }

    /** The next frame of this type, skipping (but keeping in {@link #all()}) the others; fails after 5 s. */
    ObjectNode await(String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            long left = deadline - System.nanoTime();
            ObjectNode f = left > 0 ? unread.poll(left, TimeUnit.NANOSECONDS) : null;
            assertNotNull(f, "no '" + type + "' frame within 5 s; got " + all());
            if (f.path("type").asText().equals(type)) return f;
        }
    }

    /** Every frame received so far, in order. */
    List<ObjectNode> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    List<String> types() {
        List<String> out = new ArrayList<>();
        for (ObjectNode f : all()) out.add(f.path("type").asText());
        return out;
    }

    long count(String type) {
        return types().stream().filter(type::equals).count();
    }
}
