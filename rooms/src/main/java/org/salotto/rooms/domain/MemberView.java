package org.salotto.rooms.domain;

import org.salotto.rooms.Role;

/** A member as the others see them, at one moment. */
public record MemberView(String participantId, String identity, long accountId, String displayName, Role role,
                         boolean handRaised) {

    public boolean guest() {
        return accountId < 0;
    }
}
