package org.salotto.signaling.sdp;

import java.util.List;

import org.salotto.media.params.MediaKind;
import org.salotto.media.params.RtpCodec;
import org.salotto.media.params.RtpHeaderExtension;

/**
 * What Salotto sends on every subscriber connection: fixed payload types and header extension ids, so that the
 * forwarder rewrites a publisher's payload types with one table look-up ({@link #forPublisherCodec}).
 *
 * <p>Subscribers get transport-wide congestion control (the transport-wide-cc extension, id 3, and transport-cc
 * feedback on every codec): the server numbers every packet it sends them and estimates each one's downlink from its
 * feedback ({@code WebRtcTransport#availableBitrate}). They get no mid extension: they demultiplex by the SSRCs
 * announced in the offer. Video also gets NACK, PLI and FIR, which the forwarder answers from its retransmission
 * buffer or relays to the publisher.
 *
 * <p>Audio is offered as Opus and RED around it (RFC 2198, {@code red/48000/2} with fmtp {@code 111/111}, after Opus).
 * A subscriber whose answer keeps RED gets a RED publisher's packets as they come (a lost one is repaired from the
 * next); one whose answer leaves it out gets their primary block as plain Opus. A publisher without RED reaches both
 * as Opus.
 */
public final class SubscriberCodecs {
    private static final List<String> AUDIO_FEEDBACK = List.of("transport-cc");
    private static final List<String> VIDEO_FEEDBACK = List.of("nack", "nack pli", "ccm fir", "transport-cc");

    /** Opus, payload type 111. */
    public static final RtpCodec OPUS = new RtpCodec("audio/opus", 111, 48000, 2, "minptime=10;useinbandfec=1",
            AUDIO_FEEDBACK, -1);
    /** RED (RFC 2198) around Opus, payload type 63, as Chromium numbers it. */
    public static final RtpCodec RED = new RtpCodec(RtpCodec.RED, 63, 48000, 2, "111/111", List.of(), -1);
    /** VP8, payload type 96, RTX 97. */
    public static final RtpCodec VP8 = new RtpCodec("video/VP8", 96, 90000, 1, "", VIDEO_FEEDBACK, 97);
    /** H.264 Constrained Baseline level 3.1, packetization-mode 1, payload type 102, RTX 103. */
    public static final RtpCodec H264 = new RtpCodec("video/H264", 102, 90000, 1,
            "packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1", VIDEO_FEEDBACK, 103);

    public static final List<RtpCodec> AUDIO_CODECS = List.of(OPUS, RED);
    public static final List<RtpCodec> VIDEO_CODECS = List.of(VP8, H264);

    public static final RtpHeaderExtension AUDIO_LEVEL = new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, 1);
    public static final RtpHeaderExtension ABS_SEND_TIME = new RtpHeaderExtension(RtpHeaderExtension.ABS_SEND_TIME, 2);
    /** The same id in every m-section: they are bundled, and the transport numbers all its packets in one series. */
    public static final RtpHeaderExtension TRANSPORT_CC = new RtpHeaderExtension(RtpHeaderExtension.TRANSPORT_CC, 3);

    public static final List<RtpHeaderExtension> AUDIO_EXTENSIONS = List.of(AUDIO_LEVEL, ABS_SEND_TIME, TRANSPORT_CC);
    public static final List<RtpHeaderExtension> VIDEO_EXTENSIONS = List.of(ABS_SEND_TIME, TRANSPORT_CC);

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
