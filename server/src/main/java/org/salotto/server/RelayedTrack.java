package org.salotto.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.salotto.media.forward.Consumer;
import org.salotto.media.forward.Endpoint;
import org.salotto.media.forward.Producer;
import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpEncoding;
import org.salotto.media.params.TrackParameters;
import org.salotto.signaling.Conference;

/**
 * How one stage track goes from the stage's node to an edge over their link ({@link AudienceRelay}, docs/scale.md
 * "Audience relayed across nodes"): the SSRCs it is relayed on, the relay consumers that send it, its entry in the
 * {@code stage} message, and what the edge makes of that entry.
 *
 * <ul>
 * <li>a microphone: one stream, {@code {"p", "n", "id", "ssrc"}};</li>
 * <li>a camera: {@code "kind": "video"}, its codec's MIME type ({@code "mime"}) and {@code "layers"}, each stream's
 *     {@code "ssrc"} and {@code "rtx"} (its RTX SSRC, for the link's repairs): one for a one-stream camera, two or
 *     three for a simulcast one, every layer the publisher sends, in the producer's order, so that the edge chooses a
 *     layer per viewer as the stage's node does.</li>
 * </ul>
 */
final class RelayedTrack {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RelayedTrack() {
    }

    /** New relay SSRCs for a track: a microphone's one; a camera's media and RTX SSRC per stream. All distinct, non-zero. */
    static int[] newSsrcs(Conference.StageTrack track) {
        int n = track.kind() == MediaKind.VIDEO ? 2 * track.producer().layerCount() : 1;
        int[] out = new int[n];
        for (int i = 0; i < n; ) {
            int s = RANDOM.nextInt();
            boolean used = s == 0;
            for (int j = 0; j < i; j++) used |= out[j] == s;
            if (!used) out[i++] = s;
        }
        return out;
    }

    /** The relay consumers of {@code track} on the link {@code link}, on {@code ssrcs}: one per stream. */
    static Consumer[] send(Endpoint link, String id, Conference.StageTrack track, int[] ssrcs) {
        Producer p = track.producer();
        if (track.kind() != MediaKind.VIDEO) {
            return new Consumer[] {link.consume(id, p, Conference.relayParameters(track.trackId(), ssrcs[0]))};
        }
        String mime = p.parameters().codecs().getFirst().mimeType();
        if (!p.isSimulcast()) {
            return new Consumer[] {link.consume(id, p,
                    Conference.relayVideoParameters(track.trackId(), mime, ssrcs[0], ssrcs[1]))};
        }
        Consumer[] out = new Consumer[p.layerCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = link.consumeLayer(id + "-" + i, p, i,
                    Conference.relayVideoParameters(track.trackId(), mime, ssrcs[2 * i], ssrcs[2 * i + 1]));
        }
        return out;
    }

    /** Writes the track's {@code stage} entry into {@code entry}. */
    static void describe(ObjectNode entry, Conference.StageTrack track, int[] ssrcs) {
        entry.put("p", track.participantId()).put("n", track.displayName()).put("id", track.trackId());
        if (track.kind() != MediaKind.VIDEO) {
            entry.put("ssrc", ssrcs[0]);
            return;
        }
        entry.put("kind", "video").put("mime", track.producer().parameters().codecs().getFirst().mimeType());
        ArrayNode layers = entry.putArray("layers");
        for (int i = 0; i < ssrcs.length; i += 2) layers.addObject().put("ssrc", ssrcs[i]).put("rtx", ssrcs[i + 1]);
    }

    /**
     * The edge's side: the parameters of the relay producer a {@code stage} entry describes (a microphone, or a camera
     * of one stream or two or three layers), or null when the entry is not one (it is skipped, the others kept).
     */
    static TrackParameters parameters(String trackId, JsonNode entry) {
        if (trackId.isEmpty()) return null;
        if (!entry.path("kind").asText("audio").equals("video")) {
            int ssrc = entry.path("ssrc").asInt();
            return ssrc == 0 ? null : Conference.relayParameters(trackId, ssrc);
        }
        String mime = entry.path("mime").asText();
        JsonNode layers = entry.path("layers");
        if (mime.isEmpty() || layers.size() < 1 || layers.size() > 3) return null;
        List<RtpEncoding> encodings = new ArrayList<>();
        for (JsonNode l : layers) {
            int ssrc = l.path("ssrc").asInt();
            if (ssrc == 0) return null;
            encodings.add(new RtpEncoding(ssrc, l.path("rtx").asInt()));
        }
        return Conference.relayedCameraParameters(trackId, mime, encodings);
    }
}
