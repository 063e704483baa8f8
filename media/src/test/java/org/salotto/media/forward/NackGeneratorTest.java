package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Gap detection and the NACK schedule, with time given by the test (the media loop's clock, moved by hand): a gap
 * produces one NACK on the first tick after the first delay, retries spaced by the round trip, gives up after the
 * limit, and a keyframe is wanted then.
 */
class NackGeneratorTest {
    private static final long MS = 1_000_000L;
    private static final NackSettings SETTINGS = new NackSettings(Duration.ofMillis(5), Duration.ofMillis(20),
            Duration.ofMillis(100), 3, Duration.ofSeconds(1));

    private final NackGenerator nacks = new NackGenerator(SETTINGS);
    private final int[] out = new int[256];
    private long now = 1_000_000_000_000L;

    private int[] due() {
        return Arrays.copyOf(out, nacks.collectDue(now, out));
    }

    private void receive(int... seqs) {
        for (int s : seqs) nacks.onPacket(s & 0xFFFF, now);
    }

    @Test
    void inOrderPacketsMakeNoNack() {
        for (int s = 0; s < 1000; s++) receive(s);
        now += 500 * MS;
        assertEquals(0, due().length);
        assertEquals(0, nacks.missingCount());
    }

    @Test
    void aGapIsAskedForOnceSoonThenEveryRoundTripThenGivenUpWithAKeyframe() {
        receive(10, 11, 14); // 12 and 13 lost
        assertEquals(2, nacks.missingCount());
        assertEquals(0, due().length, "asked before the first delay, when a reordered packet could still come");
        now += 5 * MS;
        assertArrayEquals(new int[] {12, 13}, due(), "the first NACK");
        assertEquals(0, due().length, "asked twice at once");
        now += 99 * MS;
        assertEquals(0, due().length, "the retry came before a round trip");
        now += MS;
        assertArrayEquals(new int[] {12, 13}, due(), "the second NACK, a round trip (100 ms) later");
        now += 100 * MS;
        assertArrayEquals(new int[] {12, 13}, due(), "the third NACK");
        assertFalse(nacks.takeKeyframeWanted());
        now += 100 * MS;
        assertEquals(0, due().length, "more NACKs than the limit (3)");
        assertEquals(0, nacks.missingCount());
        assertTrue(nacks.takeKeyframeWanted(), "no keyframe after giving up");
        assertFalse(nacks.takeKeyframeWanted(), "the keyframe is wanted once");
        assertEquals(2, nacks.takeGivenUp());
    }

    @Test
    void aLateOrReorderedPacketFillsItsGap() {
        receive(1, 2, 4);
        receive(3);
        now += 10 * MS;
        assertEquals(0, due().length);
        receive(5, 8);
        now += 10 * MS;
        assertArrayEquals(new int[] {6, 7}, due());
        receive(7);
        now += 200 * MS;
        assertArrayEquals(new int[] {6}, due(), "a filled packet was asked for again");
    }

    @Test
    void aRetransmissionFillsTheGapOnceAndMeasuresTheRoundTrip() {
        receive(100, 102);
        now += 5 * MS;
        assertArrayEquals(new int[] {101}, due());
        now += 40 * MS;
        assertTrue(nacks.onRetransmission(101, now));
        assertFalse(nacks.onRetransmission(101, now), "a second copy is a duplicate");
        assertFalse(nacks.onRetransmission(100, now), "a packet received is not recovered");
        assertFalse(nacks.onRetransmission(103, now), "a packet never seen missing is not recovered");
        // 100 ms + (40 - 100) / 8 ms
        assertEquals(92_500_000L, nacks.rttNanos());
        // The next gap's retries follow the measured round trip.
        receive(104);
        now += 5 * MS;
        assertArrayEquals(new int[] {103}, due());
        now += 92 * MS;
        assertEquals(0, due().length);
        now += MS;
        assertArrayEquals(new int[] {103}, due());
    }

    @Test
    void aPacketAskedForTwiceDoesNotMeasureTheRoundTrip() {
        receive(1, 3);
        now += 5 * MS;
        due();
        now += 100 * MS;
        due();
        now += 3 * MS;
        assertTrue(nacks.onRetransmission(2, now));
        assertEquals(100 * MS, nacks.rttNanos(), "Karn: an ambiguous sample was taken");
    }

    @Test
    void retriesAreNeverCloserThanTheMinimumInterval() {
        receive(1, 3);
        now += 5 * MS;
        due();
        now += 2 * MS;
        assertTrue(nacks.onRetransmission(2, now)); // a 2 ms round trip, many times
        for (int i = 0; i < 100; i++) {
            receive(4 + 2 * i, 6 + 2 * i);
            now += 5 * MS;
            due();
            now += 2 * MS;
            nacks.onRetransmission(5 + 2 * i, now);
        }
        assertTrue(nacks.rttNanos() < 20 * MS);
        receive(205, 207);
        now += 5 * MS;
        assertArrayEquals(new int[] {206}, due());
        now += 19 * MS;
        assertEquals(0, due().length, "a retry closer than 20 ms");
        now += MS;
        assertArrayEquals(new int[] {206}, due());
    }

    @Test
    void sequenceNumbersWrapWithoutAGap() {
        receive(65533, 65534, 65535, 0, 2);
        assertEquals(65536L + 2, nacks.highest(), "the wrap was not unwrapped");
        now += 5 * MS;
        assertArrayEquals(new int[] {1}, due());
        assertTrue(nacks.onRetransmission(1, now));
        receive(65535); // an old duplicate from before the wrap: not a gap, not a jump back
        receive(3);
        now += 200 * MS;
        assertEquals(0, due().length);
        assertEquals(0, nacks.missingCount());
    }

    @Test
    void aGapAcrossTheWrapIsAskedForInOrder() {
        receive(65534, 1);
        now += 5 * MS;
        assertArrayEquals(new int[] {65535, 0}, due());
    }

    @Test
    void aGapWiderThanTheTableIsNotAskedForButAKeyframeIs() {
        receive(0, NackGenerator.SLOTS + 1);
        assertEquals(0, nacks.missingCount());
        assertTrue(nacks.takeKeyframeWanted());
        assertEquals(NackGenerator.SLOTS, nacks.takeGivenUp());
        now += 5 * MS;
        assertEquals(0, due().length);
    }

    @Test
    void packetsLeftBehindByTheWindowAreGivenUp() {
        receive(0, 2); // 1 missing
        for (int s = 3; s <= NackGenerator.SLOTS + 2; s++) receive(s);
        now += 5 * MS;
        assertEquals(0, due().length, "a packet more than the table behind was asked for");
        assertTrue(nacks.takeKeyframeWanted());
        assertEquals(1, nacks.takeGivenUp());
    }

    @Test
    void packetsOlderThanTheMaximumAgeAreGivenUp() {
        NackGenerator slow = new NackGenerator(new NackSettings(Duration.ZERO, Duration.ofMillis(400),
                Duration.ofMillis(400), 10, Duration.ofMillis(500)));
        slow.onPacket(1, now);
        slow.onPacket(3, now);
        assertEquals(1, slow.collectDue(now, out));
        now += 400 * MS;
        assertEquals(1, slow.collectDue(now, out));
        now += 101 * MS;
        assertEquals(0, slow.collectDue(now, out));
        assertTrue(slow.takeKeyframeWanted());
        assertEquals(0, slow.missingCount());
    }

    @Test
    void aLongNackIsCutToTheOutputAndTheRestGoesNextTime() {
        receive(0, 301);
        now += 5 * MS;
        int[] small = new int[100];
        assertEquals(100, nacks.collectDue(now, small));
        assertEquals(1, small[0]);
        assertEquals(100, small[99]);
        assertEquals(100, nacks.collectDue(now, small));
        assertEquals(101, small[0]);
        assertEquals(100, nacks.collectDue(now, small));
        assertEquals(0, nacks.collectDue(now, small));
    }

    @Test
    void steadyStateAllocatesNothing() {
        var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 3; round++) { // the first rounds warm up
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int s = 0; s < 100_000; s++) {
                if (s % 50 != 7) nacks.onPacket(s & 0xFFFF, now);
                if (s % 10 == 0) {
                    now += 10 * MS;
                    nacks.collectDue(now, out);
                }
                if (s % 50 == 20) nacks.onRetransmission((s - 13) & 0xFFFF, now);
            }
            long allocated = bean.getCurrentThreadAllocatedBytes() - before;
            // As SrtpAllocationTest: less than a byte a packet (what the JIT's own work may leave on the thread).
            if (round == 2) assertTrue(allocated < 100_000, allocated + " bytes allocated by 100 000 packets");
        }
    }

    @Test
    void aSenderThatRestartsItsNumberingFarBehindIsFollowedAfterTwoPackets() {
        receive(30_000, 30_001, 30_002);
        receive(1_000); // far behind: a stray copy, or a restart
        receive(1_001); // its successor: a restart
        receive(1_003);
        now += 5 * MS;
        assertArrayEquals(new int[] {1_002}, due(), "gaps after the restart are not found");
        assertFalse(nacks.takeKeyframeWanted());
    }

    @Test
    void aStrayCopyFarBehindChangesNothing() {
        receive(30_000, 30_001);
        receive(1_000);
        receive(30_003);
        now += 5 * MS;
        assertArrayEquals(new int[] {30_002}, due());
    }

    @Test
    void forgettingDropsWhatWasMissingWithoutAKeyframe() {
        receive(1, 5);
        nacks.forget();
        assertEquals(0, nacks.missingCount());
        now += 2_000 * MS;
        assertEquals(0, due().length);
        assertFalse(nacks.takeKeyframeWanted());
        receive(7);
        now += 5 * MS;
        assertArrayEquals(new int[] {6}, due(), "gaps after forgetting are found");
    }
}
