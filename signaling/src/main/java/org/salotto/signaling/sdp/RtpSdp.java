package org.salotto.signaling.sdp;

import java.util.List;

import org.salotto.media.params.RtpCodec;

/** Writes the codec lines of a media section from an {@link RtpCodec}. */
final class RtpSdp {
    private RtpSdp() {
    }

    /**
     * {@code a=rtpmap}, {@code a=rtcp-fb} and {@code a=fmtp} of the codec, then those of its RTX (RFC 4588 section 8.6).
     *
     * @param encodingName the name as the rtpmap writes it ("opus", "VP8", "H264")
     */
    static void appendCodec(List<Attribute> a, RtpCodec codec, String encodingName) {
        int pt = codec.payloadType();
        String rtpmap = pt + " " + encodingName + "/" + codec.clockRate();
        if (codec.channels() > 1) rtpmap += "/" + codec.channels();
        a.add(Attribute.of("rtpmap", rtpmap));
        for (String fb : codec.rtcpFeedback()) a.add(Attribute.of("rtcp-fb", pt + " " + fb));
        if (!codec.fmtp().isEmpty()) a.add(Attribute.of("fmtp", pt + " " + codec.fmtp()));
        if (codec.hasRtx()) {
            a.add(Attribute.of("rtpmap", codec.rtxPayloadType() + " rtx/" + codec.clockRate()));
            a.add(Attribute.of("fmtp", codec.rtxPayloadType() + " apt=" + pt));
        }
    }

    /** "VP8" from "video/VP8". */
    static String encodingName(RtpCodec codec) {
        int slash = codec.mimeType().indexOf('/');
        return slash < 0 ? codec.mimeType() : codec.mimeType().substring(slash + 1);
    }
}
