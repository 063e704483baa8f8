package org.salotto.rooms.store;

import java.time.Instant;
import org.salotto.rooms.Role;

/** Someone who has been in a room: the last display name and role they had there, and when they first came. */
public record Membership(String roomId, String identity, String displayName, Role role, Instant firstJoinedAt,
                         Instant lastJoinedAt) {
}
