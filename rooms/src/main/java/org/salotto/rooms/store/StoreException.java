package org.salotto.rooms.store;

/** The database failed or refused; {@link Conflict} when a unique value (a username) is taken. */
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
}
