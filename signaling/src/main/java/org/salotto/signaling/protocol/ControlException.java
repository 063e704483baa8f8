package org.salotto.signaling.protocol;

/**
 * A control request refused with a stable {@link ErrorCode} and a sentence for the person. The HTTP API answers it as
 * {@code {"error": {"code", "message"}}} with the code's status, the WebSocket as an {@code error} frame: both are
 * made by {@link FrameCodec} from the same catalogue. No stack trace: a refusal is not a bug.
 */
public class ControlException extends Exception {
    private final ErrorCode errorCode;

    public ControlException(ErrorCode errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    public final ErrorCode errorCode() {
        return errorCode;
    }
}
