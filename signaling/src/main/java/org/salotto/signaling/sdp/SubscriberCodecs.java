package org.salotto.signaling.sdp;

import java.util.List;

import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpHeaderExtension;

/**
 * What Salotto sends on every subscriber connection: fixed payload types and header extension ids, so that the
 * forwarder rewrites a publisher's payload types with one table look-up ({@link #forPublisherCodec}).
 *
 * <p>Subscribers get no transport-cc and no mid extension: Salotto does not estimate bandwidth towards them yet, and
 * they demultiplex by the SSRCs announced in the offer. Audio gets no RTCP feedback; video gets NACK, PLI and FIR,
 * which the forwarder answers from its retransmission buffer or relays to the publisher.
 */
public final class SubscriberCodecs {
    private static final List<String> VIDEO_FEEDBACK = List.of("nack", "nack pli", "ccm fir");

    /** Opus, payload type 111. */
    public static final RtpCodec OPUS = new RtpCodec("audio/opus", 111, 48000, 2, "minptime=10;useinbandfec=1",
            List.of(), -1);
    /** VP8, payload type 96, RTX 97. */
    public static final RtpCodec VP8 = new RtpCodec("video/VP8", 96, 90000, 1, "", VIDEO_FEEDBACK, 97);
    /** H.264 Constrained Baseline level 3.1, packetization-mode 1, payload type 102, RTX 103. */
    public static final RtpCodec H264 = new RtpCodec("video/H264", 102, 90000, 1,
            "packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1", VIDEO_FEEDBACK, 103);

    public static final List<RtpCodec> AUDIO_CODECS = List.of(OPUS);
    public static final List<RtpCodec> VIDEO_CODECS = List.of(VP8, H264);

    public static final RtpHeaderExtension AUDIO_LEVEL = new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, 1);
    public static final RtpHeaderExtension ABS_SEND_TIME = new RtpHeaderExtension(RtpHeaderExtension.ABS_SEND_TIME, 2);

    public static final List<RtpHeaderExtension> AUDIO_EXTENSIONS = List.of(AUDIO_LEVEL, ABS_SEND_TIME);
    public static final List<RtpHeaderExtension> VIDEO_EXTENSIONS = List.of(ABS_SEND_TIME);

    private SubscriberCodecs() {
    }

    public static List<RtpCodec> codecs(MediaKind kind) {
        return kind == MediaKind.AUDIO ? AUDIO_CODECS : VIDEO_CODECS;
    }

    public static List<RtpHeaderExtension> headerExtensions(MediaKind kind) {
        return kind == MediaKind.AUDIO ? AUDIO_EXTENSIONS : VIDEO_EXTENSIONS;
    }

    /**
     * The subscriber codec that carries what a publisher sends with {@code published} (same MIME type), or null when
     * Salotto does not forward that codec.
     */
    public static RtpCodec forPublisherCodec(RtpCodec published) {
        for (RtpCodec c : codecs(published.kind())) {
            if (c.mimeType().equalsIgnoreCase(published.mimeType())) return c;
        }
        return null;
    }
}
