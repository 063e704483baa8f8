package org.salotto.signaling.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Every stable error code of Salotto, for the HTTP API and the room WebSocket alike: its wire name (the constant's
 * name in lower case), the HTTP status it is answered with, and where it can occur. An HTTP error body and a
 * WebSocket {@code error} frame carry the same codes (docs/api.md, docs/protocol.md); openapi.json and asyncapi.json
 * list them, and a test keeps both lists equal to this enum.
 */
public enum ErrorCode {
    // ---- refusals of the rooms layer, over HTTP and the WebSocket ----
    BAD_REQUEST(400, Where.BOTH),
    UNAUTHENTICATED(401, Where.HTTP),
    BAD_CREDENTIALS(401, Where.HTTP),
    /**
     * A join token that is forged, malformed, signed with an algorithm or a key type that is not allowed, spent, or
     * made by a deleted key.
     */
    INVALID_TOKEN(401, Where.BOTH),
    /** A join token whose {@code exp} has passed: mint or ask for a new one. */
    TOKEN_EXPIRED(401, Where.BOTH),
    /** A join token whose {@code nbf} is still to come. */
    TOKEN_NOT_YET_VALID(401, Where.BOTH),
    /** A join token for another room than the one it is presented to. */
    WRONG_ROOM(403, Where.BOTH),
    NOT_ALLOWED(403, Where.BOTH),
    BANNED(403, Where.BOTH),
    BLOCKED(403, Where.BOTH),
    /** The account was suspended by the server's admins: it cannot log in, host or join. */
    SUSPENDED(403, Where.BOTH),
    NOT_FOUND(404, Where.BOTH),
    USERNAME_TAKEN(409, Where.HTTP),
    /** The request does not fit the resource's state now (remind me of a room that is not scheduled, move the start of one that opened). */
    CONFLICT(409, Where.HTTP),
    ROOM_FULL(409, Where.BOTH),
    STAGE_FULL(409, Where.BOTH),
    NOT_IN_ROOM(409, Where.BOTH),
    /** The participant a resume token names is gone (grace over, removed, room ended): join afresh. */
    RESUME_FAILED(410, Where.BOTH),
    ROOM_ENDED(410, Where.BOTH),
    ROOM_LOCKED(423, Where.BOTH),
    /** The room's executor has too much queued: try again. */
    BUSY(503, Where.BOTH),
    /** The server is shutting down and takes no one new. */
    SERVER_DRAINING(503, Where.BOTH),
    /**
     * Too many requests of this kind from this address, account, person or connection (limits.* in the
     * configuration): try again after {@code Retry-After} (HTTP) or {@code retryAfterMs} (the WebSocket).
     */
    RATE_LIMITED(429, Where.BOTH),
    /** The database cannot be reached: answered at once rather than after a hang; try again in a moment. */
    UNAVAILABLE(503, Where.BOTH),
    /**
     * A cluster's room command reached a node that does not own the room (421 Misdirected Request): send it again to
     * the owner, whose base URL the error carries ({@code nodeUrl}; over HTTP also {@code Location}).
     */
    WRONG_NODE(421, Where.BOTH),

    // ---- badges and payments (the HTTP API) ----
    /** A badge is for someone on the live's stage, and this person is not (or no longer) there. */
    NOT_ON_STAGE(409, Where.HTTP),
    /** The payment provider declined the charge: nothing was bought, nothing taken. */
    PAYMENT_DECLINED(402, Where.HTTP),
    /** The {@code Idempotency-Key} was used before for another request (another body, room or target). */
    IDEMPOTENCY_MISMATCH(422, Where.HTTP),

    // ---- the HTTP edge ----
    NO_SUCH_ENDPOINT(404, Where.HTTP),
    METHOD_NOT_ALLOWED(405, Where.HTTP),
    PAYLOAD_TOO_LARGE(413, Where.HTTP),
    UNSUPPORTED_MEDIA_TYPE(415, Where.HTTP),
    /** A state-changing request or WebSocket upgrade from a page of an origin the server does not allow. */
    ORIGIN_NOT_ALLOWED(403, Where.HTTP),
    /** A state-changing request with the session cookie but without the {@code X-Salotto-Request} header. */
    CSRF_HEADER_MISSING(403, Where.HTTP),
    /** A WHIP or WHEP PATCH whose {@code If-Match} is not the session's current entity-tag (RFC 9725 section 4.3). */
    PRECONDITION_FAILED(412, Where.HTTP),
    /** A bug, logged on the server with the number the message gives. */
    INTERNAL(500, Where.BOTH),

    // ---- the WebSocket edge and the media session ----
    /** The frame is not a JSON object. */
    BAD_JSON(400, Where.WEBSOCKET),
    /** A field is missing, of the wrong type or out of range; the message names it. */
    BAD_MESSAGE(400, Where.WEBSOCKET),
    UNKNOWN_TYPE(400, Where.WEBSOCKET),
    NOT_JOINED(409, Where.WEBSOCKET),
    /** A request other than {@code leave}/{@code ping} while in the lobby. */
    WAITING(409, Where.WEBSOCKET),
    ALREADY_JOINED(409, Where.WEBSOCKET),
    /** The role (or, WHIP, the token) may not publish this; over HTTP, a WHIP offer. */
    PUBLISH_NOT_ALLOWED(403, Where.BOTH),
    /** A comment in a live whose comments are off, for everyone or for this person. */
    COMMENTS_OFF(403, Where.WEBSOCKET),
    /** The same person connected from somewhere else; this socket closes. */
    REPLACED(409, Where.WEBSOCKET),
    /** The SDP (or, WHIP and WHEP, the trickle-ice-sdpfrag) cannot be read or lacks what a transport needs. */
    BAD_SDP(400, Where.BOTH),
    /** No codec in common (Salotto forwards Opus, VP8 and H.264). */
    UNSUPPORTED_MEDIA(422, Where.BOTH),
    STALE_ANSWER(409, Where.WEBSOCKET),
    /** The media server's control queue is full; the request changed nothing: send it again. */
    MEDIA_BUSY(503, Where.BOTH),
    /** A frame over the size limit; the socket closes. */
    MESSAGE_TOO_LARGE(413, Where.WEBSOCKET);

    /** Where a code can be answered. */
    public enum Where { HTTP, WEBSOCKET, BOTH }

    private final int httpStatus;
    private final Where where;
    private final String wireName;

    ErrorCode(int httpStatus, Where where) {
        this.httpStatus = httpStatus;
        this.where = where;
        this.wireName = name().toLowerCase();
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The stable name on the wire, e.g. {@code room_full}. */
    public String wireName() {
        return wireName;
    }

    public boolean http() {
        return where != Where.WEBSOCKET;
    }

    public boolean webSocket() {
        return where != Where.HTTP;
    }

    /** The codes an HTTP answer can carry (openapi.json's ErrorCode), in this enum's order. */
    public static List<ErrorCode> ofHttp() {
        List<ErrorCode> out = new ArrayList<>();
        for (ErrorCode c : values()) if (c.http()) out.add(c);
        return out;
    }

    /** The codes an {@code error} frame can carry (asyncapi.json's ErrorCode), in this enum's order. */
    public static List<ErrorCode> ofWebSocket() {
        List<ErrorCode> out = new ArrayList<>();
        for (ErrorCode c : values()) if (c.webSocket()) out.add(c);
        return out;
    }
}
