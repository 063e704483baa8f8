package org.salotto.rooms.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs short texts with HMAC-SHA256 (RFC 2104): {@code <payload>.<base64url signature>}. The key lives in the
 * database, so tokens stay valid across restarts. Payloads must not contain '.' after their last field.
 */
public final class TokenSigner {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private final SecretKeySpec key;

    public TokenSigner(byte[] key) {
        if (key.length < 32) throw new IllegalArgumentException("a signing key has at least 32 bytes");
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public String sign(String payload) {
        return payload + "." + B64.encodeToString(mac(payload));
    }

    /** The payload of a token this signer signed, or null for anything else (forged, truncated, malformed). */
    public String verify(String token) {
        if (token == null || token.length() > 4096) return null;
        int dot = token.lastIndexOf('.');
        if (dot <= 0) return null;
        String payload = token.substring(0, dot);
        byte[] given;
        try {
            given = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        return MessageDigest.isEqual(given, mac(payload)) ? payload : null;
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    public static String base64url(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    public static byte[] fromBase64url(String text) {
        return B64D.decode(text);
    }
}
