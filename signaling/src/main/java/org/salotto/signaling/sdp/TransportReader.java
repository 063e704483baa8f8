package org.salotto.signaling.sdp;

import java.util.List;

import org.salotto.media.params.DtlsParameters;
import org.salotto.media.params.IceParameters;

/**
 * Reads the remote transport of a media section: ICE credentials (RFC 8839 section 5.4), the certificate fingerprint
 * (RFC 8122 section 5) and the DTLS role (RFC 4145 section 4, RFC 8842). A media-level attribute wins over the
 * session-level one.
 */
final class TransportReader {
    private TransportReader() {
    }

    static IceParameters ice(MediaDescription m, SessionDescription s) throws SdpException {
        String where = "m-section " + RtpSectionReader.describe(m);
        String ufrag = m.attribute("ice-ufrag").or(() -> s.attribute("ice-ufrag")).orElse(null);
        String pwd = m.attribute("ice-pwd").or(() -> s.attribute("ice-pwd")).orElse(null);
        if (ufrag == null) throw new SdpException(where + ": no a=ice-ufrag");
        if (pwd == null) throw new SdpException(where + ": no a=ice-pwd");
        if (ufrag.length() < 4 || ufrag.length() > 256 || !isIceChars(ufrag)) {
            throw new SdpException(where + ": a=ice-ufrag must be 4 to 256 characters of [A-Za-z0-9+/]");
        }
        if (pwd.length() < 22 || pwd.length() > 256 || !isIceChars(pwd)) {
            throw new SdpException(where + ": a=ice-pwd must be 22 to 256 characters of [A-Za-z0-9+/]");
        }
        return new IceParameters(ufrag, pwd);
    }

    /** The sha-256 fingerprint when there is one, else the first; the hash must be a known one. */
    static DtlsParameters fingerprint(MediaDescription m, SessionDescription s) throws SdpException {
        String where = "m-section " + RtpSectionReader.describe(m);
        List<String> values = m.attributeValues("fingerprint");
        if (values.isEmpty()) values = s.attributeValues("fingerprint");
        if (values.isEmpty()) throw new SdpException(where + ": no a=fingerprint");
        DtlsParameters first = null;
        for (String v : values) {
            String[] f = v.strip().split(" +");
            if (f.length != 2 || !Tokens.isToken(f[0]) || !isHexPairs(f[1])) {
                throw new SdpException(where + ": malformed a=fingerprint:" + SdpException.excerpt(v));
            }
            DtlsParameters d = new DtlsParameters(f[0], f[1]);
            int expectedBytes = switch (d.algorithm()) {
                case "sha-1" -> 20;
                case "sha-224" -> 28;
                case "sha-256" -> 32;
                case "sha-384" -> 48;
                case "sha-512" -> 64;
                default -> -1;
            };
            if (expectedBytes < 0) continue; // an unknown hash may sit beside a known one
            if ((f[1].length() + 1) / 3 != expectedBytes) {
                throw new SdpException(where + ": a=fingerprint " + d.algorithm() + " must have " + expectedBytes + " bytes");
            }
            if (d.algorithm().equals("sha-256")) return d;
            if (first == null) first = d;
        }
        if (first == null) throw new SdpException(where + ": a=fingerprint uses no known hash function");
        return first;
    }

    /** The a=setup value, or null when there is none. */
    static String setup(MediaDescription m, SessionDescription s) {
        return m.attribute("setup").or(() -> s.attribute("setup")).orElse(null);
    }

    private static boolean isIceChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) return false;
        }
        return true;
    }

    /** "AB:CD:..." : at least one pair of hex digits, pairs separated by colons. */
    private static boolean isHexPairs(String s) {
        if (s.length() < 2 || (s.length() + 1) % 3 != 0) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (i % 3 == 2) {
                if (c != ':') return false;
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
