package org.salotto.rooms.store;

import java.time.Instant;

/** An Ed25519 public key an account registered to sign join tokens (EdDSA); {@code publicKey} is the raw 32 bytes. */
public record SigningKey(String id, long accountId, String name, byte[] publicKey, Instant createdAt) {
}
