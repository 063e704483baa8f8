package org.salotto.loadtest;

import org.salotto.media.rtcp.FullIntraRequest;
import org.salotto.media.rtcp.PictureLossIndication;
import org.salotto.media.rtcp.RtcpPacket;

/**
 * What a publisher connection receives: SRTCP from the server (receiver reports, transport-cc feedback, keyframe
 * requests). A PLI or FIR makes the video source send a keyframe next; the rest is only counted.
 */
final class PublisherFeedback implements ClientConnection.PacketHandler {
    private final Metrics metrics;
    private final VideoSource video; // null for an audio-only publisher

    PublisherFeedback(Metrics metrics, VideoSource video) {
        this.metrics = metrics;
        this.video = video;
    }

    @Override
    public void onSrtp(ClientConnection connection, byte[] buf, int off, int len, long nowNanos) {
        if (!ClientConnection.isRtcp(buf, off)) return;
        int clear = connection.srtpIn.unprotectRtcp(buf, off, len);
        if (clear < 0) {
            metrics.decryptFailures.increment();
            return;
        }
        metrics.rtcpReceived.increment();
        int p = off;
        int end = off + clear;
        while (p + RtcpPacket.HEADER_LENGTH <= end) {
            int length = RtcpPacket.packetLength(buf, p);
            if (length <= 0 || p + length > end) return;
            int fmt = RtcpPacket.count(buf, p);
            if (RtcpPacket.packetType(buf, p) == RtcpPacket.PSFB
                    && (fmt == PictureLossIndication.FMT || fmt == FullIntraRequest.FMT)) {
                metrics.keyframeRequestsReceived.increment();
                if (video != null) video.keyframeRequested = true;
            }
            p += length;
        }
    }
}
