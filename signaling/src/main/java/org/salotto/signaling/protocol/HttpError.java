package org.salotto.signaling.protocol;

/**
 * The body of every HTTP error answer, {@code {"error": {"code", "message"}}}, sent with the code's
 * {@link ErrorCode#httpStatus() status}: the HTTP twin of the WebSocket's {@link ServerFrame.Error}.
 */
public record HttpError(Detail error) {

    public record Detail(ErrorCode code, String message) {
    }

    public HttpError(ErrorCode code, String message) {
        this(new Detail(code, message));
    }

    public int status() {
        return error.code().httpStatus();
    }
}
