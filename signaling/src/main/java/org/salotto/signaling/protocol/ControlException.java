package org.salotto.signaling.protocol;

/**
 * A control request refused with a stable {@link ErrorCode} and a sentence for the person. The HTTP API answers it as
 * {@code {"error": {"code", "message"}}} with the code's status, the WebSocket as an {@code error} frame: both are
 * made by {@link FrameCodec} from the same catalogue. No stack trace: a refusal is not a bug.
 */
public class ControlException extends Exception {
    private final ErrorCode errorCode;
    private final long retryAfterMs;
    private final String nodeUrl;

    public ControlException(ErrorCode errorCode, String message) {
        this(errorCode, message, 0);
    }

    /** A refusal that may be tried again after {@code retryAfterMs} milliseconds (0: no time given). */
    public ControlException(ErrorCode errorCode, String message, long retryAfterMs) {
        this(errorCode, message, retryAfterMs, null);
    }

    /** A refusal that names the cluster node to send the request to instead ({@code wrong_node}). */
    protected ControlException(ErrorCode errorCode, String message, long retryAfterMs, String nodeUrl) {
        super(message, null, false, false);
        this.errorCode = errorCode;
        this.retryAfterMs = Math.max(0, retryAfterMs);
        this.nodeUrl = nodeUrl;
    }

    /** With {@code wrong_node}: the base URL of the node that owns the room ({@code http://host:port}); else null. */
    public final String nodeUrl() {
        return nodeUrl;
    }

    /** How long to wait before trying again, in milliseconds; 0 when the refusal does not say. */
    public final long retryAfterMs() {
        return retryAfterMs;
    }

    public final ErrorCode errorCode() {
        return errorCode;
    }
}
