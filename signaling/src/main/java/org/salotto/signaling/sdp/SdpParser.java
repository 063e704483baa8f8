package org.salotto.signaling.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads SDP text (RFC 8866) into a {@link SessionDescription}.
 *
 * <p>Strict about structure: {@code v=0}, {@code o=}, {@code s=} first and in that order, at least one {@code t=},
 * only the line types RFC 8866 allows at each level (an unknown type letter makes the whole description unusable,
 * section 5), well-formed {@code o=}, {@code c=}, {@code t=} and {@code m=} lines. Tolerant of content: attributes
 * are kept whatever their names, and lines may end in CRLF or LF. Bounded: at most {@link #MAX_BYTES} of UTF-8 and
 * {@link #MAX_MEDIA_SECTIONS} media sections, since the text comes from the network.
 *
 * <p>Fails only with {@link SdpException}.
 */
public final class SdpParser {
    /** Largest accepted description, in UTF-8 bytes: the signaling frame limit. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Most media sections accepted. */
    public static final int MAX_MEDIA_SECTIONS = 64;

    private SdpParser() {
    }

    public static SessionDescription parse(String sdp) throws SdpException {
        if (sdp == null || sdp.isEmpty()) throw new SdpException("empty SDP");
        if (utf8Length(sdp) > MAX_BYTES) throw new SdpException("SDP larger than " + MAX_BYTES + " bytes");
        return new SdpParser.Run(sdp).parse();
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) { n += 4; i++; }
            else n += 3;
            if (n > MAX_BYTES) return n; // enough to reject; no need to count a huge string to the end
        }
        return n;
    }

    /** One parse: a cursor over the lines, and the pieces of the section being read. */
    private static final class Run {
        private final String text;
        private int pos;
        private int lineNumber;

        Run(String text) {
            this.text = text;
        }

        /** The next line without its terminator, or null at the end. A final line break ends the text. */
        private String nextLine() {
            if (pos >= text.length()) return null;
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(pos, end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end);
            pos = nl < 0 ? text.length() : nl + 1;
            lineNumber++;
            return line;
        }

        private char type(String line) throws SdpException {
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw SdpException.atLine(lineNumber, "not of the form x=...: \"" + SdpException.excerpt(line) + "\"");
            }
            if (!Tokens.isByteString(line)) throw SdpException.atLine(lineNumber, "stray CR or NUL");
            return line.charAt(0);
        }

        SessionDescription parse() throws SdpException {
            String line = nextLine();
            if (line == null || !line.startsWith("v=")) throw SdpException.atLine(1, "SDP must start with v=0");
            if (!line.equals("v=0")) throw SdpException.atLine(1, "unsupported SDP version \"" + SdpException.excerpt(line) + "\"");
            type(line);

            line = nextLine();
            if (line == null || !line.startsWith("o=")) throw SdpException.atLine(lineNumber, "o= must follow v=");
            type(line);
            Origin origin = origin(line.substring(2));

            line = nextLine();
            if (line == null || !line.startsWith("s=")) throw SdpException.atLine(lineNumber, "s= must follow o=");
            type(line);
            String sessionName = line.substring(2);
            if (sessionName.isEmpty()) throw SdpException.atLine(lineNumber, "empty s= (write s=- when there is no name)");

            String information = null;
            Connection connection = null;
            Timing timing = null;
            List<String> bandwidths = new ArrayList<>();
            List<Attribute> attributes = new ArrayList<>();
            boolean seenUri = false, seenZone = false, seenKey = false;

            while ((line = nextLine()) != null) {
                if (line.isEmpty() && pos >= text.length()) break; // tolerate a trailing blank line
                char t = type(line);
                String value = line.substring(2);
                switch (t) {
                    case 'i' -> {
                        if (information != null) throw SdpException.atLine(lineNumber, "second session-level i=");
                        information = value;
                    }
                    case 'u' -> seenUri = once(seenUri, "u=");
                    case 'e', 'p', 'r' -> { /* accepted, not kept */ }
                    case 'z' -> seenZone = once(seenZone, "z=");
                    case 'k' -> seenKey = once(seenKey, "k=");
                    case 'c' -> {
                        if (connection != null) throw SdpException.atLine(lineNumber, "second session-level c=");
                        connection = connection(value);
                    }
                    case 'b' -> bandwidths.add(bandwidth(value));
                    case 't' -> {
                        Timing parsed = timing(value);
                        if (timing == null) timing = parsed;
                    }
                    case 'a' -> attributes.add(attribute(value));
                    case 'm' -> {
                        if (timing == null) throw SdpException.atLine(lineNumber, "missing t= before the first m=");
                        List<MediaDescription> media = mediaSections(value);
                        return new SessionDescription(0, origin, sessionName, information, connection, bandwidths, timing,
                                attributes, media);
                    }
                    default -> throw SdpException.atLine(lineNumber, "line type " + t + "= not allowed at session level");
                }
            }
            if (timing == null) throw SdpException.atLine(lineNumber, "missing t=");
            return new SessionDescription(0, origin, sessionName, information, connection, bandwidths, timing, attributes,
                    List.of());
        }

        private boolean once(boolean seen, String what) throws SdpException {
            if (seen) throw SdpException.atLine(lineNumber, "second " + what);
            return true;
        }

        /** Reads media sections, starting with the m= line whose value is given, to the end of the text. */
        private List<MediaDescription> mediaSections(String firstMLine) throws SdpException {
            List<MediaDescription> media = new ArrayList<>();
            String mLine = firstMLine;
            while (mLine != null) {
                if (media.size() == MAX_MEDIA_SECTIONS) {
                    throw SdpException.atLine(lineNumber, "more than " + MAX_MEDIA_SECTIONS + " media sections");
                }
                String[] f = mLine.split(" ", -1);
                if (f.length < 4) throw SdpException.atLine(lineNumber, "m= needs media, port, proto and a format");
                for (String field : f) if (!Tokens.isField(field)) throw SdpException.atLine(lineNumber, "malformed m= line");
                if (!Tokens.isToken(f[0])) throw SdpException.atLine(lineNumber, "malformed media type in m=");
                int port, portCount = 0;
                int slash = f[1].indexOf('/');
                if (slash < 0) {
                    port = Tokens.parseInt(f[1], 0, 65535, "line " + lineNumber + ": m= port");
                } else {
                    port = Tokens.parseInt(f[1].substring(0, slash), 0, 65535, "line " + lineNumber + ": m= port");
                    portCount = Tokens.parseInt(f[1].substring(slash + 1), 1, 65535, "line " + lineNumber + ": m= port count");
                }
                List<String> formats = List.of(f).subList(3, f.length);

                String information = null;
                Connection connection = null;
                List<String> bandwidths = new ArrayList<>();
                List<Attribute> attributes = new ArrayList<>();
                boolean seenKey = false;
                mLine = null;
                String line;
                while ((line = nextLine()) != null) {
                    if (line.isEmpty() && pos >= text.length()) break;
                    char t = type(line);
                    String value = line.substring(2);
                    if (t == 'm') {
                        mLine = value;
                        break;
                    }
                    switch (t) {
                        case 'i' -> {
                            if (information != null) throw SdpException.atLine(lineNumber, "second i= in a media section");
                            information = value;
                        }
                        case 'c' -> {
                            // RFC 8866 allows several c= for multicast layering; WebRTC never writes more than one.
                            if (connection != null) throw SdpException.atLine(lineNumber, "second c= in a media section");
                            connection = connection(value);
                        }
                        case 'b' -> bandwidths.add(bandwidth(value));
                        case 'k' -> seenKey = once(seenKey, "k=");
                        case 'a' -> attributes.add(attribute(value));
                        default -> throw SdpException.atLine(lineNumber, "line type " + t + "= not allowed in a media section");
                    }
                }
                media.add(new MediaDescription(f[0], port, portCount, f[2], formats, information, connection, bandwidths,
                        attributes));
            }
            return media;
        }

        private Origin origin(String value) throws SdpException {
            String[] f = value.split(" ", -1);
            if (f.length != 6) throw SdpException.atLine(lineNumber, "o= needs 6 fields separated by single spaces");
            for (String field : f) if (!Tokens.isField(field)) throw SdpException.atLine(lineNumber, "malformed o= line");
            if (!Tokens.isDigits(f[1], 20) || !Tokens.isDigits(f[2], 20)) {
                throw SdpException.atLine(lineNumber, "o= session id and version must be numbers");
            }
            return new Origin(f[0], f[1], f[2], f[3], f[4], f[5]);
        }

        private Connection connection(String value) throws SdpException {
            String[] f = value.split(" ", -1);
            if (f.length != 3) throw SdpException.atLine(lineNumber, "c= needs 3 fields separated by single spaces");
            for (String field : f) if (!Tokens.isField(field)) throw SdpException.atLine(lineNumber, "malformed c= line");
            return new Connection(f[0], f[1], f[2]);
        }

        private Timing timing(String value) throws SdpException {
            String[] f = value.split(" ", -1);
            if (f.length != 2) throw SdpException.atLine(lineNumber, "t= needs a start and a stop time");
            String what = "line " + lineNumber + ": t= time";
            return new Timing(Tokens.parseLong(f[0], 0, Long.MAX_VALUE, what), Tokens.parseLong(f[1], 0, Long.MAX_VALUE, what));
        }

        private String bandwidth(String value) throws SdpException {
            int colon = value.indexOf(':');
            if (colon <= 0 || !Tokens.isToken(value.substring(0, colon)) || !Tokens.isDigits(value.substring(colon + 1), 18)) {
                throw SdpException.atLine(lineNumber, "b= must be <type>:<number>");
            }
            return value;
        }

        private Attribute attribute(String value) throws SdpException {
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            if (!Tokens.isToken(name)) {
                throw SdpException.atLine(lineNumber, "malformed attribute name \"" + SdpException.excerpt(name) + "\"");
            }
            return colon < 0 ? Attribute.flag(name) : Attribute.of(name, value.substring(colon + 1));
        }
    }
}
