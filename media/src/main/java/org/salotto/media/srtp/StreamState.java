package org.salotto.media.srtp;

/**
 * What one SRTP context remembers about one SSRC. Inbound contexts use both windows for replay; outbound contexts use
 * {@link #rtp}'s highest index to carry the rollover counter and {@link #nextSrtcpIndex} for SRTCP.
 */
final class StreamState {

    final int ssrc;
    final ReplayWindow rtp = new ReplayWindow();
    final ReplayWindow rtcp = new ReplayWindow();
    /** Outbound: the SRTCP index for the next packet, 0 first (RFC 3711 §3.4). */
    int nextSrtcpIndex;

    StreamState(int ssrc) {
        this.ssrc = ssrc;
    }
}
