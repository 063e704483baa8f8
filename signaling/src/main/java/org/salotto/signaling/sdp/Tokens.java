package org.salotto.signaling.sdp;

/** Character classes of the RFC 8866 grammar, and strict number parsing that never throws anything but SdpException. */
final class Tokens {
    private Tokens() {
    }

    /** token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E */
    static boolean isTokenChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E
                || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
    }

    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (!isTokenChar(s.charAt(i))) return false;
        return true;
    }

    /** A non-empty run of visible characters: what fills one space-separated field of o=, c=, m=. */
    static boolean isField(String s) {
        if (s == null || s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7f) return false;
        }
        return true;
    }

    /** byte-string: anything but NUL, CR and LF. */
    static boolean isByteString(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') return false;
        }
        return true;
    }

    static boolean isDigits(String s, int maxLength) {
        if (s.isEmpty() || s.length() > maxLength) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** A decimal number in [min, max] (max below 10^18), or SdpException naming {@code what}. */
    static long parseLong(String s, long min, long max, String what) throws SdpException {
        if (!isDigits(s, 18)) throw new SdpException(what + " is not a number: " + SdpException.excerpt(s));
        long v = Long.parseLong(s);
        if (v < min || v > max) throw new SdpException(what + " out of range: " + v);
        return v;
    }

    static int parseInt(String s, int min, int max, String what) throws SdpException {
        return (int) parseLong(s, min, max, what);
    }
}
