package org.salotto.media.params;

/** What a track carries. */
public enum MediaKind {
    AUDIO, VIDEO;

    public String sdpName() {
        return this == AUDIO ? "audio" : "video";
    }
}
