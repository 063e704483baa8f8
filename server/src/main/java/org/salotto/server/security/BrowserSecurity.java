package org.salotto.server.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code http.*} settings of browser security (salotto-reference.conf, docs/security.md).
 *
 * @param allowedOrigins origins ({@code https://salotto.example}) whose pages may make state-changing requests and open
 *                       the room WebSocket; empty: the origin the server is reached at (scheme and Host of the request)
 * @param trustedProxies IP addresses of reverse proxies whose {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and
 *                       {@code X-Forwarded-For} are believed; from anyone else these headers are ignored
 * @param metricsToken   empty: {@code /metrics} answers only requests from loopback that no proxy relayed; set: every
 *                       {@code /metrics} request must send {@code Authorization: Bearer <token>}
 */
public record BrowserSecurity(List<String> allowedOrigins, List<String> trustedProxies, String metricsToken) {

    public BrowserSecurity {
        allowedOrigins = List.copyOf(allowedOrigins);
        trustedProxies = List.copyOf(trustedProxies);
        if (metricsToken == null) metricsToken = "";
    }

    /** A setting that cannot be used: its key in the configuration file, and why. */
    public record Problem(String key, String message) {
    }

    /** What is wrong with these settings, if anything: checked where the configuration is made (ServerConfig.Http). */
    public Optional<Problem> problem() {
        for (String o : allowedOrigins) {
            if (!o.equals(normalizeOrigin(o))) {
                return Optional.of(new Problem("http.allowed-origins", "has '" + o + "': write each origin as "
                        + "scheme://host or scheme://host:port, lower case, no path or trailing slash (e.g. " + example(o) + ")"));
            }
        }
        for (String p : trustedProxies) {
            if (!p.matches("[0-9a-fA-F.:]+")) {
                return Optional.of(new Problem("http.trusted-proxies",
                        "has '" + p + "': give IP addresses (127.0.0.1, ::1)"));
            }
        }
        if (!metricsToken.isEmpty() && metricsToken.length() < 16) {
            return Optional.of(new Problem("http.metrics-token", "must be empty or at least 16 characters"));
        }
        return Optional.empty();
    }

    /** Same origin only, no proxy trusted, {@code /metrics} for loopback. */
    public static BrowserSecurity defaults() {
        return new BrowserSecurity(List.of(), List.of(), "");
    }

    public BrowserSecurity withAllowedOrigins(List<String> origins) {
        return new BrowserSecurity(origins, trustedProxies, metricsToken);
    }

    public BrowserSecurity withTrustedProxies(List<String> proxies) {
        return new BrowserSecurity(allowedOrigins, proxies, metricsToken);
    }

    public BrowserSecurity withMetricsToken(String token) {
        return new BrowserSecurity(allowedOrigins, trustedProxies, token);
    }

    /** Never shows the metrics token: configs end up in logs. */
    @Override
    public String toString() {
        return "BrowserSecurity[allowedOrigins=" + allowedOrigins + ", trustedProxies=" + trustedProxies
                + ", metricsToken=" + (metricsToken.isEmpty() ? "(none)" : "***") + "]";
    }

    private static String example(String o) {
        String n = normalizeOrigin(o);
        return n == null ? "https://salotto.example" : n;
    }

    /**
     * An origin as browsers send it: {@code scheme://host[:port]}, lower case, without the scheme's default port; null
     * if the text is not an http(s) origin.
     */
    public static String normalizeOrigin(String text) {
        if (text == null || text.isEmpty() || text.length() > 300) return null;
        URI u;
        try {
            u = new URI(text);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) return null;
        if (u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) return null;
        if (u.getRawPath() != null && !u.getRawPath().isEmpty()) return null;
        int port = u.getPort();
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
