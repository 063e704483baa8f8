package org.salotto.signaling.sdp;

/** The media direction attributes of RFC 3264 section 5.1, seen from the side that wrote the description. */
public enum Direction {
    SENDRECV("sendrecv"), SENDONLY("sendonly"), RECVONLY("recvonly"), INACTIVE("inactive");

    private final String sdpName;

    Direction(String sdpName) {
        this.sdpName = sdpName;
    }

    public String sdpName() {
        return sdpName;
    }

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The direction attribute with this name, or null. */
    static Direction fromSdpName(String name) {
        for (Direction d : values()) if (d.sdpName.equals(name)) return d;
        return null;
    }
}
