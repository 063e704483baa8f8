package org.salotto.server.security;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.salotto.signaling.protocol.BodyCodec;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.HttpError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every request (docs/security.md):
 * <ul>
 * <li>puts the security headers on every response: Content-Security-Policy, X-Frame-Options, nosniff,
 *     Referrer-Policy, Permissions-Policy, and HSTS over HTTPS;</li>
 * <li>refuses, with 403 {@code origin_not_allowed}, a state-changing request (POST, PUT, PATCH, DELETE) or a
 *     WebSocket upgrade whose {@code Origin} is not allowed ({@link BrowserSecurity#allowedOrigins()}, or by default
 *     the origin the server is reached at); a request without {@code Origin} comes from a program, not a page, unless
 *     its {@code Sec-Fetch-Site} says another site sent it;</li>
 * <li>refuses, with 403 {@code csrf_header_missing}, a state-changing API request that carries the session cookie
 *     without the {@value #CSRF_HEADER} header: a page of another site cannot add a header to a request without the
 *     CORS preflight this server grants only to the origins of {@code http.allowed-origins}, so the header proves the
 *     request came from the app or an allowed page (requests with a Bearer API key or guest token carry no ambient
 *     credential and need no header);</li>
 * <li>answers the CORS preflight of {@code /api/}, {@code /whip/} and {@code /whep/} and lets the allowed origins
 *     read the answers ({@link Cors}): the same list as the Origin check;</li>
 * <li>lets {@code /metrics} through only from loopback (not relayed by a proxy), or with its bearer token when
 *     {@code http.metrics-token} is set.</li>
 * </ul>
 */
public final class SecurityHandler extends Handler.Wrapper {
    /** The header the web app sends with every API request; any value will do, the app sends 1. */
    public static final String CSRF_HEADER = "X-Salotto-Request";
    private static final Logger log = LoggerFactory.getLogger(SecurityHandler.class);
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final BrowserSecurity config;
    private final String sessionCookie;
    private final Set<String> allowedOrigins;
    private final Set<String> trustedProxies = new HashSet<>();
    private final byte[] metricsAuthorization;
    private final AtomicBoolean warnedAboutProxy = new AtomicBoolean();
    /** The origins of the cluster's live nodes (their public URLs); none without a cluster. */
    private volatile java.util.function.Supplier<Set<String>> clusterOrigins = Set::of;
    /**
     * Every origin the cluster has listed since this node started, live or since lost: a page served by a node that
     * was lost comes back to the room through another node and goes on calling it with its own origin (docs/scale.md
     * "A node lost"). Kept for the process's life: a few strings per node that ever joined, all of them the cluster's
     * own, which this node trusts through Redis anyway. The pages' connect-src lists only the live ones.
     */
    private final Set<String> clusterOriginsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param sessionCookie the name of the browser session cookie: a state-changing request carrying it needs the
     *                      CSRF header
     */
    public SecurityHandler(BrowserSecurity config, String sessionCookie, Handler next) {
        super(next);
        this.config = config;
        this.sessionCookie = sessionCookie;
        this.allowedOrigins = Set.copyOf(config.allowedOrigins());
        for (String p : config.trustedProxies()) trustedProxies.add(InetAddress.ofLiteral(p).getHostAddress());
        this.metricsAuthorization = config.metricsToken().isEmpty() ? null
                : ("Bearer " + config.metricsToken()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * With a cluster: the pages of its own nodes ({@code cluster.public-url} of each live node, and of each node it
     * listed before it was lost) may open this node's WebSocket and call its API, as the app served by one node follows
     * a room to its owner or comes back after its node's loss; and this node's pages may connect to the live ones (the
     * policy's {@code connect-src}). No other origin is added.
     */
    public void allowClusterOrigins(java.util.function.Supplier<Set<String>> origins) {
        this.clusterOrigins = java.util.Objects.requireNonNull(origins);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        RequestSource source = RequestSource.read(request, trustedProxies);
        Set<String> live = clusterOrigins.get();
        if (!clusterOriginsSeen.containsAll(live)) clusterOriginsSeen.addAll(live);
        addHeaders(response, source, live);
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        Cors.Scope cors = Cors.scope(path);
        if (cors != null) {
            // Before the checks below, so that an allowed page can read their refusals too.
            String origin = request.getHeaders().get(HttpHeader.ORIGIN);
            String normalized = BrowserSecurity.normalizeOrigin(origin);
            String allowedOrigin = normalized != null && allowed(normalized, source) ? normalized : null;
            Cors.addAnswerHeaders(response.getHeaders(), cors, allowedOrigin);
            if (Cors.preflight(request)) {
                if (allowedOrigin == null) {
                    return refuse(response, callback, ErrorCode.ORIGIN_NOT_ALLOWED, "pages from "
                            + (normalized == null ? "'" + shorten(origin) + "'" : normalized)
                            + " may not call this server: its operator lists the origins that may in http.allowed-origins");
                }
                Cors.addPreflightHeaders(response.getHeaders(), cors);
                response.setStatus(204);
                callback.succeeded();
                return true;
            }
        }
        boolean upgrade = path.startsWith("/ws/");
        if (upgrade || STATE_CHANGING.contains(method)) {
            String refusal = originRefusal(request, source);
            if (refusal != null) {
                log.debug("refused {} {}: {}", method, path, refusal);
                return refuse(response, callback, ErrorCode.ORIGIN_NOT_ALLOWED, refusal);
            }
        }
        if (STATE_CHANGING.contains(method) && path.startsWith("/api/") && hasSessionCookie(request)
                && !request.getHeaders().contains(CSRF_HEADER)) {
            return refuse(response, callback, ErrorCode.CSRF_HEADER_MISSING, "a request with the session cookie must send the "
                    + CSRF_HEADER + " header (the web app does; see docs/api.md)");
        }
        if (path.equals("/metrics") && !metricsAllowed(request, source)) {
            response.setStatus(403);
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.write(true, ByteBuffer.wrap(("/metrics is served to loopback, or with the bearer token of "
                    + "http.metrics-token (docs/operations.md)\n").getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
        return super.handle(request, response, callback);
    }

    /** Why a request's Origin is refused, or null if it may go on. */
    private String originRefusal(Request request, RequestSource source) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            // Programs send no Origin; browsers always do on these requests, and say where from in Sec-Fetch-Site.
            String site = request.getHeaders().get("Sec-Fetch-Site");
            return site == null || site.equals("same-origin") || site.equals("none") ? null
                    : "a request from another site (Sec-Fetch-Site: " + site + ") without an Origin";
        }
        String normalized = BrowserSecurity.normalizeOrigin(origin);
        if (normalized != null && allowed(normalized, source)) return null;
        if (normalized != null && allowedOrigins.isEmpty() && source.relayed() && trustedProxies.isEmpty()
                && warnedAboutProxy.compareAndSet(false, true)) {
            log.warn("refused a request from {} that came through a proxy: the server sees itself at {}. Behind a "
                    + "reverse proxy, set http.trusted-proxies (and the proxy's X-Forwarded-Proto and Host), or "
                    + "http.allowed-origins (docs/operations.md)", normalized, source.origin());
        }
        return "pages from " + (normalized == null ? "'" + shorten(origin) + "'" : normalized) + " may not act on this server";
    }

    private boolean allowed(String origin, RequestSource source) {
        if (clusterOriginsSeen.contains(origin)) return true;
        if (!allowedOrigins.isEmpty()) return allowedOrigins.contains(origin);
        return origin.equals(source.origin());
    }

    private boolean hasSessionCookie(Request request) {
        List<HttpCookie> cookies = Request.getCookies(request);
        for (HttpCookie c : cookies) if (c.getName().equals(sessionCookie)) return true;
        return false;
    }

    private boolean metricsAllowed(Request request, RequestSource source) {
        if (metricsAuthorization != null) {
            String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            return auth != null && MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), metricsAuthorization);
        }
        return !source.relayed() && source.client() != null && source.client().isLoopbackAddress();
    }

    private static void addHeaders(Response response, RequestSource source, Set<String> clusterOrigins) {
        var h = response.getHeaders();
        h.put("Content-Security-Policy", contentSecurityPolicy(source, clusterOrigins));
        h.put("X-Frame-Options", "DENY");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        h.put("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=()");
        if (source.https()) h.put("Strict-Transport-Security", "max-age=15552000");
    }

    /**
     * The app is one page of hashed, same-origin scripts and styles (Vite puts nothing inline), so everything is
     * {@code 'self'}. The WebSocket is named with its scheme: older browsers do not count ws: as 'self'. Videos play
     * MediaStreams (srcObject, which CSP does not check); {@code data:} is the page's empty favicon.
     */
    static String contentSecurityPolicy(RequestSource source) {
        return contentSecurityPolicy(source, Set.of());
    }

    /** With a cluster's nodes: each node's origin and its WebSocket, in {@code connect-src}. */
    static String contentSecurityPolicy(RequestSource source, Set<String> clusterOrigins) {
        StringBuilder ws = new StringBuilder();
        if (source.host() != null) ws.append(' ').append(source.https() ? "wss://" : "ws://").append(source.host());
        for (String origin : new java.util.TreeSet<>(clusterOrigins)) {
            ws.append(' ').append(origin).append(' ').append(origin.replaceFirst("^http", "ws"));
        }
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                + "media-src 'self' blob:; font-src 'self'; connect-src 'self'" + ws + "; object-src 'none'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /**
     * The refusal, without reading the request's body: so the connection closes after it (a client that sent the
     * next request on it would otherwise find it closed under that request).
     */
    private static boolean refuse(Response response, Callback callback, ErrorCode code, String message) {
        HttpError body = new HttpError(code, message);
        response.setStatus(body.status());
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(BodyCodec.write(body).getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
