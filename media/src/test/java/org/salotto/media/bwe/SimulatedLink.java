package org.salotto.media.bwe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.salotto.media.rtcp.TransportCcFeedbackBuilder;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;

/**
 * A sender, a bottleneck and a receiver, driven by a simulated clock in 1 ms steps: the sender sends 1200-byte RTP
 * packets at the estimator's rate (an application that uses all it is given) through {@link
 * SendSideBandwidthEstimator#onSend}; the link serves them first in, first out at its capacity, after a propagation
 * delay, losing a share at random; the receiver reports them with a {@link TransportCcFeedbackBuilder} every 50 ms,
 * and the feedback reaches the estimator after the return delay.
 */
final class SimulatedLink {
    static final int PACKET = 1200;
    static final int TRANSPORT_CC_ID = 3;
    private static final long STEP = 1_000_000L;
    private static final long FEEDBACK_INTERVAL = 50_000_000L;

    final SendSideBandwidthEstimator estimator;
    long capacityBps;
    double lossRate;
    long propagationNanos = 20_000_000L;
    /** Extra one-way delay added to every packet that leaves the link from now on (a growing queue elsewhere). */
    long extraDelayNanos;

    private final Random random = new Random(42);
    private final byte[] buf = new byte[1600];
    private long now = 1_000_000_000L;
    private double budgetBits;
    private long linkFreeAt;
    private int rtpSeq;
    /** Packets on their way: {seq16, arrival nanos}; in send order, which the FIFO keeps. */
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();
    private final List<long[]> arrived = new ArrayList<>();
    private final ArrayDeque<Object[]> feedbackInFlight = new ArrayDeque<>();
    private final TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder();
    private long nextFeedback = now + FEEDBACK_INTERVAL;
    private int feedbackCount;
    long sentBits;

    SimulatedLink(BandwidthSettings settings, long capacityBps) {
        this.estimator = new SendSideBandwidthEstimator(settings);
        this.estimator.setExtensionId(TRANSPORT_CC_ID);
        this.capacityBps = capacityBps;
    }

    long now() {
        return now;
    }

    /** Runs for {@code millis} simulated milliseconds; returns the estimate at the end. */
    long run(long millis) {
        for (long i = 0; i < millis; i++) step();
        return estimator.availableBitrate();
    }

    /** Runs and returns the mean estimate over the period. */
    double runMean(long millis) {
        double sum = 0;
        for (long i = 0; i < millis; i++) {
            step();
            sum += estimator.availableBitrate();
        }
        return sum / millis;
    }

    private void step() {
        now += STEP;
        budgetBits = Math.min(budgetBits + estimator.availableBitrate() * (STEP / 1e9), 4 * PACKET * 8);
        while (budgetBits >= PACKET * 8) {
            budgetBits -= PACKET * 8;
            send();
        }
        while (!inFlight.isEmpty() && inFlight.peekFirst()[1] <= now) arrived.add(inFlight.pollFirst());
        if (now >= nextFeedback) {
            nextFeedback += FEEDBACK_INTERVAL;
            byte[] fb = feedback();
            if (fb != null) feedbackInFlight.add(new Object[] {now + propagationNanos, fb});
        }
        while (!feedbackInFlight.isEmpty() && (long) feedbackInFlight.peekFirst()[0] <= now) {
            byte[] fb = (byte[]) feedbackInFlight.pollFirst()[1];
            int matched = estimator.onFeedback(fb, 0, fb.length, now);
            if (matched <= 0) throw new AssertionError("feedback matched nothing: " + matched);
        }
    }

    private void send() {
        int len = RtpPacket.writeHeader(buf, 0, false, 96, rtpSeq++ & 0xFFFF, 0, 0x1234);
        len = PACKET - 8; // the transport-cc element (8 bytes) is inserted by the estimator
        len = estimator.onSend(buf, 0, len, buf.length, now);
        int seq = RtpHeaderExtensions.transportWideSequence(buf, 0, len, TRANSPORT_CC_ID);
        if (seq < 0) throw new AssertionError("no transport-wide sequence number written");
        sentBits += len * 8L;
        if (random.nextDouble() < lossRate) return;
        long serve = (long) (len * 8 * 1e9 / capacityBps);
        linkFreeAt = Math.max(now, linkFreeAt) + serve;
        inFlight.add(new long[] {seq, linkFreeAt + propagationNanos + extraDelayNanos});
    }

    private byte[] feedback() {
        if (arrived.isEmpty()) return null;
        builder.reset(1, 2, feedbackCount++);
        for (long[] p : arrived) {
            if (!builder.add((int) p[0], p[1] / 1000)) throw new AssertionError("feedback full");
        }
        arrived.clear();
        byte[] out = new byte[builder.length()];
        builder.write(out, 0);
        return out;
    }
}
