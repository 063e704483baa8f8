package org.salotto.server;

/**
 * STUB so that the browser tests compile before the real server lands; the lead's SalottoServer replaces it.
 */
public final class SalottoServer implements AutoCloseable {

    private SalottoServer() {
    }

    /** Starts the server and returns once it listens. */
    public static SalottoServer start(ServerConfig config) {
        throw new UnsupportedOperationException("STUB: SalottoServer is not written yet");
    }

    public int httpPort() {
        throw new UnsupportedOperationException("STUB");
    }

    public int mediaPort() {
        throw new UnsupportedOperationException("STUB");
    }

    @Override
    public void close() {
    }
}
