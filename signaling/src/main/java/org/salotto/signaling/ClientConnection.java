package org.salotto.signaling;

/** The way back to one client, implemented by the server's WebSocket. */
public interface ClientConnection {
    /** Sends one frame; may block until it is written. Called from one thread at a time. */
    void send(String json);

    /** Closes the connection. */
    void close(String reason);

    /**
     * Cuts off a client that floods: writes {@code errorFrame} (its last frame), begins the close (1008, policy
     * violation), reads nothing more of what it sends, and drops the connection a moment later, so that the error is
     * on its way before the drop (closing a socket that has unread data resets it, and a reset loses what was still
     * unsent). What the client sent after the frame that went over the limit is never parsed. May call back into the
     * client's close handling on this thread.
     */
    default void cutOff(String errorFrame, String reason) {
        send(errorFrame);
        close(reason);
    }
}
