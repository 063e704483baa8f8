package org.salotto.media.rtcp;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-packet path must not allocate. Counts this thread's allocated bytes around 20k iterations of parse, rewrite
 * and build; one allocation per iteration would show as at least 320 KB.
 */
class AllocationTest {
    private long sink;

    @Test
    void parsingRewritingAndBuildingDoNotAllocate() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported()) {
            fail("this JVM cannot count a thread's allocations (com.sun.management.ThreadMXBean); run the tests on HotSpot");
            return;
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        byte[] rtp = org.salotto.media.rtp.Hex.decode("906f1a2b00003a9812345678bede0002109e310123000000deadbeef");
        byte[] rtcp = RtcpPacketTest.SR_SDES.clone();
        byte[] twcc = TransportCcFeedbackTest.CAPTURED;
        byte[] out = new byte[1500];
        byte[] idMap = new byte[16];
        java.util.Arrays.fill(idMap, (byte) 3);
        idMap[3] = 1;
        int[] lost = {1, 2, 5, 30};
        TransportCcFeedbackBuilder fb = new TransportCcFeedbackBuilder();
        TransportCcFeedback.PacketVisitor visitor = (s, r, t) -> sink += t;

        long tid = Thread.currentThread().threadId();
        for (int round = 0; round < 2; round++) { // the first round warms up class loading and lambdas
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 20_000; i++) {
                sink += RtpPacket.validate(rtp, 0, rtp.length);
                RtpPacket.setSequenceNumber(rtp, 0, i & 0xFFFF);
                sink += RtpHeaderExtensions.audioLevel(rtp, 0, rtp.length, 1);
                RtpHeaderExtensions.remapIds(rtp, 0, rtp.length, idMap);
                sink += RtpHeaderExtensions.transportWideSequence(rtp, 0, rtp.length, 3);
                if (RtcpPacket.validateCompound(rtcp, 0, rtcp.length)) {
                    for (int p = RtcpPacket.first(rtcp, 0, rtcp.length); p >= 0; p = RtcpPacket.next(rtcp, p, rtcp.length)) {
                        RtcpPacket.setSenderSsrc(rtcp, p, i);
                    }
                }
                sink += TransportCcFeedback.forEachPacket(twcc, 0, twcc.length, visitor);
                sink += GenericNack.write(out, 0, 1, 2, lost, lost.length);
                sink += ReceiverEstimatedMaxBitrate.write(out, 100, 1, 5_000_000L + i, lost, 2);
                fb.reset(1, 2, i);
                for (int s = 0; s < 40; s++) {
                    fb.add((i * 40 + s) & 0xFFFF, 1_000_000L * i + s * 700L);
                }
                sink += fb.write(out, 200);
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            if (round == 1) {
                assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes in 20k iterations");
            }
        }
    }
}
