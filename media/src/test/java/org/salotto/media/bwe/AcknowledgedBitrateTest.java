package org.salotto.media.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The received rate over the last half second of the peer's clock, from 10 ms buckets. */
class AcknowledgedBitrateTest {
    @Test
    void aSteadyStreamReadsAtItsRateAndTheWindowForgetsTheOldOnes() {
        AcknowledgedBitrate r = new AcknowledgedBitrate();
        long t = 1_234_567;
        for (int i = 0; i < 49; i++, t += 10_000) r.add(t, 1250); // 1 Mbps: 1250 bytes every 10 ms
        assertEquals(-1, r.bitrate(), "less than a window reported");
        for (int i = 0; i < 200; i++, t += 10_000) r.add(t, 1250);
        long steady = r.bitrate();
        assertTrue(Math.abs(steady - 1_000_000) < 25_000, "1 Mbps: " + steady);
        for (int i = 0; i < 100; i++, t += 10_000) r.add(t, 625); // halves
        long halved = r.bitrate();
        assertTrue(Math.abs(halved - 500_000) < 15_000, "half a second later only the new rate counts: " + halved);
        r.add(t - 2_000_000, 1_000_000); // a report of a packet older than the window: not counted
        assertEquals(halved, r.bitrate());
    }
}
