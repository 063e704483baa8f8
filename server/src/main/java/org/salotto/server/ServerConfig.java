package org.salotto.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.salotto.rooms.RoomsConfig;

/**
 * Where Salotto listens. Read from command-line flags, then environment variables, then defaults:
 *
 * <table>
 * <caption>settings</caption>
 * <tr><th>flag</th><th>environment</th><th>default</th><th>meaning</th></tr>
 * <tr><td>--host</td><td>SALOTTO_HOST</td><td>127.0.0.1</td><td>address the HTTP and media sockets bind to</td></tr>
 * <tr><td>--http-port</td><td>SALOTTO_HTTP_PORT</td><td>8080</td><td>HTTP and WebSocket port (0: any free port)</td></tr>
 * <tr><td>--media-port</td><td>SALOTTO_MEDIA_PORT</td><td>50000</td><td>the one UDP port for all media (0: any)</td></tr>
 * <tr><td>--announce</td><td>SALOTTO_ANNOUNCE_ADDRESS</td><td>the host, or 127.0.0.1 if that is 0.0.0.0</td>
 *     <td>the IP address put in ICE candidates: the one browsers can reach</td></tr>
 * <tr><td>--data-dir</td><td>SALOTTO_DATA_DIR</td><td>./data</td><td>where the embedded database file lives</td></tr>
 * <tr><td>--database-url</td><td>SALOTTO_DATABASE_URL</td><td>(embedded)</td>
 *     <td>a PostgreSQL JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/salotto}, instead of the embedded file</td></tr>
 * <tr><td>--database-user</td><td>SALOTTO_DATABASE_USER</td><td>postgres</td><td>PostgreSQL user</td></tr>
 * <tr><td>--database-password</td><td>SALOTTO_DATABASE_PASSWORD</td><td>(none)</td><td>PostgreSQL password</td></tr>
 * </table>
 *
 * <p>Room limits are {@link RoomsConfig#defaults()} (PRODUCT.md's numbers).
 */
public record ServerConfig(String httpHost, int httpPort, String mediaHost, int mediaPort, String announceAddress,
                           Path dataDir, String databaseUrl, String databaseUser, String databasePassword,
                           RoomsConfig rooms, java.time.Duration consentTimeout, java.time.Duration drainTimeout) {

    public ServerConfig {
        checkPort("http port", httpPort);
        checkPort("media port", mediaPort);
        if (announceAddress == null || announceAddress.isBlank()) throw new ConfigException("the announce address is empty");
        if (databaseUrl != null && !databaseUrl.isBlank() && !databaseUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("the database URL must be a PostgreSQL JDBC URL (jdbc:postgresql://...), not '" + databaseUrl + "'");
        }
    }

    /** Ephemeral ports on loopback and a fresh embedded database in a temporary folder, for tests. */
    public static ServerConfig forTests() {
        try {
            return new ServerConfig("127.0.0.1", 0, "127.0.0.1", 0, "127.0.0.1",
                    Files.createTempDirectory("salotto-test-"), null, null, null, RoomsConfig.defaults(),
                    CONSENT_TIMEOUT, java.time.Duration.ofSeconds(2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 7675's consent timeout: a media connection without a valid ICE check this long is closed. */
    public static final java.time.Duration CONSENT_TIMEOUT = java.time.Duration.ofSeconds(30);
    /** How long a draining server waits for its clients to move or leave before it exits. */
    public static final java.time.Duration DRAIN_TIMEOUT = java.time.Duration.ofSeconds(10);

    public ServerConfig withRooms(RoomsConfig r) {
        return new ServerConfig(httpHost, httpPort, mediaHost, mediaPort, announceAddress, dataDir, databaseUrl,
                databaseUser, databasePassword, r, consentTimeout, drainTimeout);
    }

    public ServerConfig withDatabase(String url, String user, String password) {
        return new ServerConfig(httpHost, httpPort, mediaHost, mediaPort, announceAddress, dataDir, url, user, password,
                rooms, consentTimeout, drainTimeout);
    }

    public ServerConfig withPorts(int http, int media) {
        return new ServerConfig(httpHost, http, mediaHost, media, announceAddress, dataDir, databaseUrl, databaseUser,
                databasePassword, rooms, consentTimeout, drainTimeout);
    }

    public ServerConfig withConsentTimeout(java.time.Duration t) {
        return new ServerConfig(httpHost, httpPort, mediaHost, mediaPort, announceAddress, dataDir, databaseUrl,
                databaseUser, databasePassword, rooms, t, drainTimeout);
    }

    public ServerConfig withDrainTimeout(java.time.Duration t) {
        return new ServerConfig(httpHost, httpPort, mediaHost, mediaPort, announceAddress, dataDir, databaseUrl,
                databaseUser, databasePassword, rooms, consentTimeout, t);
    }

    public boolean embeddedDatabase() {
        return databaseUrl == null || databaseUrl.isBlank();
    }

    /** Flags win over environment variables, which win over defaults. */
    public static ServerConfig from(String[] args, Map<String, String> env) {
        String host = value(args, "--host", env, "SALOTTO_HOST", "127.0.0.1");
        int httpPort = port(value(args, "--http-port", env, "SALOTTO_HTTP_PORT", "8080"), "http port");
        int mediaPort = port(value(args, "--media-port", env, "SALOTTO_MEDIA_PORT", "50000"), "media port");
        String announce = value(args, "--announce", env, "SALOTTO_ANNOUNCE_ADDRESS",
                host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host);
        Path dataDir = Path.of(value(args, "--data-dir", env, "SALOTTO_DATA_DIR", "data"));
        String dbUrl = value(args, "--database-url", env, "SALOTTO_DATABASE_URL", "");
        String dbUser = value(args, "--database-user", env, "SALOTTO_DATABASE_USER", "postgres");
        String dbPassword = value(args, "--database-password", env, "SALOTTO_DATABASE_PASSWORD", "");
        return new ServerConfig(host, httpPort, host, mediaPort, announce, dataDir, dbUrl, dbUser, dbPassword,
                RoomsConfig.defaults(), CONSENT_TIMEOUT, DRAIN_TIMEOUT);
    }

    private static String value(String[] args, String flag, Map<String, String> env, String variable, String fallback) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(flag)) {
                if (i + 1 >= args.length) throw new ConfigException(flag + " needs a value");
                return args[i + 1];
            }
            if (args[i].startsWith(flag + "=")) return args[i].substring(flag.length() + 1);
        }
        String fromEnv = env.get(variable);
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : fallback;
    }

    private static int port(String text, String what) {
        try {
            int p = Integer.parseInt(text.trim());
            checkPort(what, p);
            return p;
        } catch (NumberFormatException e) {
            throw new ConfigException(what + " must be a number from 0 to 65535, not '" + text + "'");
        }
    }

    private static void checkPort(String what, int p) {
        if (p < 0 || p > 65535) throw new ConfigException(what + " must be from 0 to 65535, not " + p);
    }

    /** A setting that cannot be used; the message says which and why. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
