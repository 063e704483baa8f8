package org.salotto.rooms.store;

import java.time.Instant;

/**
 * An application's key: {@code id} is public (it appears in the key text before the secret), only a hash of the
 * secret is stored. The key acts for its account.
 */
public record ApiKey(String id, long accountId, String name, byte[] secretHash, Instant createdAt) {
}
