package org.salotto.signaling;

import org.salotto.signaling.protocol.ControlException;
import org.salotto.signaling.protocol.ErrorCode;

/** A request of the signaling layer that cannot be served: a code of the {@link ErrorCode} catalogue and a message. */
public final class SignalingException extends ControlException {

    public SignalingException(ErrorCode code, String message) {
        super(code, message);
    }

    /** The code's wire name, e.g. {@code media_busy}. */
    public String code() {
        return errorCode().wireName();
    }
}
