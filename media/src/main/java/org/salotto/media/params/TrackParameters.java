package org.salotto.media.params;

import java.util.List;

/**
 * A track as negotiated on one transport, in plain terms: which codecs and extensions, which SSRCs.
 *
 * @param mid               the media section identifier on that transport
 * @param kind              audio or video
 * @param source            what the track shows: "mic", "camera" or "screen"
 * @param codecs            codecs in order of preference; the first is the media codec used. An audio track may also
 *                          list {@code audio/red} (RFC 2198) after it: the media codec's packets wrapped in RED, the
 *                          blocks carrying the first codec's payload type
 * @param headerExtensions  header extensions and their ids on this transport
 * @param encodings         the RTP streams (one, or several with simulcast)
 */
public record TrackParameters(String mid, MediaKind kind, String source, List<RtpCodec> codecs,
                              List<RtpHeaderExtension> headerExtensions, List<RtpEncoding> encodings) {
    public TrackParameters {
        codecs = List.copyOf(codecs);
        headerExtensions = List.copyOf(headerExtensions);
        encodings = List.copyOf(encodings);
    }

    /** The id of the extension with this URI, or 0 when it was not negotiated. */
    public int extensionId(String uri) {
        for (RtpHeaderExtension e : headerExtensions) if (e.uri().equals(uri)) return e.id();
        return 0;
    }

    /** The RED codec (RFC 2198) around the media codec, or null when RED was not negotiated. */
    public RtpCodec red() {
        for (RtpCodec c : codecs) if (c.isRed()) return c;
        return null;
    }

    public RtpCodec codec(int payloadType) {
        for (RtpCodec c : codecs) if (c.payloadType() == payloadType) return c;
        return null;
    }
}
