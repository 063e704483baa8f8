package org.salotto.rooms.store;

import java.util.List;
import java.util.Optional;

/**
 * The keys that verify the join tokens applications mint offline (V8__join_token_keys.sql): the sealed secrets of
 * API keys (HS256) and the Ed25519 public keys accounts register (EdDSA).
 */
public interface JoinKeyStore {

    /** Keeps the sealed secret of an API key that exists. */
    void sealApiKeySecret(String apiKeyId, byte[] sealed);

    /** The sealed secret of an API key; empty if the key does not exist or was made before secrets were kept. */
    Optional<byte[]> sealedApiKeySecret(String apiKeyId);

    void createSigningKey(SigningKey key);

    Optional<SigningKey> signingKey(String id);

    List<SigningKey> signingKeysOf(long accountId);

    /** True if the key existed and belonged to the account. */
    boolean deleteSigningKey(String id, long accountId);
}
