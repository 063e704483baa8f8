package org.salotto.signaling;

/** The way back to one client, implemented by the server's WebSocket. */
public interface ClientConnection {
    /** Sends one frame; may block until it is written. Called from one thread at a time. */
    void send(String json);

    /** Closes the connection. */
    void close(String reason);

    /**
     * Drops the connection at once, without the closing handshake and without reading what the client still sends:
     * for a client that goes on flooding after it was told to stop. What was queued for it may not reach it; a client
     * that floods without reading would otherwise keep the server reading its backlog while those frames wait.
     */
    default void disconnect(String reason) {
    }
}
