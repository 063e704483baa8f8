package org.salotto.signaling;

/** The way back to one client, implemented by the server's WebSocket. */
public interface ClientConnection {
    /** Sends one frame; may block until it is written. Called from one thread at a time. */
    void send(String json);

    /** Closes the connection. */
    void close(String reason);

    /**
     * Drops a connection that {@link #close} was called on, at once, without waiting for the closing handshake or
     * reading what the client still sends: for a client that floods after it was told to stop. Does nothing while
     * the connection is not closing (the frames queued before the close must still reach the client).
     */
    default void disconnect(String reason) {
    }
}
