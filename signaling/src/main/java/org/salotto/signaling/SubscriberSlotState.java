package org.salotto.signaling;

import org.salotto.media.forward.Consumer;
import org.salotto.media.params.MediaKind;

/** One m-section of a participant's subscriber connection: the track it carries now (or none) and its consumer. */
final class SubscriberSlotState {
    final String mid;
    final MediaKind kind;
    PublishedTrack track;
    String ownerId;
    Consumer consumer;
    int ssrc;
    int rtxSsrc;
    /** What the subscriber was last told of this slot's video being paused for bandwidth (trackPaused). */
    boolean pausedSent;
    /** The consumer is new in the pending offer: once the client has answered it knows the stream; ask a keyframe. */
    boolean keyframeOnAnswer;
    /** A viewer's slot (WHEP): the codec and header extensions the client's offer gave it; null otherwise. */
    org.salotto.media.params.RtpCodec viewerCodec;
    java.util.List<org.salotto.media.params.RtpHeaderExtension> viewerExtensions;

    SubscriberSlotState(String mid, MediaKind kind) {
        this.mid = mid;
        this.kind = kind;
    }

    /** An audience member's fixed audio slot (its index in the room's AudienceSlots), or -1. */
    int audienceSlot = -1;

    boolean isFree() {
        return track == null && audienceSlot < 0;
    }
}
