package org.salotto.signaling.sdp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One RTP payload format of a media section as the remote side described it: its {@code a=rtpmap}, {@code a=fmtp} and
 * {@code a=rtcp-fb} lines put together (RFC 8866 section 6.6, RFC 4585 section 4.2).
 *
 * @param payloadType  the payload type of the m= line
 * @param encodingName "opus", "VP8", "H264", "rtx", ... as written; "" when the format has no rtpmap
 * @param clockRate    Hz, 0 when there is no rtpmap
 * @param channels     audio channels, 1 when not given
 * @param fmtp         the format parameters as written, "" when none
 * @param rtcpFeedback the feedback types for this format and for "*", whitespace normalised
 */
record RtpFormat(int payloadType, String encodingName, int clockRate, int channels, String fmtp,
                 List<String> rtcpFeedback) {

    RtpFormat {
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }

    boolean isNamed(String name) {
        return encodingName.equalsIgnoreCase(name);
    }

    /** The fmtp parameters, names lower-cased: "apt=96" gives {apt=96}. A parameter without '=' maps to "". */
    Map<String, String> parameters() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : fmtp.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            out.putIfAbsent(key, eq < 0 ? "" : p.substring(eq + 1).strip());
        }
        return out;
    }

    /**
     * Whether this RED format (RFC 2198 §5, fmtp the block payload types joined by '/') carries only
     * {@code payloadType}: "111/111" for Opus with one redundant block.
     */
    boolean isRedOf(int payloadType) {
        String[] blocks = fmtp.strip().split("/", -1);
        if (blocks.length < 2) return false;
        for (String b : blocks) {
            if (!Tokens.isDigits(b.strip(), 3) || Integer.parseInt(b.strip()) != payloadType) return false;
        }
        return true;
    }

    /** The payload type this RTX format repairs ({@code apt=}, RFC 4588 section 8.6), or -1. */
    int associatedPayloadType() {
        String apt = parameters().get("apt");
        if (apt == null || !Tokens.isDigits(apt, 3)) return -1;
        int v = Integer.parseInt(apt);
        return v <= 127 ? v : -1;
    }
}
