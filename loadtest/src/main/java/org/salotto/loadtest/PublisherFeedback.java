package org.salotto.loadtest;

import org.salotto.media.rtcp.FullIntraRequest;
import org.salotto.media.rtcp.PictureLossIndication;
import org.salotto.media.rtcp.ReceiverReport;
import org.salotto.media.rtcp.ReportBlock;
import org.salotto.media.rtcp.RtcpPacket;

/**
 * What a publisher connection receives: SRTCP from the server (receiver reports, transport-cc feedback, keyframe
 * requests). A PLI or FIR makes the video source it names send a keyframe next (any video source, when it names
 * none of them: one encoding's SSRC is announced, so it matches); a report block naming a simulcast layer's SSRC
 * tells that layer's writer that the server knows it (its rid is no longer sent). The rest is only counted.
 */
final class PublisherFeedback implements ClientConnection.PacketHandler {
    /** An SR's header and sender info (RFC 3550 section 6.4.1): its report blocks follow. */
    private static final int SENDER_REPORT_BLOCKS_AT = 28;

    private final Metrics metrics;
    private final VideoSource[] videos; // empty for an audio-only publisher

    PublisherFeedback(Metrics metrics, VideoSource[] videos) {
        this.metrics = metrics;
        this.videos = videos;
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
            int type = RtcpPacket.packetType(buf, p);
            int fmt = RtcpPacket.count(buf, p);
            if (type == RtcpPacket.PSFB && fmt == PictureLossIndication.FMT
                    && length >= PictureLossIndication.LENGTH) {
                metrics.keyframeRequestsReceived.increment();
                keyframe(PictureLossIndication.mediaSsrc(buf, p));
            } else if (type == RtcpPacket.PSFB && fmt == FullIntraRequest.FMT && FullIntraRequest.validate(buf, p, length)) {
                metrics.keyframeRequestsReceived.increment();
                for (int i = 0; i < FullIntraRequest.entryCount(buf, p); i++) keyframe(FullIntraRequest.entrySsrc(buf, p, i));
            } else if (type == RtcpPacket.RR || type == RtcpPacket.SR) {
                int blocks = type == RtcpPacket.RR ? ReceiverReport.HEADER_LENGTH : SENDER_REPORT_BLOCKS_AT;
                for (int i = 0; i < fmt; i++) {
                    int b = p + blocks + i * ReportBlock.LENGTH;
                    if (b + ReportBlock.LENGTH > p + length) break;
                    acked(ReportBlock.ssrc(buf, b));
                }
            }
            p += length;
        }
    }

    private void keyframe(int ssrc) {
        for (VideoSource v : videos) {
            if (v.writer().ssrc() == ssrc) {
                v.keyframeRequested = true;
                return;
            }
        }
        for (VideoSource v : videos) v.keyframeRequested = true; // an SSRC of ours we did not announce as such
    }

    private void acked(int ssrc) {
        for (VideoSource v : videos) {
            if (v.writer().ssrc() == ssrc && !v.writer().ridAcked) {
                v.writer().ridAcked = true;
                metrics.ridsAcked.increment();
            }
        }
    }
}
