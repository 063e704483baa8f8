package org.salotto.signaling.sdp;

import java.util.List;
import java.util.Objects;

import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpEncoding;

/**
 * One m-section of a subscriber offer. m-sections are never removed (RFC 8829 section 5.2.2): a slot whose track ended
 * becomes {@link Inactive}, and a later track of the same kind may take it again with a new {@link Send}.
 */
public sealed interface SubscriberSlot {

    String mid();

    MediaKind kind();

    /**
     * A track Salotto sends.
     *
     * @param mid      the m-section's mid, fixed for the life of the slot
     * @param kind     audio or video
     * @param streamId the participant id: a=msid stream id and the CNAME (1-64 token characters)
     * @param trackId  the track id (1-64 token characters)
     * @param codecs   what Salotto will send, from {@link SubscriberCodecs}, in preference order; at least one
     * @param encoding the SSRC Salotto sends with, and its RTX SSRC (0 when none)
     */
    record Send(String mid, MediaKind kind, String streamId, String trackId, List<RtpCodec> codecs,
                RtpEncoding encoding) implements SubscriberSlot {
        public Send {
            checkMid(mid);
            Objects.requireNonNull(kind, "kind");
            checkMsidId(streamId, "streamId");
            checkMsidId(trackId, "trackId");
            codecs = List.copyOf(codecs);
            if (codecs.isEmpty()) throw new IllegalArgumentException("a track needs at least one codec");
            for (RtpCodec c : codecs) if (c.kind() != kind) throw new IllegalArgumentException(c.mimeType() + " in a " + kind + " slot");
            Objects.requireNonNull(encoding, "encoding");
        }
    }

    /** A slot whose track has ended: the m-section stays, {@code a=inactive}, with the codecs of its kind. */
    record Inactive(String mid, MediaKind kind) implements SubscriberSlot {
        public Inactive {
            checkMid(mid);
            Objects.requireNonNull(kind, "kind");
        }
    }

    private static void checkMid(String mid) {
        if (!Tokens.isToken(mid) || mid.length() > 32) throw new IllegalArgumentException("mid must be 1-32 token characters");
    }

    /** msid-id = 1*64token-char (RFC 8830 section 2). */
    private static void checkMsidId(String id, String what) {
        if (!Tokens.isToken(id) || id.length() > 64) throw new IllegalArgumentException(what + " must be 1-64 token characters");
    }
}
