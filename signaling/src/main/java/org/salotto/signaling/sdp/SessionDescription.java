package org.salotto.signaling.sdp;

import java.util.List;
import java.util.Objects;

/**
 * A session description (RFC 8866): the session-level lines and the media sections.
 *
 * <p>Of the rarely used session-level lines, {@code u=}, {@code e=}, {@code p=}, {@code r=}, {@code z=} and
 * {@code k=} are accepted by the parser and not kept; only the first {@code t=} line is kept. WebRTC endpoints write
 * none of these but {@code t=0 0}.
 *
 * @param version     the {@code v=} value, always 0
 * @param origin      the {@code o=} line
 * @param sessionName the {@code s=} text ("-" when there is none)
 * @param information the {@code i=} text, or null
 * @param connection  the session-level {@code c=} line, or null
 * @param bandwidths  the session-level {@code b=} lines as written after "b="
 * @param timing      the first {@code t=} line
 * @param attributes  the session-level {@code a=} lines in order
 * @param media       the media sections in order
 */
public record SessionDescription(int version, Origin origin, String sessionName, String information,
                                 Connection connection, List<String> bandwidths, Timing timing,
                                 List<Attribute> attributes, List<MediaDescription> media) implements HasAttributes {

    public SessionDescription {
        if (version != 0) throw new IllegalArgumentException("SDP version " + version);
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(timing, "timing");
        if (sessionName == null || sessionName.isEmpty() || !Tokens.isByteString(sessionName)) {
            throw new IllegalArgumentException("session name must be non-empty text");
        }
        if (information != null && !Tokens.isByteString(information)) throw new IllegalArgumentException("i= has CR, LF or NUL");
        bandwidths = List.copyOf(bandwidths);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }

    /** A description as WebRTC writes them: {@code s=-}, {@code t=0 0}, no session-level c=, i= or b=. */
    public static SessionDescription of(Origin origin, List<Attribute> attributes, List<MediaDescription> media) {
        return new SessionDescription(0, origin, "-", null, null, List.of(), Timing.UNBOUNDED, attributes, media);
    }

    /** Parses SDP text; see {@link SdpParser#parse(String)}. */
    public static SessionDescription parse(String sdp) throws SdpException {
        return SdpParser.parse(sdp);
    }

    /** The SDP text, lines ending in CRLF; see {@link SdpWriter}. */
    public String toSdp() {
        return SdpWriter.write(this);
    }

    /** The media section with this {@code a=mid}, or null. */
    public MediaDescription mediaByMid(String mid) {
        for (MediaDescription m : media) if (mid.equals(m.mid())) return m;
        return null;
    }

    @Override
    public String toString() {
        return toSdp();
    }
}
