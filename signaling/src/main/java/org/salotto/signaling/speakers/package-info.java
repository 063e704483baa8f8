/**
 * Active speakers: who speaks in a room and who holds the floor, from the RFC 6464 audio levels the media loop
 * gathers per audio producer ({@link org.salotto.media.forward.AudioLevelMeter}). The detector is pure (time passed
 * in); the conference runs it on the signaling service's timer and sends {@code activeSpeakers} when it changes.
 */
package org.salotto.signaling.speakers;
