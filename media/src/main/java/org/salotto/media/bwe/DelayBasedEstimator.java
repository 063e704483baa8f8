package org.salotto.media.bwe;

/**
 * The delay-based half of GCC (draft-ietf-rmcat-gcc-02 §5): packets sent within {@link #BURST_MICROS} of the first
 * of their group form a group (§5.2, a video frame, roughly); each new group gives one delay variation against the
 * previous one (packets the receiver read in a burst stay in one group), which goes through the {@link TrendlineFilter} to the {@link OveruseDetector}, whose signal drives
 * {@link AimdRateControl}. Packets must come in send order (feedback reports them so); reordered ones are skipped.
 */
final class DelayBasedEstimator {
    static final long BURST_MICROS = 5_000;
    /** A group that arrival bursts keep extending is cut at this length. */
    static final long MAX_BURST_MICROS = 100_000;

    private final TrendlineFilter trendline = new TrendlineFilter();
    private final OveruseDetector detector = new OveruseDetector();
    private final AimdRateControl rateControl;

    private boolean hasGroup;
    private boolean hasPrevious;
    private long groupFirstSend;
    private long groupSend;
    private long groupArrival;
    private long groupFirstArrival;
    private long previousSend;
    private long previousArrival;

    DelayBasedEstimator(BandwidthSettings settings) {
        this.rateControl = new AimdRateControl(settings);
    }

    /** One received packet, in send order: its send time (ours) and arrival time (the peer's clock). */
    void onPacket(long sendMicros, long arrivalMicros, long nowNanos) {
        if (!hasGroup) {
            startGroup(sendMicros, arrivalMicros);
            return;
        }
        if (sendMicros < groupSend) return; // sent before the group's last packet: reordered, ignored
        if (sendMicros - groupFirstSend <= BURST_MICROS || arrivesInBurst(sendMicros, arrivalMicros)) {
            groupSend = sendMicros;
            groupArrival = Math.max(groupArrival, arrivalMicros);
            return;
        }
        // A new group starts: the group just completed gives a delay variation against the one before it.
        if (hasPrevious) {
            double sendDeltaMs = (groupSend - previousSend) / 1000.0;
            double arrivalDeltaMs = (groupArrival - previousArrival) / 1000.0;
            double trend = trendline.update(arrivalDeltaMs - sendDeltaMs, groupArrival / 1000.0);
            detector.detect(trend, sendDeltaMs, trendline.samples(), nowNanos / 1e6);
        }
        previousSend = groupSend;
        previousArrival = groupArrival;
        hasPrevious = true;
        startGroup(sendMicros, arrivalMicros);
    }

    /**
     * Whether a packet sent after the group's window still belongs to it because it arrived within {@link
     * #BURST_MICROS} of the group's last packet and sooner than its spacing at the sender: the receiver read a
     * backlog at once (its thread was descheduled, the radio woke up). Counted apart, that burst would read as a
     * delay that rose then fell: a false overuse.
     */
    private boolean arrivesInBurst(long sendMicros, long arrivalMicros) {
        long arrivalDelta = arrivalMicros - groupArrival;
        long sendDelta = sendMicros - groupSend;
        return arrivalDelta <= BURST_MICROS && arrivalDelta - sendDelta < 0
                && arrivalMicros - groupFirstArrival < MAX_BURST_MICROS;
    }

    private void startGroup(long sendMicros, long arrivalMicros) {
        hasGroup = true;
        groupFirstSend = sendMicros;
        groupSend = sendMicros;
        groupArrival = arrivalMicros;
        groupFirstArrival = arrivalMicros;
    }

    /** After a feedback's packets: moves the rate control on with the detector's latest signal. */
    long update(long acknowledgedBitrate, long nowNanos) {
        return rateControl.update(detector.state(), acknowledgedBitrate, nowNanos);
    }

    long estimate() {
        return rateControl.estimate();
    }

    BandwidthUsage usage() {
        return detector.state();
    }
}
