package org.salotto.rooms;

import org.salotto.signaling.protocol.ControlException;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * A request the rooms layer refuses: a code of the {@link ErrorCode} catalogue (its wire name and HTTP status) and a
 * sentence for the person. The HTTP API answers it as {@code {"error": {"code", "message"}}}; the WebSocket as an
 * {@code error} frame.
 */
public final class RoomException extends ControlException {

    /** The one answer for an unknown room and for a private room the caller may not see, so neither reveals the other. */
    public static final String NO_SUCH_ROOM = "there is no room with this link";

    public RoomException(ErrorCode code, String message) {
        super(code, message);
    }

    /** {@code rate_limited} (429): {@code retryAfterMs} says when the same request will be taken again. */
    public RoomException(ErrorCode code, String message, long retryAfterMs) {
        super(code, message, retryAfterMs);
    }

    private RoomException(ErrorCode code, String message, String nodeUrl) {
        super(code, message, 0, nodeUrl);
    }

    /** {@code wrong_node} (421): the room is owned by the cluster node at {@code nodeUrl}; the request goes there. */
    public static RoomException wrongNode(String nodeUrl) {
        return new RoomException(ErrorCode.WRONG_NODE, "this room is held by another node of this service: " + nodeUrl,
                nodeUrl);
    }

    public static RoomException rateLimited(String message, long retryAfterMs) {
        return new RoomException(ErrorCode.RATE_LIMITED, message, retryAfterMs);
    }

    public static RoomException notFound() {
        return new RoomException(ErrorCode.NOT_FOUND, NO_SUCH_ROOM);
    }

    public static RoomException badRequest(String message) {
        return new RoomException(ErrorCode.BAD_REQUEST, message);
    }

    public static RoomException notAllowed(String message) {
        return new RoomException(ErrorCode.NOT_ALLOWED, message);
    }
}
