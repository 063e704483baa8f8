package org.salotto.server;

/**
 * Placeholder, replaced by the typed configuration tree.
 */
public record ServerConfig(String httpHost, int httpPort, String mediaHost, int mediaPort, String announceAddress) {
    public static ServerConfig forTests() {
        return new ServerConfig("127.0.0.1", 0, "127.0.0.1", 0, "127.0.0.1");
    }
}
