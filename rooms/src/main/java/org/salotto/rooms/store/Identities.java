package org.salotto.rooms.store;

/**
 * Who someone is in a room, as one string stored in memberships, bans and blocks: {@code a:<account id>} for an
 * account, {@code g:<guest id>} for a guest recognised by their signed guest token, {@code k:<api key id>:<user>} for
 * a user an application sent in with a join token. At most 160 characters.
 */
public final class Identities {
    public static final int MAX_LENGTH = 160;

    private Identities() {
    }

    public static String account(long accountId) {
        return "a:" + accountId;
    }

    public static String guest(String guestId) {
        return "g:" + guestId;
    }

    public static String app(String apiKeyId, String user) {
        return "k:" + apiKeyId + ":" + user;
    }

    /** The API key id of an application's user ({@code k:<key id>:<user>}), or null for anyone else. */
    public static String apiKeyId(String identity) {
        if (!identity.startsWith("k:")) return null;
        int colon = identity.indexOf(':', 2);
        return colon < 0 ? null : identity.substring(2, colon);
    }

    /** The account id of an account identity, or -1 for a guest or an application's user. */
    public static long accountId(String identity) {
        if (!identity.startsWith("a:")) return -1;
        try {
            return Long.parseLong(identity.substring(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
