package org.salotto.rooms.store;

import java.time.Instant;

/** A person an account blocked: they cannot join any room that account hosts. {@code displayName} is for lists. */
public record Block(long accountId, String identity, String displayName, Instant at) {
}
