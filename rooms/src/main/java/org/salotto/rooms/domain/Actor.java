package org.salotto.rooms.domain;

/**
 * Who asks for a command: a person by their identity (see {@code Identities}) and account id (-1 for a guest or an
 * application's user). The room finds their role from the identity; the host's account keeps the host's rights
 * even when not in the room (the HTTP API).
 */
public record Actor(String identity, long accountId) {
}
