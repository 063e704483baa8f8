package org.salotto.media.stun;

/** The message types ICE uses: method Binding in its four classes (RFC 8489 §5, §18.2). */
public final class StunMessageType {
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS_RESPONSE = 0x0101;
    public static final int BINDING_ERROR_RESPONSE = 0x0111;

    private StunMessageType() {
    }
}
