package org.salotto.media.bwe;

import org.salotto.media.rtcp.TransportCcFeedback;

/**
 * One transport's downlink bandwidth estimate: stamps each outgoing RTP packet with a transport-wide sequence number
 * and keeps it in the {@link SendHistory}; matches the peer's transport-cc feedback to it and feeds the
 * {@link DelayBasedEstimator} and the {@link LossBasedEstimator}. The estimate is the smaller of the two, within the
 * {@link BandwidthSettings}. Loop thread only, except {@link #availableBitrate()}, which any thread may read.
 * Nothing allocated after construction; time is always an argument.
 */
public final class SendSideBandwidthEstimator implements TransportCcFeedback.PacketVisitor {
    private final BandwidthSettings settings;
    private final SendHistory history = new SendHistory();
    private final DelayBasedEstimator delay;
    private final LossBasedEstimator loss;
    private final AcknowledgedBitrate acknowledged = new AcknowledgedBitrate();
    private volatile long estimate;

    private int extensionId;
    private long now;
    private int matched;
    private long feedbackCount;
    private long unmatchedCount;
    private long unstampedCount;

    public SendSideBandwidthEstimator(BandwidthSettings settings) {
        this.settings = settings;
        this.delay = new DelayBasedEstimator(settings);
        this.loss = new LossBasedEstimator(settings);
        this.estimate = settings.startBitrate();
    }

    /** The transport-cc extension id the peer negotiated (0: none, packets go out unstamped). */
    public void setExtensionId(int id) {
        if (id < 0 || id > 255) throw new IllegalArgumentException("extension id " + id);
        this.extensionId = id;
    }

    public int extensionId() {
        return extensionId;
    }

    /**
     * The per-packet path, just before SRTP: writes the next transport-wide sequence number into the RTP packet
     * {@code b[off, off+len)} and records its send time and size.
     *
     * @param capacity how many bytes the packet may take in {@code b} from {@code off} (room for the element)
     * @return the packet's length now (it grows by 4 or 8 bytes when the element had to be inserted)
     */
    public int onSend(byte[] b, int off, int len, int capacity, long nowNanos) {
        if (extensionId == 0) return len;
        int n = TransportWideSequenceWriter.write(b, off, len, capacity, extensionId, history.nextSequence());
        if (n < 0) {
            unstampedCount++;
            return len;
        }
        history.record(nowNanos, n);
        return n;
    }

    /**
     * One transport-cc feedback packet (RTPFB FMT 15 at {@code b[off, off+len)}) from the peer.
     *
     * @return the number of reported packets matched to ones we sent, or -1 when the feedback is malformed
     */
    public int onFeedback(byte[] b, int off, int len, long nowNanos) {
        now = nowNanos;
        matched = 0;
        if (TransportCcFeedback.forEachPacket(b, off, len, this) < 0) return -1;
        feedbackCount++;
        if (matched > 0) {
            long delayBased = delay.update(acknowledged.bitrate(), nowNanos);
            long lossBased = loss.update(delayBased, nowNanos);
            estimate = settings.clamp(Math.min(delayBased, lossBased));
        }
        return matched;
    }

    @Override
    public void packet(int sequenceNumber, boolean received, long arrivalMicros) {
        int slot = history.find(sequenceNumber);
        if (slot < 0) {
            unmatchedCount++;
            return;
        }
        if (history.reported(slot)) return;
        matched++;
        loss.onPacket(received);
        if (!received) return;
        history.markReported(slot);
        acknowledged.add(arrivalMicros, history.size(slot));
        delay.onPacket(history.sendNanos(slot) / 1000, arrivalMicros, now);
    }

    /** The estimate in bits per second: what the peer's downlink is believed to carry. Any thread. */
    public long availableBitrate() {
        return estimate;
    }

    /** The delay-based estimator's latest signal (loop thread). */
    public BandwidthUsage usage() {
        return delay.usage();
    }

    /** The rate the peer reported receiving over the last half second, bps, or -1 (loop thread). */
    public long acknowledgedBitrate() {
        return acknowledged.bitrate();
    }

    public long delayBasedBitrate() {
        return delay.estimate();
    }

    public long lossBasedBitrate() {
        return loss.estimate();
    }

    /** The fraction of packets lost in the last loss window applied, 0..1. */
    public double lastLoss() {
        return loss.lastLoss();
    }

    public long feedbackCount() {
        return feedbackCount;
    }

    /** Reported packets we have no record of (never sent, or out of the ring). */
    public long unmatchedCount() {
        return unmatchedCount;
    }

    /** Packets sent without a sequence number (a foreign extension block, or no room). */
    public long unstampedCount() {
        return unstampedCount;
    }

    public SendHistory history() {
        return history;
    }
}
