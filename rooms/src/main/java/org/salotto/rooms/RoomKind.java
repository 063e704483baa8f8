package org.salotto.rooms;

/** The three kinds of room of PRODUCT.md. Names are the API's: {@code call}, {@code live}, {@code space}. */
public enum RoomKind {
    /** Video call: everyone publishes camera, mic and (in small rooms) screen; 50 people at most. */
    CALL,
    /** Live broadcast: host and up to 3 guests on stage with audio and video, an audience of viewers. */
    LIVE,
    /** Audio space: host, up to 2 co-hosts and 10 speakers on stage, an audience of listeners. */
    SPACE;

    public String apiName() {
        return name().toLowerCase();
    }

    /** The kind named {@code name} in the API, or null. */
    public static RoomKind fromApi(String name) {
        for (RoomKind k : values()) if (k.apiName().equals(name)) return k;
        return null;
    }
}
