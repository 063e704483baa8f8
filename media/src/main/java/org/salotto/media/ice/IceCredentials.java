package org.salotto.media.ice;

import java.security.SecureRandom;
import org.salotto.media.params.IceParameters;

/** Generates local ICE credentials: ice-chars only (RFC 8839 §5.4), 8-character ufrag and 24-character password. */
public final class IceCredentials {
    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private IceCredentials() {
    }

    public static IceParameters generate() {
        return new IceParameters(random(8), random(24));
    }

    private static String random(int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) c[i] = ICE_CHARS[RANDOM.nextInt(ICE_CHARS.length)];
        return new String(c);
    }
}
