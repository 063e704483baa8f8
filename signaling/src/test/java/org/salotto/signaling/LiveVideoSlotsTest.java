package org.salotto.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.signaling.sdp.MediaDescription;
import org.salotto.signaling.sdp.SdpParser;

/**
 * A live's viewer on fixed video slots (a conference for a stage of 4): the viewer's first offer has the audio slots
 * and four video slots, `~stage video-0` to `video-3`, each with an RTX SSRC; the host's camera takes video-0, a guest
 * brought on stage and publishing takes video-1, and when the guest goes back to the audience their slot falls silent
 * and the host keeps theirs. The viewer is sent one subscribeOffer in all, whoever comes and goes.
 */
class LiveVideoSlotsTest {
    private static final String OFFER = SignalingFixture.CHROME_OFFER;

    private SignalingFixture fixture;
    private SignalingService signaling;
    private Conference room;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new SignalingFixture();
        signaling = fixture.signaling;
        room = signaling.conference("live", 4);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private TestClient join(String id, PublishPolicy policy) {
        return SignalingFixture.join(room, id, policy);
    }

    private static void publish(TestClient c) throws Exception {
        ObjectNode f = Messages.message("publish");
        f.put("sdp", OFFER);
        c.media.handle("publish", f, null);
        c.await("publishAnswer");
    }

    /** The a=msid of each m-section of one kind, in order. */
    private static List<String> msids(String sdp, String kind) throws Exception {
        List<String> out = new ArrayList<>();
        for (MediaDescription m : SdpParser.parse(sdp).media()) {
            if (m.media().equals(kind)) out.add(m.attribute("msid").orElse(""));
        }
        return out;
    }

    /** The participant in each video slot, by the next stageSlots frame that says {@code expected}; fails after 5 s. */
    private static List<String> awaitVideoSlots(TestClient viewer, List<String> expected) throws Exception {
        List<String> got = null;
        for (int i = 0; i < 50; i++) {
            JsonNode video = viewer.await("stageSlots").path("video");
            got = new ArrayList<>();
            for (JsonNode s : video) got.add(s.path("participantId").isNull() ? null : s.path("participantId").asText());
            if (got.equals(expected)) return got;
        }
        throw new AssertionError("the video slots never carried " + expected + "; last " + got);
    }

    @Test
    void aGuestComingOnStageAndLeavingItRenegotiatesNoViewer() throws Exception {
        TestClient host = join("host", PublishPolicy.EVERYTHING);
        publish(host);
        TestClient viewer = join("viewer", PublishPolicy.NOTHING);
        ObjectNode offer = viewer.await("subscribeOffer");
        String sdp = offer.path("sdp").asText();
        assertEquals(List.of("~stage audio-0", "~stage audio-1", "~stage audio-2"), msids(sdp, "audio"));
        assertEquals(List.of("~stage video-0", "~stage video-1", "~stage video-2", "~stage video-3"), msids(sdp, "video"),
                "the stage's video on four fixed slots, the host's camera on none of its own");
        for (MediaDescription m : SdpParser.parse(sdp).media()) {
            if (m.media().equals("video")) {
                assertTrue(m.attribute("ssrc-group").orElse("").startsWith("FID "), "a video slot carries RTX too: " + m);
            }
        }
        viewer.answer(offer, "view");
        awaitVideoSlots(viewer, java.util.Arrays.asList("host", null, null, null));

        // A viewer asks to join the stage: brought on, they publish; then the host sends them back to the audience.
        TestClient guest = join("guest", PublishPolicy.NOTHING);
        guest.answer(guest.await("subscribeOffer"), "gues");
        guest.media.setPolicy(PublishPolicy.EVERYTHING, false);
        guest.answer(guest.await("subscribeOffer"), "gues"); // on stage: the guest alone is renegotiated
        publish(guest);
        awaitVideoSlots(viewer, java.util.Arrays.asList("host", "guest", null, null));
        guest.media.setPolicy(PublishPolicy.NOTHING, true);
        viewer.await("trackUnpublished");
        viewer.await("trackUnpublished");
        awaitVideoSlots(viewer, java.util.Arrays.asList("host", null, null, null));

        assertEquals(1, viewer.count("subscribeOffer"), "the viewer was renegotiated: " + viewer.types());
        assertEquals(0, viewer.count("error"), "" + viewer.all());
        // The viewer's tile sizes go to whoever a slot carries.
        ObjectNode size = Messages.message("videoSize");
        size.put("trackId", "video-0");
        size.put("width", 320);
        size.put("height", 180);
        viewer.media.handle("videoSize", size, null);
        assertEquals(0, viewer.count("error"), "" + viewer.all());
    }

    @Test
    void aCallOrASpaceHasNoVideoSlots() throws Exception {
        Conference call = signaling.conference("space");
        TestClient host = new TestClient("host");
        host.media = call.join("host", "host", host.outbox, PublishPolicy.EVERYTHING);
        publish(host);
        TestClient listener = new TestClient("listener");
        listener.media = call.join("listener", "listener", listener.outbox, PublishPolicy.NOTHING);
        String sdp = listener.await("subscribeOffer").path("sdp").asText();
        assertEquals(1, msids(sdp, "video").size());
        assertTrue(!msids(sdp, "video").getFirst().startsWith("~stage"), "the camera on an m-section of its own");
    }
}
