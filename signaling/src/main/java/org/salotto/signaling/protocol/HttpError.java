package org.salotto.signaling.protocol;

/**
 * The body of every HTTP error answer, {@code {"error": {"code", "message"}}}, sent with the code's
 * {@link ErrorCode#httpStatus() status}: the HTTP twin of the WebSocket's {@link ServerFrame.Error}.
 */
@Wire.SchemaName("Error")
@Wire.Doc("Every error of the API.")
public record HttpError(@Wire.Inline Detail error) {

    public record Detail(ErrorCode code, @Wire.Doc("A sentence for a person; may change.") String message) {
    }

    public HttpError(ErrorCode code, String message) {
        this(new Detail(code, message));
    }

    public int status() {
        return error.code().httpStatus();
    }
}
