package org.salotto.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Dynacast's hysteresis on an injected clock: a layer is paused only once unneeded for the whole delay, sent again at once. */
class LayerDemandTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long DELAY = 3 * SECOND;
    private static final int Q = 1;
    private static final int H = 2;
    private static final int F = 4;

    @Test
    void everyLayerIsSentUntilItHasBeenUnneededForTheWholeDelay() {
        LayerDemand d = new LayerDemand(3, DELAY);
        assertEquals(Q | H | F, d.sending(), "a browser sends every layer until told otherwise");
        assertFalse(d.update(Q, 10 * SECOND), "h and f just became unneeded");
        assertEquals(10 * SECOND + DELAY, d.nextDeadline());
        assertFalse(d.update(Q, 10 * SECOND + DELAY - 1), "one nanosecond short of the delay");
        assertEquals(Q | H | F, d.sending());
        assertTrue(d.update(Q, 10 * SECOND + DELAY));
        assertEquals(Q, d.sending(), "unneeded for the delay: paused");
        assertEquals(LayerDemand.NEVER, d.nextDeadline(), "nothing left to wait for");
    }

    @Test
    void aLayerNeededAgainIsSentAtOnceAndItsWaitStartsOverWhenItIsUnneededAgain() {
        LayerDemand d = new LayerDemand(3, DELAY);
        d.update(Q, 0);
        d.update(Q, DELAY);
        assertEquals(Q, d.sending());
        assertTrue(d.update(Q | F, DELAY + 1), "f needed: sent again in the same check");
        assertEquals(Q | F, d.sending());
        assertFalse(d.update(Q, DELAY + 2), "unneeded again: the delay starts over");
        assertFalse(d.update(Q | F, DELAY + 2 + DELAY / 2), "needed meanwhile (a tile resized back)");
        assertFalse(d.update(Q, DELAY + 3 + DELAY / 2));
        assertFalse(d.update(Q, 2 * DELAY + 2), "the first unneeded stretch was cut short: no pause at its deadline");
        assertTrue(d.update(Q, 2 * DELAY + 3 + DELAY / 2));
        assertEquals(Q, d.sending());
    }

    @Test
    void eachLayerWaitsOnItsOwn() {
        LayerDemand d = new LayerDemand(3, DELAY);
        d.update(Q | H, 0); // f unneeded from 0
        d.update(Q, SECOND); // h from 1 s
        assertEquals(DELAY, d.nextDeadline(), "f's deadline first");
        assertTrue(d.update(Q, DELAY));
        assertEquals(Q | H, d.sending(), "f paused, h still waits");
        assertEquals(SECOND + DELAY, d.nextDeadline());
        assertTrue(d.update(Q, SECOND + DELAY));
        assertEquals(Q, d.sending());
    }

    @Test
    void aZeroDelayPausesAtOnceAndBitsBeyondTheLayersAreIgnored() {
        LayerDemand d = new LayerDemand(2, 0);
        assertTrue(d.update(1 | 8, 0));
        assertEquals(1, d.sending());
    }
}
