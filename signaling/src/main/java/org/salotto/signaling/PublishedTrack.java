package org.salotto.signaling;

import org.salotto.media.forward.Producer;
import org.salotto.media.params.MediaKind;

/** A track a participant publishes: its id in the room, where it came from in their offer, and its producer. */
record PublishedTrack(String trackId, String mid, MediaKind kind, String source, int ssrc, Producer producer) {
}
