package org.salotto.rooms.domain;

import java.time.Instant;
import org.salotto.rooms.Grants;
import org.salotto.rooms.Role;

/**
 * Someone knocking: waiting in the lobby of a knock-mode room until a host or co-host answers; {@code role},
 * {@code grants} and {@code metadata} are theirs once in.
 */
public record LobbyEntry(String lobbyId, String identity, long accountId, String displayName, Role role,
                         Instant since, long connection, Grants grants, String metadata) {

    public LobbyEntry(String lobbyId, String identity, long accountId, String displayName, Role role, Instant since,
                      long connection) {
        this(lobbyId, identity, accountId, displayName, role, since, connection, Grants.FULL, null);
    }

    public boolean guest() {
        return accountId < 0;
    }
}
