package org.salotto.rooms;

/**
 * A request the rooms layer refuses: a stable {@link Code} (its API name and HTTP status) and a sentence for the
 * person. The HTTP API answers it as {@code {"error": {"code", "message"}}}; the WebSocket as an {@code error} frame.
 */
public final class RoomException extends Exception {

    /** The stable error codes of the API, with their HTTP status. */
    public enum Code {
        BAD_REQUEST(400),
        UNAUTHENTICATED(401),
        BAD_CREDENTIALS(401),
        INVALID_TOKEN(401),
        NOT_ALLOWED(403),
        BANNED(403),
        BLOCKED(403),
        NOT_FOUND(404),
        USERNAME_TAKEN(409),
        ROOM_FULL(409),
        STAGE_FULL(409),
        NOT_IN_ROOM(409),
        /** The participant a resume token names is gone (grace over, removed, room ended): join afresh. */
        RESUME_FAILED(410),
        ROOM_ENDED(410),
        ROOM_LOCKED(423),
        /** The room's executor or the media loop has too much queued: try again. */
        BUSY(503),
        /** The server is shutting down and takes no one new. */
        SERVER_DRAINING(503);

        private final int status;

        Code(int status) {
            this.status = status;
        }

        public int httpStatus() {
            return status;
        }

        public String apiName() {
            return name().toLowerCase();
        }
    }

    /** The one answer for an unknown room and for a private room the caller may not see, so neither reveals the other. */
    public static final String NO_SUCH_ROOM = "there is no room with this link";

    private final Code code;

    public RoomException(Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    public static RoomException notFound() {
        return new RoomException(Code.NOT_FOUND, NO_SUCH_ROOM);
    }

    public static RoomException badRequest(String message) {
        return new RoomException(Code.BAD_REQUEST, message);
    }

    public static RoomException notAllowed(String message) {
        return new RoomException(Code.NOT_ALLOWED, message);
    }
}
