package org.salotto.signaling.sdp;

import java.io.Serial;

/**
 * An SDP that cannot be read or cannot be negotiated. The message is meant for the person at the other end (it is sent
 * back in the {@code bad_sdp} error frame), so it names the line or the m-section at fault and never echoes more than a
 * short excerpt of the input.
 */
public final class SdpException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The stable error code of the signaling protocol (docs/protocol.md). */
    public static final String ERROR_CODE = "bad_sdp";

    public SdpException(String message) {
        super(message);
    }

    /** A message about line {@code lineNumber} (1-based) of the input. */
    static SdpException atLine(int lineNumber, String message) {
        return new SdpException("line " + lineNumber + ": " + message);
    }

    /** The first characters of untrusted text, for a message. */
    static String excerpt(String text) {
        String s = text.length() <= 40 ? text : text.substring(0, 40) + "...";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
