package org.salotto.signaling;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import org.salotto.signaling.sdp.Direction;
import org.salotto.signaling.sdp.MediaDescription;
import org.salotto.signaling.sdp.SdpParser;
import org.salotto.signaling.sdp.SessionDescription;
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

    /** Answers a subscribe offer as a browser would (a=setup:active, our credentials); returns the offer's SDP. */
    String answer(ObjectNode offer, String clientUfrag) throws Exception {
        String sdp = offer.path("sdp").asText();
        SessionDescription sd = SdpParser.parse(sdp);
        StringBuilder b = new StringBuilder("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        for (MediaDescription m : sd.media()) {
            boolean sends = m.direction(sd) == Direction.SENDONLY;
            b.append("m=").append(m.media()).append(" 9 UDP/TLS/RTP/SAVPF ").append(String.join(" ", m.formats()))
                    .append("\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:").append(clientUfrag)
                    .append("\r\na=ice-pwd:clientpasswordclientpassword\r\na=fingerprint:sha-256 ")
                    .append("3B:A1:0C:7E:55:19:D2:8F:4A:6B:E0:91:C3:2D:77:F8:0A:B4:69:1E:C5:38:D7:42:9F:E6:13:5C:A8:04:BB:6D")
                    .append("\r\na=setup:active\r\na=mid:").append(m.mid()).append("\r\na=rtcp-mux\r\n")
                    .append(sends ? "a=recvonly\r\n" : "a=inactive\r\n");
        }
        ObjectNode frame = Messages.message("subscribeAnswer");
        frame.put("sdp", b.toString());
        frame.put("version", offer.path("version").asLong());
        media.handle("subscribeAnswer", frame, null);
        return sdp;
    }

}
