package org.salotto.rooms.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a secret the server must be able to read again (an API key's, to verify the HS256 join tokens made with it):
 * AES-256-GCM (NIST SP 800-38D) under a server key kept in the secrets table, a random 96-bit nonce per seal, and the
 * name of what is sealed (the key id) as associated data, so a sealed value copied onto another row does not open.
 * Sealed form: {@code nonce (12 bytes) || ciphertext || tag (16 bytes)}.
 */
public final class SecretSeal {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;
    private final SecretKeySpec key;

    public SecretSeal(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("a seal key has 32 bytes");
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    public byte[] seal(String name, byte[] secret) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(secret);
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The secret sealed under {@code name}, or null if {@code sealed} is not one of ours for that name. */
    public byte[] open(String name, byte[] sealed) {
        if (sealed == null || sealed.length < NONCE + 16) return null;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE));
            c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }
}
