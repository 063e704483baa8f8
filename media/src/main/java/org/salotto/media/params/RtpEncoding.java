package org.salotto.media.params;

/**
 * One RTP stream of a track.
 *
 * @param ssrc    the media SSRC, or 0 when the stream is named by {@code rid} and its SSRC is learnt from its first
 *                packets (simulcast, RFC 8853)
 * @param rtxSsrc the RFC 4588 retransmission SSRC, or 0 when there is none (or it is learnt, as the SSRC)
 * @param rid     the RTP stream id (RFC 8851) of a simulcast layer, or null for a stream announced by SSRC
 */
public record RtpEncoding(int ssrc, int rtxSsrc, String rid) {
    public RtpEncoding {
        if (rid != null && (rid.isEmpty() || rid.length() > 16)) throw new IllegalArgumentException("rid length");
    }

    /** A stream announced by its SSRC (no rid). */
    public RtpEncoding(int ssrc, int rtxSsrc) {
        this(ssrc, rtxSsrc, null);
    }

    /** A simulcast layer named by its rid; its SSRCs are learnt from the RID header extensions. */
    public static RtpEncoding ofRid(String rid) {
        return new RtpEncoding(0, 0, rid);
    }

    public boolean hasRtx() {
        return rtxSsrc != 0;
    }
}
