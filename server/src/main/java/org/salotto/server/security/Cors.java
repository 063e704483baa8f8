package org.salotto.server.security;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The CORS protocol of the Fetch standard (https://fetch.spec.whatwg.org/#http-cors-protocol) for the paths a page of
 * another origin may call: the API ({@code /api/}) and WHIP and WHEP ({@code /whip/}, {@code /whep/}, RFC 9725 §4.6).
 * Which origins may: {@code http.allowed-origins}, the same list that the Origin check of state-changing requests and
 * of the WebSocket upgrade uses (docs/security.md, "Pages of other origins").
 *
 * <p>Only the API gets {@code Access-Control-Allow-Credentials}: the session cookie works there (for an origin the
 * operator listed, with the {@code X-Salotto-Request} header), while WHIP and WHEP take a bearer token and no cookie.
 */
final class Cors {
    /** How long a browser may keep a preflight's answer, in seconds (Chromium keeps at most 7200). */
    static final int MAX_AGE_SECONDS = 600;
    static final String EXPOSED = "Location, ETag, Link, Retry-After, Idempotent-Replayed, Accept-Patch";

    /** The paths that speak CORS, each with what a preflight grants. */
    enum Scope {
        API("GET, POST, PUT, PATCH, DELETE",
                "Authorization, Content-Type, Idempotency-Key, If-Match, " + SecurityHandler.CSRF_HEADER, true),
        /** WHIP and WHEP: the resource is created by POST, changed by PATCH (trickle, ICE restart), ended by DELETE. */
        MEDIA("POST, PATCH, DELETE", "Authorization, Content-Type, If-Match", false);

        final String methods;
        final String headers;
        final boolean credentials;

        Scope(String methods, String headers, boolean credentials) {
            this.methods = methods;
            this.headers = headers;
            this.credentials = credentials;
        }
    }

    private Cors() {
    }

    /** The CORS rules of a path, or null: pages, health, metrics and the WebSocket are for the server's own origin. */
    static Scope scope(String path) {
        if (path.startsWith("/api/") || path.equals("/api")) return Scope.API;
        if (path.startsWith("/whip/") || path.startsWith("/whep/") || path.equals("/whip") || path.equals("/whep")) {
            return Scope.MEDIA;
        }
        return null;
    }

    /** A CORS preflight: OPTIONS with an Origin and the method the page wants to use. */
    static boolean preflight(Request request) {
        HttpFields h = request.getHeaders();
        return request.getMethod().equals("OPTIONS") && h.contains(HttpHeader.ORIGIN)
                && h.contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /**
     * The headers of every answer on a CORS path: {@code Vary: Origin} always (the answer depends on it, so a cache
     * must not give one origin's answer to another), and for an allowed {@code origin} the permission to read it.
     */
    static void addAnswerHeaders(HttpFields.Mutable h, Scope scope, String allowedOrigin) {
        h.add(HttpHeader.VARY, "Origin");
        if (allowedOrigin == null) return;
        h.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, allowedOrigin);
        if (scope.credentials) h.put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        h.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
    }

    /**
     * A preflight's permission, for an allowed origin: every method and header the path takes, whatever this one
     * asked (the browser checks its own request against them and says which one is missing).
     */
    static void addPreflightHeaders(HttpFields.Mutable h, Scope scope) {
        h.add(HttpHeader.VARY, "Access-Control-Request-Method, Access-Control-Request-Headers");
        h.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, scope.methods);
        h.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, scope.headers);
        h.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, Integer.toString(MAX_AGE_SECONDS));
    }
}
