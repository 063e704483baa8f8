package org.salotto.rooms.auth;

import java.security.PublicKey;

/**
 * Where {@link Tokens} finds the key a join token names in its {@code kid}: an API key's secret (HS256) or an Ed25519
 * public key an account registered (EdDSA). Each lookup is by id; the two kinds of ids never collide (API key ids are
 * 12 letters and digits, signing key ids start with {@code ed_}).
 */
public interface JoinKeys {

    /** An API key: its account, and its secret's bytes (the whole {@code sk_...} text), null for a key made before V8. */
    record Hmac(long accountId, byte[] secret) {
    }

    /** A registered Ed25519 public key and its account. */
    record Ed25519(long accountId, PublicKey key) {
    }

    /** The API key of this id, or null. */
    Hmac apiKey(String id);

    /** The signing key of this id, or null. */
    Ed25519 signingKey(String id);

    /** No keys at all: only the server's own join tokens are read (tests of the format). */
    JoinKeys NONE = new JoinKeys() {
        @Override
        public Hmac apiKey(String id) {
            return null;
        }

        @Override
        public Ed25519 signingKey(String id) {
            return null;
        }
    };
}
