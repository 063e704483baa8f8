package org.salotto.signaling;

/** The way back to one client, implemented by the server's WebSocket. */
public interface ClientConnection {
    /** Sends one frame; may block until it is written. Called from one thread at a time. */
    void send(String json);

    /** Closes the connection. */
    void close(String reason);

    /**
     * Drops the connection at once, without a closing handshake or reading what the client still sends: for a client
     * that floods after it was told to stop. By default a plain {@link #close}.
     */
    default void disconnect(String reason) {
        close(reason);
    }
}
