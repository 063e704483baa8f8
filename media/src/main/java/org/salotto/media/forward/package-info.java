/**
 * Forwarding: each {@link org.salotto.media.forward.Producer} (a publisher's track) sends each packet to its
 * {@link org.salotto.media.forward.Consumer}s (one per subscriber), rewriting SSRC, payload type and header extension
 * ids to what that subscriber negotiated. An {@link org.salotto.media.forward.Endpoint} is one transport's producers
 * and consumers and its RTCP: keyframe requests up (throttled), retransmissions from the cache, receiver reports and
 * transport-wide congestion control feedback to the publisher, sender reports down.
 *
 * <p>Like mediasoup's worker, nothing here knows SDP, rooms or people: it takes plain parameters.
 */
package org.salotto.media.forward;
