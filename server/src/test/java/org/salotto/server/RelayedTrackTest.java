package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.RtpHeaderExtension;
import org.salotto.media.params.TrackParameters;

/**
 * What an edge makes of the owner's {@code stage} entries (docs/scale.md "Audience relayed across nodes"): a
 * microphone, a one-stream camera, a simulcast camera whose layers' SSRCs are known up front; and entries that are not
 * one, which are skipped.
 */
class RelayedTrackTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TrackParameters read(String entry) throws Exception {
        JsonNode t = JSON.readTree(entry);
        return RelayedTrack.parameters(t.path("id").asText(), t);
    }

    @Test
    void aMicrophoneIsOneOpusStreamWithItsLevels() throws Exception {
        TrackParameters p = read("{\"p\":\"a\",\"n\":\"Ann\",\"id\":\"t1\",\"ssrc\":1234}");
        assertEquals(MediaKind.AUDIO, p.kind());
        assertEquals(List.of(new RtpEncoding(1234, 0)), p.encodings());
        assertTrue(p.extensionId(RtpHeaderExtension.AUDIO_LEVEL) != 0, "the edge's loudest-N needs the levels");
        assertEquals(0, p.extensionId(RtpHeaderExtension.TRANSPORT_CC), "no congestion control on the link");
    }

    @Test
    void aSimulcastCameraIsOneProducerOfLayersNamedBySsrcWithTheCamerasCodecFirst() throws Exception {
        TrackParameters p = read("{\"p\":\"a\",\"n\":\"Ann\",\"id\":\"t2\",\"kind\":\"video\",\"mime\":\"video/H264\","
                + "\"layers\":[{\"ssrc\":11,\"rtx\":21},{\"ssrc\":12,\"rtx\":22},{\"ssrc\":13,\"rtx\":23}]}");
        assertEquals(MediaKind.VIDEO, p.kind());
        assertEquals("video/H264", p.codecs().getFirst().mimeType());
        assertEquals(List.of(new RtpEncoding(11, 21, "r0"), new RtpEncoding(12, 22, "r1"), new RtpEncoding(13, 23, "r2")),
                p.encodings());
        assertTrue(p.extensionId(RtpHeaderExtension.RID) != 0);
        assertEquals(0, p.extensionId(RtpHeaderExtension.TRANSPORT_CC));
    }

    @Test
    void aOneStreamCameraHasNoRids() throws Exception {
        TrackParameters p = read("{\"p\":\"a\",\"n\":\"Ann\",\"id\":\"t3\",\"kind\":\"video\",\"mime\":\"video/VP8\","
                + "\"layers\":[{\"ssrc\":11,\"rtx\":21}]}");
        assertEquals(List.of(new RtpEncoding(11, 21)), p.encodings());
        assertEquals("video/VP8", p.codecs().getFirst().mimeType());
    }

    @Test
    void entriesThatAreNoTrackAreSkipped() throws Exception {
        assertNull(read("{\"id\":\"t\",\"ssrc\":0}"), "a microphone without an SSRC");
        assertNull(read("{\"ssrc\":5}"), "no track id");
        assertNull(read("{\"id\":\"t\",\"kind\":\"video\",\"layers\":[{\"ssrc\":1}]}"), "no codec");
        assertNull(read("{\"id\":\"t\",\"kind\":\"video\",\"mime\":\"video/VP8\",\"layers\":[]}"), "no stream");
        assertNull(read("{\"id\":\"t\",\"kind\":\"video\",\"mime\":\"video/VP8\",\"layers\":[{\"ssrc\":1},{\"ssrc\":0}]}"),
                "a layer without an SSRC");
        assertNull(read("{\"id\":\"t\",\"kind\":\"video\",\"mime\":\"video/VP8\",\"layers\":"
                + "[{\"ssrc\":1},{\"ssrc\":2},{\"ssrc\":3},{\"ssrc\":4}]}"), "four layers");
    }
}
