package org.salotto.signaling.sdp;

import java.util.Objects;

/**
 * One {@code a=} line (RFC 8866 section 5.13): either a property flag ({@code a=rtcp-mux}) or a name and a value
 * ({@code a=mid:0}).
 *
 * @param name  the attribute name, a token (no colon, no space)
 * @param value the text after the first colon (may be empty), or {@code null} for a flag
 */
public record Attribute(String name, String value) {

    public Attribute {
        Objects.requireNonNull(name, "name");
        if (!Tokens.isToken(name)) throw new IllegalArgumentException("attribute name is not a token: " + name);
        if (value != null && !Tokens.isByteString(value)) throw new IllegalArgumentException("attribute value has CR, LF or NUL");
    }

    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }

    public static Attribute of(String name, String value) {
        return new Attribute(name, Objects.requireNonNull(value, "value"));
    }

    public boolean isFlag() {
        return value == null;
    }

    /** The line as written after {@code a=}. */
    @Override
    public String toString() {
        return value == null ? name : name + ':' + value;
    }
}
