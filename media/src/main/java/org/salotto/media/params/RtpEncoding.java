package org.salotto.media.params;

/**
 * One RTP stream of a track.
 *
 * @param ssrc    the media SSRC
 * @param rtxSsrc the RFC 4588 retransmission SSRC, or 0 when there is none
 */
public record RtpEncoding(int ssrc, int rtxSsrc) {
    public boolean hasRtx() {
        return rtxSsrc != 0;
    }
}
