package org.salotto.media.params;

/**
 * An RFC 8285 header extension negotiated on one transport.
 *
 * @param uri the extension's URI, e.g. {@link #AUDIO_LEVEL}
 * @param id  the local identifier, 1-14 for one-byte headers
 */
public record RtpHeaderExtension(String uri, int id) {
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    public RtpHeaderExtension {
        if (id < 1 || id > 255) throw new IllegalArgumentException("extension id " + id);
    }
}
