package org.salotto.signaling.sdp;

/** Writes a {@link SessionDescription} as SDP text, every line ending in CRLF (RFC 8866 section 5). */
public final class SdpWriter {
    private SdpWriter() {
    }

    public static String write(SessionDescription sd) {
        StringBuilder b = new StringBuilder(2048);
        line(b, 'v', Integer.toString(sd.version()));
        line(b, 'o', sd.origin().toString());
        line(b, 's', sd.sessionName());
        if (sd.information() != null) line(b, 'i', sd.information());
        if (sd.connection() != null) line(b, 'c', sd.connection().toString());
        for (String bw : sd.bandwidths()) line(b, 'b', bw);
        line(b, 't', sd.timing().toString());
        for (Attribute a : sd.attributes()) line(b, 'a', a.toString());
        for (MediaDescription m : sd.media()) {
            StringBuilder ml = new StringBuilder(64).append(m.media()).append(' ').append(m.port());
            if (m.portCount() > 0) ml.append('/').append(m.portCount());
            ml.append(' ').append(m.proto());
            for (String f : m.formats()) ml.append(' ').append(f);
            line(b, 'm', ml.toString());
            if (m.information() != null) line(b, 'i', m.information());
            if (m.connection() != null) line(b, 'c', m.connection().toString());
            for (String bw : m.bandwidths()) line(b, 'b', bw);
            for (Attribute a : m.attributes()) line(b, 'a', a.toString());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, char type, String value) {
        b.append(type).append('=').append(value).append("\r\n");
    }
}
