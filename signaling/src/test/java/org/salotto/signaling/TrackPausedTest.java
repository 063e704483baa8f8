package org.salotto.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.forward.AllocatorDecisions;
import org.salotto.media.forward.Consumer;

/**
 * A subscriber is told when the server pauses a video it receives for want of bandwidth, and when it resumes
 * ({@code trackPaused}): once per change, never again for a decision that changes nothing, and only the subscriber
 * concerned.
 */
class TrackPausedTest {
    private static final String OFFER = SignalingFixture.CHROME_OFFER;

    private SignalingFixture fixture;
    private SignalingService signaling;
    private Conference room;

    @BeforeEach
    void start() throws IOException {
        fixture = new SignalingFixture();
        signaling = fixture.signaling;
        room = signaling.conference("room");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private TestClient join(String id) {
        return SignalingFixture.join(room, id, PublishPolicy.EVERYTHING);
    }

    @Test
    void thePauseAndTheResumeAreToldOnceEach() throws Exception {
        TestClient ann = join("ann");
        TestClient bob = join("bob");
        ann.media.handle("publish", Messages.message("publish").put("sdp", OFFER), null);
        ann.await("publishAnswer");
        String camera = null;
        for (int i = 0; i < 2 && camera == null; i++) {
            ObjectNode t = bob.await("trackPublished");
            if (t.path("kind").asText().equals("video")) camera = t.path("trackId").asText();
        }
        assertNotNull(camera, "ann's camera published: " + bob.types());
        bob.await("subscribeOffer");
        Consumer consumer = room.consumerOf("bob", camera);
        assertNotNull(consumer, "bob receives ann's camera");

        AllocatorDecisions.suspend(consumer, true);
        ObjectNode paused = bob.await("trackPaused");
        assertEquals("ann", paused.path("participantId").asText());
        assertEquals(camera, paused.path("trackId").asText());
        assertTrue(paused.path("paused").asBoolean());
        assertEquals("bandwidth", paused.path("reason").asText());

        AllocatorDecisions.suspend(consumer, true); // the next allocation rounds decide the same: nothing to tell
        AllocatorDecisions.suspend(consumer, true);
        AllocatorDecisions.suspend(consumer, false);
        ObjectNode resumed = bob.await("trackPaused");
        assertFalse(resumed.path("paused").asBoolean());
        assertEquals(camera, resumed.path("trackId").asText());
        assertEquals(2, bob.count("trackPaused"), "one frame per change: " + bob.types());
        assertFalse(ann.types().contains("trackPaused"), "only the subscriber is told: " + ann.types());
        assertEquals(List.of(true, false), bob.all().stream().filter(f -> f.path("type").asText().equals("trackPaused"))
                .map(f -> f.path("paused").asBoolean()).toList());
    }
}
