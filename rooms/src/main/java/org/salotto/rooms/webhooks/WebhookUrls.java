package org.salotto.rooms.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs an endpoint may have (docs/security.md "Webhooks"): http or https, a host, no user info or fragment, at
 * most 2048 characters; and, unless {@code webhooks.allow-private-networks} is on, a host whose every address is
 * public: not loopback, private (RFC 1918, fc00::/7), link-local (the cloud metadata address 169.254.169.254 among
 * them), carrier-grade NAT, multicast or unspecified. Checked when the endpoint is registered and again before every
 * attempt (a name may resolve elsewhere later).
 */
public final class WebhookUrls {
    public static final int MAX_LENGTH = 2048;

    private WebhookUrls() {
    }

    /** The URL, or an exception whose message says what is wrong. */
    public static URI parse(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("'url' is required");
        if (url.length() > MAX_LENGTH) throw new IllegalArgumentException("'url' may be at most " + MAX_LENGTH + " characters");
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'url' is not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'url' must be an http:// or https:// URL");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) throw new IllegalArgumentException("'url' has no host");
        if (u.getRawUserInfo() != null) throw new IllegalArgumentException("'url' may not hold a user name or password");
        if (u.getRawFragment() != null) throw new IllegalArgumentException("'url' may not have a #fragment");
        return u;
    }

    /** Refuses a host with an address that is not public, unless private networks are allowed. */
    public static void checkAddress(URI url, boolean allowPrivateNetworks) throws UnknownHostException {
        if (allowPrivateNetworks) return;
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (!isPublic(a)) {
                throw new IllegalArgumentException("'url' names " + a.getHostAddress()
                        + ", which is not a public address (webhooks.allow-private-networks is off)");
            }
        }
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) return false;                                  // "this network"
            if (first == 100 && second >= 64 && second < 128) return false; // carrier-grade NAT, RFC 6598
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) return false; // IETF protocol assignments
            if (first >= 240) return false;                                // reserved and broadcast
            return true;
        }
        // IPv6 unique local addresses (fc00::/7) and IPv4-mapped ones of private IPv4 addresses.
        if ((b[0] & 0xfe) == 0xfc) return false;
        boolean mapped = true;
        for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
        if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            try {
                return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return true;
    }
}
