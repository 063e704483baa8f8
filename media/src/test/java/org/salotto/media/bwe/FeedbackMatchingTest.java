package org.salotto.media.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.salotto.media.rtcp.TransportCcFeedbackBuilder;
import org.salotto.media.rtp.RtpHeaderExtensions;
import org.salotto.media.rtp.RtpPacket;

/** Feedback built as a receiver would, parsed and matched to the send ring. */
class FeedbackMatchingTest {
    private static final BandwidthSettings SETTINGS = BandwidthSettings.DEFAULT;

    @Test
    void theRingFindsEachNumberUntilItIsOverwritten() {
        SendHistory h = new SendHistory();
        assertEquals(-1, h.find(0), "nothing sent");
        for (int i = 0; i < 70_000; i++) assertEquals(i & 0xFFFF, h.record(i * 1000L, 100 + i % 7));
        int newest = (70_000 - 1) & 0xFFFF;
        int slot = h.find(newest);
        assertTrue(slot >= 0);
        assertEquals(69_999, h.sequence(slot), "unwrapped across the 16-bit wrap");
        assertEquals(69_999 * 1000L, h.sendNanos(slot));
        assertEquals(100 + 69_999 % 7, h.size(slot));
        int oldestKept = (70_000 - SendHistory.CAPACITY) & 0xFFFF;
        assertEquals(70_000 - SendHistory.CAPACITY, h.sequence(h.find(oldestKept)));
        assertEquals(-1, h.find((oldestKept - 1) & 0xFFFF), "overwritten");
        assertEquals(-1, h.find((newest + 1) & 0xFFFF), "never sent");
    }

    @Test
    void feedbackIsMatchedToWhatWasSentAndUnknownNumbersAreCounted() {
        SendSideBandwidthEstimator e = new SendSideBandwidthEstimator(SETTINGS);
        e.setExtensionId(3);
        byte[] buf = new byte[1600];
        int[] seqs = new int[10];
        for (int i = 0; i < 10; i++) {
            RtpPacket.writeHeader(buf, 0, false, 96, i, 0, 0x42);
            int n = e.onSend(buf, 0, 500, buf.length, 1_000_000_000L + i * 1_000_000L);
            assertEquals(508, n, "the element inserted");
            seqs[i] = RtpHeaderExtensions.transportWideSequence(buf, 0, n, 3);
        }
        assertEquals(0, seqs[0]);
        assertEquals(9, seqs[9]);
        TransportCcFeedbackBuilder fb = new TransportCcFeedbackBuilder();
        fb.reset(1, 2, 0);
        for (int i = 0; i < 10; i++) {
            if (i != 4) fb.add(seqs[i], 5_000_000L + i * 1000L); // the fifth is lost
        }
        byte[] out = new byte[fb.length()];
        fb.write(out, 0);
        assertEquals(10, e.onFeedback(out, 0, out.length, 2_000_000_000L), "all ten matched, one as lost");
        assertEquals(0, e.unmatchedCount());
        assertTrue(e.history().reported(e.history().find(seqs[3])));
        assertFalse(e.history().reported(e.history().find(seqs[4])), "a lost packet is not reported received");
        assertEquals(1, e.onFeedback(out, 0, out.length, 2_100_000_000L),
                "the same feedback again: the received ones are not counted twice, the lost one is still lost");
        fb.reset(1, 2, 1);
        fb.add(100, 6_000_000L);
        fb.add(102, 6_001_000L);
        fb.write(out, 0);
        assertEquals(0, e.onFeedback(out, 0, fb.length(), 2_200_000_000L), "numbers never sent match nothing");
        assertEquals(3, e.unmatchedCount());
        out[1] = (byte) 200; // no longer RTPFB
        assertEquals(-1, e.onFeedback(out, 0, fb.length(), 2_300_000_000L), "malformed");
    }
}
