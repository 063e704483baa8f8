package org.salotto.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.ServerFrame;

/**
 * Turning a microphone or camera off keeps the track published and tells the others, so that their screens show a
 * muted microphone or an avatar: trackMuted to everyone else when it changes, the muted flag in the tracks a newcomer
 * is given and in a later trackPublished, nothing when nothing changed, and a cap on how often it may change.
 */
class MuteTest {
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

    private static ObjectNode mute(String source, boolean muted) {
        ObjectNode n = Messages.message("mute");
        n.put("source", source);
        n.put("muted", muted);
        return n;
    }

    @Test
    void theOthersHearOfAMuteAndANewcomerSeesIt() throws Exception {
        TestClient ann = join("ann");
        TestClient bob = join("bob");
        ann.media.handle("publish", Messages.message("publish").put("sdp", OFFER), null);
        ann.await("publishAnswer");
        bob.await("trackPublished");

        ann.media.handle("mute", mute("mic", true), null);
        ObjectNode muted = bob.await("trackMuted");
        assertEquals("ann", muted.path("participantId").asText());
        assertEquals("mic", muted.path("source").asText());
        assertTrue(muted.path("muted").asBoolean());
        ann.media.handle("mute", mute("mic", true), null); // the same again: nothing to tell

        TestClient cat = join("cat");
        for (ServerFrame.Track t : room.tracks()) {
            if (t.source() == org.salotto.signaling.protocol.Source.MIC) assertEquals(Boolean.TRUE, t.muted(), "" + t);
            else assertNull(t.muted(), "the camera is on: " + t);
        }
        ann.media.handle("mute", mute("mic", false), null);
        assertFalse(bob.await("trackMuted").path("muted").asBoolean());
        assertFalse(cat.await("trackMuted").path("muted").asBoolean());
        assertEquals(2, bob.count("trackMuted"), "one frame per change: " + bob.types());
        assertFalse(ann.types().contains("trackMuted"), "the person who muted is not told");
    }

    @Test
    void aTrackPublishedWhileMutedSaysSo() throws Exception {
        TestClient ann = join("ann");
        TestClient bob = join("bob");
        ann.media.handle("mute", mute("camera", true), null); // off before publishing: nobody to tell yet
        ann.media.handle("publish", Messages.message("publish").put("sdp", OFFER), null);
        ann.await("publishAnswer");
        boolean cameraSeen = false;
        for (int i = 0; i < 2; i++) {
            ObjectNode t = bob.await("trackPublished");
            if (t.path("source").asText().equals("camera")) {
                cameraSeen = true;
                assertTrue(t.path("muted").asBoolean(), "published turned off: " + t);
            } else {
                assertTrue(t.path("muted").isMissingNode(), "the mic is on: " + t);
            }
        }
        assertTrue(cameraSeen);
        assertEquals(0, bob.count("trackMuted"));
    }

    @Test
    void muteChangesAreCapped() throws Exception {
        TestClient ann = join("ann");
        for (int i = 0; i < Conference.MUTE_CHANGES; i++) ann.media.handle("mute", mute("mic", i % 2 == 0), null);
        SignalingException refused = assertThrows(SignalingException.class,
                () -> ann.media.handle("mute", mute("mic", true), null));
        assertEquals(ErrorCode.RATE_LIMITED, refused.errorCode());
    }

    @Test
    void anUnknownSourceIsRefusedAtTheEdge() {
        TestClient ann = join("ann");
        org.salotto.signaling.protocol.ControlException refused = assertThrows(
                org.salotto.signaling.protocol.ControlException.class,
                () -> ann.media.handle("mute", mute("speaker", true), null));
        assertEquals(ErrorCode.BAD_MESSAGE, refused.errorCode());
    }
}
