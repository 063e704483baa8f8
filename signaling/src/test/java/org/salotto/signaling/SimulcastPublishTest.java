package org.salotto.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.MediaServer;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.sdp.MediaDescription;
import org.salotto.signaling.sdp.SdpParser;

/**
 * A Chrome simulcast offer (three rids, no SSRC for the video) is published, not refused: the answer takes the layers,
 * the others are told of the track and offered it, and a receiver's {@code videoSize} for it is taken (the layer choice
 * itself is media's, SimulcastForwardTest); one for a track that is not published is ignored, out of range refused.
 */
class SimulcastPublishTest {
    private static final String OFFER = fixture("chrome-publisher-offer.sdp");

    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private MediaServer media;

    @AfterEach
    void tearDown() throws Exception {
        if (media != null) media.close();
        control.close();
    }

    private static String simulcastOffer() {
        String video = OFFER.substring(OFFER.indexOf("m=video"));
        return OFFER.substring(0, OFFER.indexOf("m=video")) + video.substring(0, video.indexOf("a=ssrc-group"))
                + "a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\na=simulcast:send q;h;f\r\n";
    }

    private static ObjectNode frame(String type) {
        return Messages.message(type);
    }

    @Test
    void aSimulcastCameraIsPublishedAndAReceiverCanSayItsTileSize() throws Exception {
        media = MediaServer.start(new InetSocketAddress("127.0.0.1", 0), control, 65_536);
        media.setConsentTimeout(Duration.ofSeconds(30));
        Conference room = new SignalingService(media, "127.0.0.1", media.localAddress().getPort()).conference("room");
        TestClient viewer = new TestClient("viewer");
        viewer.media = room.join("viewer", "viewer", viewer.outbox, PublishPolicy.NOTHING);
        ObjectNode slots = viewer.await("subscribeOffer"); // the viewer came first: its audio slots, at once
        assertFalse(slots.path("sdp").asText().contains("m=video"), "a camera before it was published");
        TestClient host = new TestClient("host");
        host.media = room.join("host", "host", host.outbox, PublishPolicy.EVERYTHING);

        ObjectNode publish = frame("publish");
        publish.put("sdp", simulcastOffer());
        host.media.handle("publish", publish, null);
        String answer = host.await("publishAnswer").path("sdp").asText();
        MediaDescription video = SdpParser.parse(answer).mediaByMid("1");
        assertEquals("recv q;h;f", video.attribute("simulcast").orElseThrow());

        String videoTrack = null;
        for (int i = 0; i < 2; i++) {
            ObjectNode t = viewer.await("trackPublished");
            if (t.path("kind").asText().equals("video")) videoTrack = t.path("trackId").asText();
        }
        assertTrue(videoTrack != null, "the simulcast camera was announced");
        viewer.answer(slots, "view"); // the camera comes in the offer after this answer
        assertTrue(viewer.await("subscribeOffer").path("sdp").asText().contains("m=video"));

        ObjectNode size = frame("videoSize");
        size.put("trackId", videoTrack);
        size.put("width", 320);
        size.put("height", 180);
        viewer.media.handle("videoSize", size, null);
        size.put("trackId", "no-such-track");
        viewer.media.handle("videoSize", size, null); // a tile may outlive its track by a moment: ignored
        assertEquals(0, viewer.count("error"));

        size.put("width", 99_999);
        var refused = org.junit.jupiter.api.Assertions.assertThrows(
                org.salotto.signaling.SignalingException.class, () -> viewer.media.handle("videoSize", size, null));
        assertEquals(ErrorCode.BAD_MESSAGE, refused.errorCode());
    }

    private static String fixture(String name) {
        try (InputStream in = SimulcastPublishTest.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
