package org.salotto.rooms.people;

import java.time.Instant;

/**
 * An account as people see it: its names, bio and avatar version (null: no avatar, the initials show), whether it
 * was stored as an admin (the first account and the configured ones are admins too: {@link People#isAdmin}), and
 * when it was suspended (null: it is not).
 */
public record Person(long id, String username, String displayName, String bio, Long avatarVersion, boolean storedAdmin,
                     Instant suspendedAt, Instant createdAt) {

    public boolean suspended() {
        return suspendedAt != null;
    }
}
