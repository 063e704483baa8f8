package org.salotto.signaling;

/** A request that cannot be served, with the stable error code of docs/protocol.md and a readable message. */
public final class SignalingException extends Exception {
    private final String code;

    public SignalingException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
