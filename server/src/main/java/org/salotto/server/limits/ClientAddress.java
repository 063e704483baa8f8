package org.salotto.server.limits;

import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The client's IP address, the key of every per-address limit: the connection's peer, or, when that peer is a
 * trusted reverse proxy ({@code limits.trusted-proxies}, empty by default), the last address in
 * {@code X-Forwarded-For} that is not a trusted proxy. The header is read from the right because each proxy appends
 * the address it saw: what is left of the trusted ones was written by the client and may be anything.
 */
public final class ClientAddress {
    private final Set<String> trustedProxies;

    public ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    public String of(Request request) {
        String peer = Request.getRemoteAddr(request);
        if (trustedProxies.isEmpty() || !trustedProxies.contains(peer)) return peer;
        String forwarded = request.getHeaders().get(HttpHeader.X_FORWARDED_FOR);
        if (forwarded == null) return peer;
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) return hop.length() > 64 ? hop.substring(0, 64) : hop;
        }
        return peer;
    }
}
