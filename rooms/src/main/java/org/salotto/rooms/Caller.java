package org.salotto.rooms;

import org.salotto.rooms.store.Identities;

/**
 * Who makes a request: an account (by session cookie or API key) or a guest (by signed guest token).
 * {@code accountId} is -1 for a guest; {@code apiKeyId} is set when an application calls with its key.
 */
public record Caller(String identity, long accountId, String apiKeyId) {

    public static Caller account(long accountId) {
        return new Caller(Identities.account(accountId), accountId, null);
    }

    public static Caller apiKey(long accountId, String apiKeyId) {
        return new Caller(Identities.account(accountId), accountId, apiKeyId);
    }

    public static Caller guest(String guestId) {
        return new Caller(Identities.guest(guestId), -1, null);
    }

    public boolean isAccount() {
        return accountId >= 0;
    }
}
