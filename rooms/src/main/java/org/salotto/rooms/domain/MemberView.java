package org.salotto.rooms.domain;

import org.salotto.rooms.Grants;
import org.salotto.rooms.Role;

/**
 * A member as the others see them, at one moment; {@code grants} and {@code metadata} come from their join token
 * ({@link Grants#FULL} and null for the server's own tokens). A {@code hidden} member is not shown to the others.
 */
public record MemberView(String participantId, String identity, long accountId, String displayName, Role role,
                         boolean handRaised, Grants grants, String metadata) {

    public MemberView(String participantId, String identity, long accountId, String displayName, Role role,
                      boolean handRaised) {
        this(participantId, identity, accountId, displayName, role, handRaised, Grants.FULL, null);
    }

    public boolean hidden() {
        return grants.hidden();
    }

    public boolean guest() {
        return accountId < 0;
    }
}
