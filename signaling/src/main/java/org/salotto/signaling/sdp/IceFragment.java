package org.salotto.signaling.sdp;

import java.nio.charset.StandardCharsets;

import org.salotto.media.params.IceParameters;

/**
 * An SDP fragment of {@code application/trickle-ice-sdpfrag} (RFC 8840 section 9), as a WHIP or WHEP client sends it
 * in a PATCH (RFC 9725 section 4.3): its ICE credentials, when it has any, and how many candidates it carries.
 * Salotto is ICE-lite: it never uses a client's candidates (it learns the client's address from its connectivity
 * checks), so only the credentials matter, and only when they are new (an ICE restart).
 *
 * @param ice        the client's {@code a=ice-ufrag} and {@code a=ice-pwd}, or null when the fragment has none
 * @param candidates the number of {@code a=candidate} lines
 */
public record IceFragment(IceParameters ice, int candidates) {
    /** Longest fragment read; a few dozen candidates fit many times over. */
    public static final int MAX_BYTES = 16 * 1024;

    /**
     * Reads a fragment, leniently about what Salotto ignores (m= lines, mids, candidates' content), strictly about
     * the credentials.
     *
     * @throws SdpException when it is too long, not text lines, or has half of a credential pair or a bad one
     */
    public static IceFragment parse(String fragment) throws SdpException {
        if (fragment.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new SdpException("the fragment is longer than " + MAX_BYTES + " bytes");
        }
        String ufrag = null;
        String pwd = null;
        int candidates = 0;
        for (String raw : fragment.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) continue;
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpException("not an SDP line: " + SdpException.excerpt(line));
            }
            if (line.startsWith("a=ice-ufrag:")) ufrag = line.substring("a=ice-ufrag:".length());
            else if (line.startsWith("a=ice-pwd:")) pwd = line.substring("a=ice-pwd:".length());
            else if (line.startsWith("a=candidate:")) candidates++;
        }
        if ((ufrag == null) != (pwd == null)) throw new SdpException("a=ice-ufrag and a=ice-pwd come together, or not at all");
        if (ufrag == null) return new IceFragment(null, candidates);
        if (ufrag.length() < 4 || ufrag.length() > 256 || !iceChars(ufrag)) {
            throw new SdpException("a=ice-ufrag must be 4 to 256 characters of [A-Za-z0-9+/]");
        }
        if (pwd.length() < 22 || pwd.length() > 256 || !iceChars(pwd)) {
            throw new SdpException("a=ice-pwd must be 22 to 256 characters of [A-Za-z0-9+/]");
        }
        return new IceFragment(new IceParameters(ufrag, pwd), candidates);
    }

    /**
     * The answer to an ICE restart (RFC 9725 section 4.3.2): Salotto's new credentials. Its candidates do not change
     * (the one UDP port, and the ICE-TCP port when there is one), so none is repeated.
     */
    public static String restartAnswer(IceParameters server) {
        return "a=ice-lite\r\na=ice-ufrag:" + server.ufrag() + "\r\na=ice-pwd:" + server.pwd() + "\r\n";
    }

    private static boolean iceChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) return false;
        }
        return true;
    }
}
