package org.salotto.rooms.store;

import java.time.Instant;

/** A person removed from a room, who may not come back into it by any link, account or guest identity. */
public record Ban(String roomId, String identity, String bannedBy, Instant at) {
}
