package org.salotto.signaling.protocol;

/**
 * The body of every HTTP error answer, {@code {"error": {"code", "message"}}}, sent with the code's
 * {@link ErrorCode#httpStatus() status}: the HTTP twin of the WebSocket's {@link ServerFrame.Error}.
 */
@Wire.SchemaName("Error")
@Wire.Doc("Every error of the API.")
public record HttpError(@Wire.Inline Detail error) {

    public record Detail(ErrorCode code, @Wire.Doc("A sentence for a person; may change.") String message,
                         @Wire.Omitted @Wire.Doc("With wrong_node: the base URL (no path) of the cluster node that owns "
                                 + "the room; send the same request there (the Location header names the full URL).")
                         String nodeUrl) {
        public Detail(ErrorCode code, String message) {
            this(code, message, null);
        }
    }

    public HttpError(ErrorCode code, String message) {
        this(new Detail(code, message));
    }

    /** The error of a refusal, with its {@code nodeUrl} when it has one. */
    public HttpError(ControlException e) {
        this(new Detail(e.errorCode(), e.getMessage(), e.nodeUrl()));
    }

    public int status() {
        return error.code().httpStatus();
    }
}
