package org.salotto.media.stun;

/** STUN attribute types used by ICE (RFC 8489 §18.3, RFC 8445 §16.1). */
public final class StunAttribute {
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;
    public static final int GOOG_NETWORK_INFO = 0xC057;

    private StunAttribute() {
    }

    /** Attributes below 0x8000 are comprehension-required (RFC 8489 §15). */
    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }
}
