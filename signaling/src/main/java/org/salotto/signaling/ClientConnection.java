package org.salotto.signaling;

/** The way back to one client, implemented by the server's WebSocket. */
public interface ClientConnection {
    /** Sends one frame; may block until it is written. Called from one thread at a time. */
    void send(String json);

    /** Closes the connection. */
    void close(String reason);
}
