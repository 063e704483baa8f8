/**
 * Send-side bandwidth estimation towards a subscriber, from its transport-wide congestion control feedback, as
 * Google Congestion Control (draft-ietf-rmcat-gcc-02) describes it.
 *
 * <p>Every RTP packet a transport sends gets a transport-wide sequence number ({@link
 * org.salotto.media.bwe.TransportWideSequenceWriter}) and its send time and size are kept in a fixed ring ({@link
 * org.salotto.media.bwe.SendHistory}). The peer's feedback is matched to the ring ({@link
 * org.salotto.media.bwe.SendSideBandwidthEstimator}) and feeds a delay-based estimator (packet groups, a trendline
 * filter, an overuse detector with an adaptive threshold, AIMD rate control) and a loss-based one; the estimate is the
 * smaller of the two, within the configured bounds ({@link org.salotto.media.bwe.BandwidthSettings}).
 *
 * <p>Everything here runs on the media loop's thread, takes time as arguments (so tests drive it with their own
 * clock) and allocates nothing after construction.
 */
package org.salotto.media.bwe;
