package org.salotto.media.transport;

/**
 * The media loop's control queue is full: the work was not queued and will not happen. A control error, not a media
 * one: counted ({@link MediaCounters#controlRefused()}) and answered to whoever asked (the signaling layer turns it
 * into the {@code media_busy} error). Unchecked, so that the many small control calls need no plumbing; every caller
 * that can answer someone catches it.
 */
public final class MediaBusyException extends RuntimeException {
    public MediaBusyException(String message) {
        super(message, null, false, false);
    }
}
