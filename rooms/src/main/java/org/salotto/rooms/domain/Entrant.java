package org.salotto.rooms.domain;

import org.salotto.rooms.Grants;
import org.salotto.rooms.Role;

/**
 * Someone coming in with a valid join token, and what the database says about them, read before the command is
 * submitted so that the room's executor never waits for the database.
 *
 * @param banned     removed from this room before (a stored ban)
 * @param blocked    blocked by the room's host
 * @param storedRole the role the person last had here (co-host, moderator), or null
 * @param connection the id of the connection they come in on, to tell its frames apart from an older one's
 * @param grants     what their join token grants ({@link Grants#FULL} for the server's own tokens)
 * @param metadata   an application's text about them, shown to everyone with the member, or null
 */
public record Entrant(String identity, long accountId, String displayName, boolean banned, boolean blocked,
                      Role storedRole, long connection, Grants grants, String metadata) {

    public Entrant(String identity, long accountId, String displayName, boolean banned, boolean blocked,
                   Role storedRole, long connection) {
        this(identity, accountId, displayName, banned, blocked, storedRole, connection, Grants.FULL, null);
    }
}
