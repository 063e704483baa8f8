package org.salotto.media.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The estimator against a simulated bottleneck ({@link SimulatedLink}): time is the simulation's, so each test runs
 * tens of seconds of a link in milliseconds of CPU.
 */
class SendSideBandwidthEstimatorTest {
    private static final BandwidthSettings SETTINGS = new BandwidthSettings(100_000, 500_000, 10_000_000);

    @Test
    void aSteadyLinkConvergesNearItsCapacity() {
        SimulatedLink link = new SimulatedLink(SETTINGS, 2_000_000);
        link.run(15_000);
        double mean = link.runMean(10_000);
        assertTrue(mean > 0.75 * 2_000_000 && mean < 1.1 * 2_000_000,
                "mean estimate over the last 10 s: " + (long) mean + " bps on a 2 Mbps link");
        assertTrue(link.estimator.lastLoss() < 0.02, "no loss on a link the sender does not overrun for long");
    }

    @Test
    void aLinkWithAFasterCapacityConvergesThereToo() {
        SimulatedLink link = new SimulatedLink(SETTINGS, 5_000_000);
        link.run(25_000);
        double mean = link.runMean(10_000);
        assertTrue(mean > 0.75 * 5_000_000 && mean < 1.1 * 5_000_000, "mean " + (long) mean + " bps on 5 Mbps");
    }

    @Test
    void queuingDelayMakesTheEstimateDropWithinASecond() {
        SimulatedLink link = new SimulatedLink(SETTINGS, 3_000_000);
        link.run(20_000);
        long before = link.estimator.availableBitrate();
        assertTrue(before > 2_000_000, "converged first: " + before);
        link.capacityBps = 1_000_000; // the queue at the bottleneck now grows with every packet
        long after = link.run(1000);
        assertTrue(after < 0.7 * before, "a second later: " + after + " bps, from " + before);
        double settled = link.runMean(10_000);
        assertTrue(settled < 1.2 * 1_000_000 && settled > 0.6 * 1_000_000, "then around the new capacity: " + settled);
    }

    @Test
    void growingDelayWithoutLossOfCapacityIsReadAsCongestion() {
        SimulatedLink link = new SimulatedLink(SETTINGS, 3_000_000);
        link.run(20_000);
        long before = link.estimator.availableBitrate();
        // Another flow's queue elsewhere on the path: 1 ms more one-way delay every 10 ms, for a second.
        for (int i = 0; i < 100; i++) {
            link.extraDelayNanos += 1_000_000;
            link.run(10);
        }
        long after = link.estimator.availableBitrate();
        assertTrue(after < 0.85 * before, "after a second of growing delay: " + after + " from " + before);
    }

    @Test
    void twentyPercentLossLowersTheEstimateAndItClimbsBackAfter() {
        // Delay never limits on this link: only loss can. Without probing the estimate climbs 8% a second (GCC).
        SimulatedLink link = new SimulatedLink(new BandwidthSettings(100_000, 2_000_000, 10_000_000), 50_000_000);
        link.run(10_000);
        long before = link.estimator.availableBitrate();
        assertTrue(before > 4_000_000, "free link: " + before);
        link.lossRate = 0.2;
        link.run(3000);
        long lossy = link.estimator.availableBitrate();
        assertTrue(lossy < 0.5 * before, "after 3 s at 20% loss: " + lossy + " from " + before);
        assertTrue(link.estimator.lastLoss() > 0.1, "loss measured: " + link.estimator.lastLoss());
        link.lossRate = 0;
        long recovered = link.run(5000);
        assertTrue(recovered > 2 * lossy, "5 s after the loss stopped: " + recovered + " from " + lossy);
    }

    @Test
    void theEstimateStaysWithinTheConfiguredBounds() {
        BandwidthSettings narrow = new BandwidthSettings(300_000, 600_000, 1_500_000);
        SimulatedLink fast = new SimulatedLink(narrow, 50_000_000);
        fast.run(20_000);
        assertEquals(1_500_000, fast.estimator.availableBitrate(), "capped at the maximum");
        SimulatedLink slow = new SimulatedLink(narrow, 100_000);
        slow.run(20_000);
        assertEquals(300_000, slow.estimator.availableBitrate(), "floored at the minimum");
    }

    @Test
    void beforeAnyFeedbackTheEstimateIsTheStartBitrate() {
        SendSideBandwidthEstimator e = new SendSideBandwidthEstimator(SETTINGS);
        assertEquals(500_000, e.availableBitrate());
    }
}
