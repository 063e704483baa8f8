package org.salotto.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.salotto.media.MediaServer;

/**
 * A media server and a signaling service on loopback for one test, people joining its conferences as
 * {@link TestClient}s; closed after the test.
 */
final class SignalingFixture implements AutoCloseable {
    /** The offer Chromium makes to publish its microphone and camera. */
    static final String CHROME_OFFER = sdp("chrome-publisher-offer.sdp");

    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    final MediaServer media;
    final SignalingService signaling;

    SignalingFixture() throws IOException {
        media = MediaServer.start(new InetSocketAddress("127.0.0.1", 0), control, 65_536);
        signaling = new SignalingService(media, "127.0.0.1", media.localAddress().getPort());
    }

    /** Someone joins {@code room} with this policy, as a WebSocket client the server makes offers to. */
    static TestClient join(Conference room, String id, PublishPolicy policy) {
        TestClient c = new TestClient(id);
        c.media = room.join(id, id, c.outbox, policy);
        return c;
    }

    /** An SDP of the test resources' sdp folder. */
    static String sdp(String name) {
        try (InputStream in = SignalingFixture.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        signaling.close();
        media.close();
        control.close();
    }
}
