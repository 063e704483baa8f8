package org.salotto.server.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Where a request came from as the browser sees it: the scheme and host the page was loaded from, and the client's
 * address. Behind a TLS reverse proxy the connection is plain HTTP from the proxy; the proxy's
 * {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code X-Forwarded-For} say the rest, and are believed only
 * when the connection comes from an address in {@code http.trusted-proxies} (anyone else could send them).
 *
 * @param https    the page was loaded over HTTPS (directly, or through a trusted proxy that says so)
 * @param host     the Host the browser asked for ({@code salotto.example}, {@code 127.0.0.1:8080}), lower case; null if
 *                 missing or not a plain host name
 * @param client   the client's address: the connection's peer, or the address a trusted proxy forwarded for
 * @param relayed  the request carries forwarding headers ({@code X-Forwarded-For}, {@code Forwarded},
 *                 {@code X-Real-IP}), trusted or not: it came through some proxy
 */
public record RequestSource(boolean https, String host, InetAddress client, boolean relayed) {
    private static final Pattern HOST = Pattern.compile("[a-z0-9.-]{1,253}(:[0-9]{1,5})?|\\[[0-9a-f:.]{2,45}](:[0-9]{1,5})?");
    private static final String ATTRIBUTE = RequestSource.class.getName();

    /** The origin of the page that would make this request: {@code https://salotto.example}, or null without a host. */
    public String origin() {
        return host == null ? null : BrowserSecurity.normalizeOrigin((https ? "https://" : "http://") + host);
    }

    /**
     * The client's address as text, the key of every per-address limit: the connection's peer, or the client a
     * trusted proxy names ({@code http.trusted-proxies}).
     */
    public String clientAddress() {
        return client == null ? "unknown" : client.getHostAddress();
    }

    /** The source of a request, worked out once by the {@link SecurityHandler} and kept on the request. */
    public static RequestSource of(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof RequestSource s ? s : read(request, Set.of());
    }

    static RequestSource read(Request request, Set<String> trustedProxies) {
        InetAddress peer = peer(request.getConnectionMetaData().getRemoteSocketAddress());
        var headers = request.getHeaders();
        boolean relayed = headers.contains(HttpHeader.X_FORWARDED_FOR) || headers.contains(HttpHeader.FORWARDED)
                || headers.contains("X-Real-IP");
        boolean trusted = peer != null && trustedProxies.contains(peer.getHostAddress());
        boolean https = request.isSecure();
        String host = headers.get(HttpHeader.HOST);
        InetAddress client = peer;
        if (trusted) {
            String proto = first(headers.get(HttpHeader.X_FORWARDED_PROTO));
            if (proto != null) https = proto.equalsIgnoreCase("https");
            String forwardedHost = first(headers.get(HttpHeader.X_FORWARDED_HOST));
            if (forwardedHost != null) host = forwardedHost;
            InetAddress forwardedFor = lastUntrusted(headers.get(HttpHeader.X_FORWARDED_FOR), trustedProxies);
            if (forwardedFor != null) client = forwardedFor;
        }
        if (host != null) {
            host = host.strip().toLowerCase(Locale.ROOT);
            if (!HOST.matcher(host).matches()) host = null;
        }
        RequestSource s = new RequestSource(https, host, client, relayed);
        request.setAttribute(ATTRIBUTE, s);
        return s;
    }

    private static InetAddress peer(SocketAddress address) {
        return address instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    private static String first(String list) {
        if (list == null) return null;
        int comma = list.indexOf(',');
        String v = (comma < 0 ? list : list.substring(0, comma)).strip();
        return v.isEmpty() ? null : v;
    }

    /** The client in {@code X-Forwarded-For}: the right-most address that is not one of our proxies. */
    private static InetAddress lastUntrusted(String list, Set<String> trustedProxies) {
        if (list == null) return null;
        String[] hops = list.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            // Only literal addresses: a name here would be looked up in DNS.
            if (!hop.matches("[0-9a-fA-F.:]{2,45}")) return null;
            try {
                InetAddress a = InetAddress.ofLiteral(hop);
                if (!trustedProxies.contains(a.getHostAddress())) return a;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
