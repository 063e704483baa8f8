package org.salotto.rooms.store;

/**
 * The database failed or refused; {@link Conflict} when a unique value (a username) is taken, {@link Unavailable} when
 * it cannot be reached.
 */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A unique constraint said no: the username (or key id) exists already. */
    public static final class Conflict extends StoreException {
        public Conflict(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The database cannot be reached (no connection within the pool's timeout, a connection lost, the server shutting
     * down): nothing was changed, and the same call may succeed once it is back.
     */
    public static final class Unavailable extends StoreException {
        /** What a client is told (HTTP 503 and the WebSocket alike, code {@code unavailable}). */
        public static final String MESSAGE = "the database cannot be reached right now: try again in a moment";

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
