package org.salotto.signaling.sdp;

/**
 * A {@code c=} line (RFC 8866 section 5.7).
 *
 * @param netType  "IN"
 * @param addrType "IP4" or "IP6"
 * @param address  the connection address (WebRTC offers carry 0.0.0.0 here; candidates carry the real ones)
 */
public record Connection(String netType, String addrType, String address) {

    public Connection {
        if (!Tokens.isField(netType) || !Tokens.isField(addrType) || !Tokens.isField(address)) {
            throw new IllegalArgumentException("c= field is empty or has spaces");
        }
    }

    /** {@code IN IP4 address} or {@code IN IP6 address}, chosen by the address's form. */
    public static Connection of(String address) {
        return new Connection("IN", address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
    }

    @Override
    public String toString() {
        return netType + ' ' + addrType + ' ' + address;
    }
}
