package org.salotto.server;

import java.util.Map;

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
 * </table>
 */
public record ServerConfig(String httpHost, int httpPort, String mediaHost, int mediaPort, String announceAddress) {

    public ServerConfig {
        checkPort("http port", httpPort);
        checkPort("media port", mediaPort);
        if (announceAddress == null || announceAddress.isBlank()) throw new ConfigException("the announce address is empty");
    }

    /** Ephemeral ports on loopback, for tests. */
    public static ServerConfig forTests() {
        return new ServerConfig("127.0.0.1", 0, "127.0.0.1", 0, "127.0.0.1");
    }

    /** Flags win over environment variables, which win over defaults. */
    public static ServerConfig from(String[] args, Map<String, String> env) {
        String host = value(args, "--host", env, "SALOTTO_HOST", "127.0.0.1");
        int httpPort = port(value(args, "--http-port", env, "SALOTTO_HTTP_PORT", "8080"), "http port");
        int mediaPort = port(value(args, "--media-port", env, "SALOTTO_MEDIA_PORT", "50000"), "media port");
        String announce = value(args, "--announce", env, "SALOTTO_ANNOUNCE_ADDRESS",
                host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host);
        return new ServerConfig(host, httpPort, host, mediaPort, announce);
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
