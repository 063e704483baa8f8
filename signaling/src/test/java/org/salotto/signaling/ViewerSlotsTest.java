package org.salotto.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.MediaServer;
import org.salotto.signaling.sdp.MediaDescription;
import org.salotto.signaling.sdp.SdpParser;
import org.salotto.signaling.sdp.SessionDescription;

/**
 * A WHEP viewer of a stage with several people on it (docs/api.md "WHIP and WHEP"): each m-section it offered carries
 * a track of its own, every track of the stage while there are m-sections for them, a camera of either codec; a slot
 * freed by someone leaving is taken by the next track of its kind.
 */
class ViewerSlotsTest {
    private static final String VP8_AND_OPUS = fixture("chrome-publisher-offer.sdp");
    private static final String H264_ONLY = fixture("h264-only-publisher-offer.sdp");
    private static final String FINGERPRINT = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private MediaServer media;
    private Conference room;

    @BeforeEach
    void start() throws IOException {
        media = MediaServer.start(new InetSocketAddress("127.0.0.1", 0), control, 65_536);
        media.setConsentTimeout(Duration.ofSeconds(30));
        room = new SignalingService(media, "127.0.0.1", media.localAddress().getPort()).conference("room");
    }

    @AfterEach
    void stop() throws Exception {
        if (media != null) media.close();
        control.close();
    }

    private TestClient publisher(String id, String offer) throws Exception {
        TestClient c = new TestClient(id);
        c.media = room.join(id, id, c.outbox, PublishPolicy.EVERYTHING);
        ObjectNode frame = Messages.message("publish");
        frame.put("sdp", offer);
        c.media.handle("publish", frame, null);
        c.await("publishAnswer");
        return c;
    }

    /** A WHEP player's offer: these m-sections, each recvonly; video ones offer VP8 and H.264 (mode 1, baseline). */
    static String whepOffer(String... kinds) {
        List<String> lines = new ArrayList<>(List.of("v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0"));
        List<String> mids = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) mids.add(Integer.toString(i));
        lines.add("a=group:BUNDLE " + String.join(" ", mids));
        for (int i = 0; i < kinds.length; i++) {
            boolean audio = kinds[i].equals("audio");
            lines.add(audio ? "m=audio 9 UDP/TLS/RTP/SAVPF 111" : "m=video 9 UDP/TLS/RTP/SAVPF 96 102");
            lines.addAll(List.of("c=IN IP4 0.0.0.0", "a=mid:" + i, "a=ice-ufrag:vwr1", "a=ice-pwd:abcdefghijklmnopqrstuvwxyz",
                    "a=fingerprint:sha-256 " + FINGERPRINT, "a=setup:actpass", "a=rtcp-mux", "a=recvonly"));
            if (audio) {
                lines.add("a=rtpmap:111 opus/48000/2");
            } else {
                lines.addAll(List.of("a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack pli", "a=rtpmap:102 H264/90000",
                        "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", "a=rtcp-fb:102 nack pli"));
            }
        }
        lines.add("");
        return String.join("\r\n", lines);
    }

    @Test
    void everyStageTrackHasAnMSectionOfItsOwnWhileThereAreEnough() throws Exception {
        publisher("host", VP8_AND_OPUS);
        publisher("cam", H264_ONLY);
        TestClient guest = publisher("guest", VP8_AND_OPUS);
        TestClient viewer = new TestClient("viewer");
        viewer.media = room.join("viewer", "viewer", viewer.outbox, PublishPolicy.NOTHING, Conference.Receiving.CLIENT_OFFERS, true);
        String answer = viewer.media.view(whepOffer("audio", "audio", "audio", "video", "video", "video", "video"));

        // Each video m-section negotiated the codec of the stage's camera of its rank: VP8, H.264, VP8; then VP8.
        SessionDescription sd = SdpParser.parse(answer);
        List<String> codecs = new ArrayList<>();
        for (MediaDescription m : sd.media()) {
            if (m.media().equals("video")) codecs.add(m.formats().getFirst());
        }
        assertEquals(List.of("96", "102", "96", "96"), codecs, answer);

        assertEquals(Arrays.asList("host:audio", "guest:audio", null, "host:video", "cam:video", "guest:video", null),
                room.viewerSlots("viewer"), "one track per m-section: every audio and every camera of the stage");

        // Someone leaves: their slots are freed; the next one to publish takes the free slots of its kind and codec.
        guest.media.leave("left");
        assertEquals(Arrays.asList("host:audio", null, null, "host:video", "cam:video", null, null), room.viewerSlots("viewer"));
        publisher("late", VP8_AND_OPUS);
        List<String> slots = room.viewerSlots("viewer");
        assertEquals(2, slots.stream().filter("late:audio"::equals).count() + slots.stream().filter("late:video"::equals).count(),
                "the newcomer's microphone and camera: " + slots);
        assertTrue(slots.containsAll(List.of("host:audio", "host:video", "cam:video")), slots.toString());
    }

    private static String fixture(String name) {
        try (InputStream in = ViewerSlotsTest.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
