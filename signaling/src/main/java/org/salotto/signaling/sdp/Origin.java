package org.salotto.signaling.sdp;

/**
 * The {@code o=} line (RFC 8866 section 5.2).
 *
 * @param username       "-" when there is none
 * @param sessionId      numeric string, fixed for the life of the session
 * @param sessionVersion numeric string, increased with every new description of the same session
 * @param netType        "IN"
 * @param addrType       "IP4" or "IP6"
 * @param address        the originator's address (browsers write 127.0.0.1)
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                     String address) {

    public Origin {
        for (String f : new String[] {username, netType, addrType, address}) {
            if (!Tokens.isField(f)) throw new IllegalArgumentException("o= field is empty or has spaces");
        }
        if (!Tokens.isDigits(sessionId, 20) || !Tokens.isDigits(sessionVersion, 20)) {
            throw new IllegalArgumentException("o= session id and version must be numbers");
        }
    }

    /** The origin Salotto writes: no user name, a loopback address as browsers do. */
    public static Origin of(long sessionId, long sessionVersion) {
        return new Origin("-", Long.toUnsignedString(sessionId), Long.toUnsignedString(sessionVersion), "IN", "IP4", "127.0.0.1");
    }

    @Override
    public String toString() {
        return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + netType + ' ' + addrType + ' ' + address;
    }
}
