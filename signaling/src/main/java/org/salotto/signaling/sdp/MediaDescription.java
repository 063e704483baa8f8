package org.salotto.signaling.sdp;

import java.util.List;

/**
 * One media section: the {@code m=} line and the lines under it (RFC 8866 section 5.14).
 *
 * @param media        "audio", "video", "application", ...
 * @param port         the transport port; 0 marks a rejected or stopped section (RFC 3264 section 6)
 * @param portCount    the number of ports after a slash in the m= line, or 0 when it was absent
 * @param proto        "UDP/TLS/RTP/SAVPF" for WebRTC audio and video
 * @param formats      the formats of the m= line (payload types for RTP), at least one
 * @param information  the {@code i=} text, or null
 * @param connection   the {@code c=} line, or null when the session-level one applies
 * @param bandwidths   the {@code b=} lines as written after "b=" (e.g. "AS:500")
 * @param attributes   the {@code a=} lines in order
 */
public record MediaDescription(String media, int port, int portCount, String proto, List<String> formats,
                               String information, Connection connection, List<String> bandwidths,
                               List<Attribute> attributes) implements HasAttributes {

    public MediaDescription {
        if (!Tokens.isToken(media)) throw new IllegalArgumentException("media type is not a token");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        if (portCount < 0 || portCount > 65535) throw new IllegalArgumentException("port count " + portCount);
        if (!Tokens.isField(proto)) throw new IllegalArgumentException("proto is empty or has spaces");
        formats = List.copyOf(formats);
        if (formats.isEmpty()) throw new IllegalArgumentException("an m= line needs at least one format");
        for (String f : formats) if (!Tokens.isField(f)) throw new IllegalArgumentException("format is empty or has spaces");
        if (information != null && !Tokens.isByteString(information)) throw new IllegalArgumentException("i= has CR, LF or NUL");
        bandwidths = List.copyOf(bandwidths);
        attributes = List.copyOf(attributes);
    }

    /** A section with no i= and no b= lines, as Salotto writes them. */
    public static MediaDescription of(String media, int port, String proto, List<String> formats, Connection connection,
                                      List<Attribute> attributes) {
        return new MediaDescription(media, port, 0, proto, formats, null, connection, List.of(), attributes);
    }

    /** The value of {@code a=mid}, or null. */
    public String mid() {
        return attribute("mid").orElse(null);
    }

    /** Port 0: the section is rejected (in an answer) or stopped (in an offer). */
    public boolean isRejected() {
        return port == 0;
    }

    /** The direction attribute of this section, else {@code sessionDefault}'s, else sendrecv (RFC 3264 section 5.1). */
    public Direction direction(HasAttributes sessionDefault) {
        Direction d = directionAttribute();
        if (d == null && sessionDefault != null) d = sessionDefault.directionAttribute();
        return d == null ? Direction.SENDRECV : d;
    }

    public MediaDescription withAttributes(List<Attribute> newAttributes) {
        return new MediaDescription(media, port, portCount, proto, formats, information, connection, bandwidths, newAttributes);
    }
}
