package org.salotto.rooms.store;

import java.time.Instant;

/** A person with a username and a password (stored only as a slow hash). */
public record Account(long id, String username, String displayName, String passwordHash, Instant createdAt) {

    /** The identity string this account has in rooms, bans and blocks. */
    public String identity() {
        return Identities.account(id);
    }
}
