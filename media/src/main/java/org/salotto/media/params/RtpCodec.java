package org.salotto.media.params;

import java.util.List;

/**
 * One negotiated codec, as the media layer sees it: no SDP, only what forwarding needs.
 *
 * @param mimeType         "audio/opus", "video/VP8", "video/H264", "audio/red" (case as registered with IANA)
 * @param payloadType      the RTP payload type on the wire of this transport
 * @param clockRate        RTP clock rate in Hz
 * @param channels         audio channels (1 for video)
 * @param fmtp             format parameters exactly as negotiated ("" when none); for RED, the payload types of its
 *                         blocks ("111/111")
 * @param rtcpFeedback     RFC 4585 feedback types, e.g. "nack", "nack pli", "ccm fir", "transport-cc"
 * @param rtxPayloadType   RFC 4588 retransmission payload type, or -1 when RTX is not negotiated
 */
public record RtpCodec(String mimeType, int payloadType, int clockRate, int channels, String fmtp,
                       List<String> rtcpFeedback, int rtxPayloadType) {
    /** RFC 2198 redundant audio: the media codec's packets, each also carrying copies of the ones before. */
    public static final String RED = "audio/red";

    public RtpCodec {
        if (payloadType < 0 || payloadType > 127) throw new IllegalArgumentException("payload type " + payloadType);
        if (rtxPayloadType < -1 || rtxPayloadType > 127) throw new IllegalArgumentException("rtx payload type " + rtxPayloadType);
        fmtp = fmtp == null ? "" : fmtp;
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }

    public MediaKind kind() {
        return mimeType.regionMatches(true, 0, "audio/", 0, 6) ? MediaKind.AUDIO : MediaKind.VIDEO;
    }

    /** Whether this is RED (RFC 2198) around another codec of the track rather than a codec of its own. */
    public boolean isRed() {
        return mimeType.equalsIgnoreCase(RED);
    }

    public boolean hasFeedback(String type) {
        return rtcpFeedback.contains(type);
    }

    public boolean hasRtx() {
        return rtxPayloadType >= 0;
    }
}
