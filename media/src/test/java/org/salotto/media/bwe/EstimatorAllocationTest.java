package org.salotto.media.bwe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Numbering packets, keeping them in the ring and reading feedback into the estimator allocate nothing: 200,000
 * packets and their 4,000 feedback packets through a simulated link, after a warm-up, measured on this thread. The
 * simulation's own work is outside the measured calls only where it allocates (building feedback): so the measure
 * is of the estimator's calls alone.
 */
class EstimatorAllocationTest {
    @Test
    void sendingAndFeedbackAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        SendSideBandwidthEstimator e = new SendSideBandwidthEstimator(BandwidthSettings.DEFAULT);
        e.setExtensionId(3);
        byte[] packet = new byte[1600];
        org.salotto.media.rtcp.TransportCcFeedbackBuilder builder = new org.salotto.media.rtcp.TransportCcFeedbackBuilder();
        byte[] feedback = new byte[1200];
        long[] measured = new long[1];
        run(e, packet, builder, feedback, 200_000, measured, mx); // warm-up: compile it all
        measured[0] = 0;
        run(e, packet, builder, feedback, 200_000, measured, mx);
        assertTrue(measured[0] < 10_000, measured[0] + " bytes allocated by the estimator for 200,000 packets");
    }

    private static void run(SendSideBandwidthEstimator e, byte[] packet,
                            org.salotto.media.rtcp.TransportCcFeedbackBuilder builder, byte[] feedback, int packets,
                            long[] measured, com.sun.management.ThreadMXBean mx) {
        long now = 1_000_000_000L;
        int count = 0;
        builder.reset(1, 2, count);
        for (int i = 0; i < packets; i++) {
            now += 1_000_000L;
            org.salotto.media.rtp.RtpPacket.writeHeader(packet, 0, false, 96, i & 0xFFFF, 0, 0x42);
            long before = mx.getCurrentThreadAllocatedBytes();
            int n = e.onSend(packet, 0, 1000, packet.length, now);
            measured[0] += mx.getCurrentThreadAllocatedBytes() - before;
            int seq = org.salotto.media.rtp.RtpHeaderExtensions.transportWideSequence(packet, 0, n, 3);
            if (i % 10 != 3) builder.add(seq, now / 1000 + 20_000 + (i % 7) * 100); // 10% lost, some jitter
            if (i % 50 == 49) {
                int len = builder.write(feedback, 0);
                before = mx.getCurrentThreadAllocatedBytes();
                e.onFeedback(feedback, 0, len, now);
                measured[0] += mx.getCurrentThreadAllocatedBytes() - before;
                builder.reset(1, 2, ++count);
            }
        }
    }
}
